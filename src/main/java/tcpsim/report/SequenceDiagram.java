package tcpsim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Seq;
import tcpsim.tcp.TcpState;

/**
 * The textbook sequence diagram of one connection as inline SVG: the client's time line on the
 * left, the server's on the right, each segment a slanted arrow from its sender at send time to
 * its receiver at delivery time, state changes written beside the lines.
 *
 * <p><b>Vertical axis.</b> Time runs down, but <i>by rank</i>, not to scale: every event (send,
 * delivery, drop, duplication, state change) gets its own row of equal height, in trace order,
 * labelled with its time in ms on the left. Events at the same instant (an ACK and the data right
 * behind it) thus get neighbouring rows with the same time label, so their arrows and labels
 * never lie on top of each other. Where the gap to the previous row is much longer than usual (more than ten times the median gap and at least
 * 50 ms — an RTO, a 60 s TIME-WAIT) a dashed band says how much time passed. So a TIME-WAIT does
 * not squash the handshake, and order (what happened before what) is always exact.
 *
 * <p>Segments are matched to their fate by (addresses, flags, seq, ack, len) in order: a RECV is
 * the delivery of the oldest unresolved copy, a DROP ends one in a red cross midway, a DUP adds
 * a copy. Sequence numbers are shown relative to the client's ISN {@code x} and the server's ISN
 * {@code y}, as {@link TraceFormatter} does.
 */
final class SequenceDiagram {
  private static final int ROW = 30;
  private static final int GAP = 28;
  private static final int TOP = 80;
  private static final int WIDTH = 980;
  private static final int CLIENT_X = 330;
  private static final int SERVER_X = 770;
  private static final long MIN_GAP_NS = 50_000_000L;

  private record Key(int srcHost, int srcPort, int dstHost, int dstPort, int flags, int seq,
      int ack, int len) {
    static Key of(TraceEvent e) {
      return new Key(e.srcHost(), e.srcPort(), e.dstHost(), e.dstPort(), e.flags(), e.seq(),
          e.ack(), e.len());
    }
  }

  private static final class Arrow {
    final TraceEvent send;
    final boolean sent; // false: known only from a DROP/RECV (its SEND was not recorded)
    int pending = 1;
    int copies = 1;
    final int sendRow; // the row of its SEND (or of the event it is known from)
    final List<Integer> arrivals = new ArrayList<>(); // rows of its RECVs
    final List<Integer> drops = new ArrayList<>(); // rows of its DROPs

    Arrow(TraceEvent send, boolean sent, int sendRow) {
      this.send = send;
      this.sent = sent;
      this.sendRow = sendRow;
    }
  }

  private final List<TraceEvent> events;
  private final List<String> hostNames;
  private int clientHost = -1;
  private int clientPort = -1;
  private int serverHost = -1;
  private int serverPort = -1;
  private long isnX = -1;
  private long isnY = -1;

  SequenceDiagram(List<TraceEvent> events, List<String> hostNames) {
    this.events = events;
    this.hostNames = hostNames;
  }

  String svg(boolean truncated, long skipped) {
    if (events.isEmpty()) return "";
    learnEnds();
    // Rows: one per event, in trace order (events come in time order).
    long[] times = events.stream().mapToLong(TraceEvent::t).toArray();
    boolean[] breakBefore = breaks(times);
    int[] y = rowY(breakBefore);
    int bottom = y[y.length - 1] + ROW + (truncated ? 30 : 10);

    // Match every segment to its fate.
    List<Arrow> arrows = new ArrayList<>();
    Map<Key, List<Arrow>> open = new HashMap<>();
    for (int i = 0; i < events.size(); i++) {
      TraceEvent e = events.get(i);
      switch (e.kind()) {
        case SEND -> {
          Arrow a = new Arrow(e, true, i);
          arrows.add(a);
          open.computeIfAbsent(Key.of(e), k -> new ArrayList<>()).add(a);
        }
        case DUP -> {
          List<Arrow> l = open.get(Key.of(e));
          if (l != null && !l.isEmpty()) {
            Arrow a = l.get(l.size() - 1);
            a.pending++;
            a.copies++;
          }
        }
        case DROP, RECV -> {
          Arrow a = oldestPending(open.get(Key.of(e)));
          if (a == null) { // its SEND was not recorded: draw it from this event's time
            a = new Arrow(e, false, i);
            arrows.add(a);
          }
          a.pending--;
          if (e.kind() == TraceEvent.Kind.DROP) a.drops.add(i);
          else a.arrivals.add(i);
        }
        default -> { }
      }
    }

    StringBuilder b = new StringBuilder(8192 + events.size() * 260);
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"seq\" width=\"").append(WIDTH)
        .append("\" height=\"").append(bottom).append("\" viewBox=\"0 0 ").append(WIDTH)
        .append(' ').append(bottom).append("\" font-family=\"monospace\" font-size=\"11\">\n");
    b.append("<defs>");
    marker(b, "ah-c", "#1c7ed6");
    marker(b, "ah-s", "#2b8a3e");
    marker(b, "ah-r", "#e8590c");
    marker(b, "ah-d", "#868e96");
    b.append("</defs>\n");
    // Headings and time lines.
    text(b, CLIENT_X, 22, "middle", "bold", null, "client " + address(clientHost, clientPort));
    text(b, SERVER_X, 22, "middle", "bold", null, "server " + address(serverHost, serverPort));
    String isns = "x = client ISN " + (isnX < 0 ? "?" : Long.toString(isnX)) + ", y = server ISN "
        + (isnY < 0 ? "?" : Long.toString(isnY)) + "; rows by event order, not to scale";
    text(b, WIDTH / 2, 40, "middle", null, "#495057", isns);
    text(b, 8, TOP - 20, "start", "bold", null, "t (ms)");
    line(b, CLIENT_X, TOP - 12, CLIENT_X, bottom - 8, "#343a40", 2, null, null);
    line(b, SERVER_X, TOP - 12, SERVER_X, bottom - 8, "#343a40", 2, null, null);
    for (int i = 0; i < times.length; i++) {
      if (breakBefore[i]) {
        int by = y[i] - (ROW + GAP) / 2 - 4;
        b.append("<rect x=\"4\" y=\"").append(by - 9).append("\" width=\"").append(WIDTH - 8)
            .append("\" height=\"18\" fill=\"#f1f3f5\" stroke=\"#adb5bd\" stroke-dasharray=\"4 3\"/>\n");
        text(b, WIDTH / 2, by + 4, "middle", null, "#495057",
            "\u22ef " + duration(times[i] - times[i - 1]) + " later \u22ef");
      }
      boolean sameTime = i > 0 && times[i] == times[i - 1] && !breakBefore[i];
      text(b, 8, y[i] + 4, "start", null, sameTime ? "#adb5bd" : "#495057", ms(times[i]));
      line(b, 100, y[i], WIDTH - 8, y[i], "#f1f3f5", 1, null, null);
    }
    // Re-draw the time lines over the row guides.
    line(b, CLIENT_X, TOP - 12, CLIENT_X, bottom - 8, "#343a40", 2, null, null);
    line(b, SERVER_X, TOP - 12, SERVER_X, bottom - 8, "#343a40", 2, null, null);

    // State changes beside their line, each on its own row.
    for (int i = 0; i < events.size(); i++) {
      TraceEvent e = events.get(i);
      if (e.kind() != TraceEvent.Kind.STATE) continue;
      String s = stateName(e.from()) + " \u2192 " + stateName(e.to());
      if (isClient(e.srcHost(), e.srcPort())) {
        dot(b, CLIENT_X, y[i]);
        text(b, CLIENT_X - 8, y[i] + 4, "end", "bold", "#5f3dc4", s);
      } else {
        dot(b, SERVER_X, y[i]);
        text(b, SERVER_X + 8, y[i] + 4, "start", "bold", "#5f3dc4", s);
      }
    }

    // Segments.
    int mid = (CLIENT_X + SERVER_X) / 2;
    for (Arrow a : arrows) {
      TraceEvent s = a.send;
      boolean fromClient = isClient(s.srcHost(), s.srcPort());
      int sx = fromClient ? CLIENT_X : SERVER_X;
      int rx = fromClient ? SERVER_X : CLIENT_X;
      int ys = y[a.sendRow];
      String label = label(s, fromClient);
      String color = s.retransmit() ? "#e8590c" : fromClient ? "#1c7ed6" : "#2b8a3e";
      String marker = s.retransmit() ? "ah-r" : fromClient ? "ah-c" : "ah-s";
      if (s.retransmit()) label += " (retransmission)";
      if (!a.sent) label += " (send not recorded)";
      int copy = 0;
      for (int r : a.arrivals) {
        int yr = y[r];
        boolean dupCopy = copy++ > 0;
        line(b, sx, ys, rx, yr, dupCopy ? "#868e96" : color, 1.5, dupCopy ? "5 3" : null,
            dupCopy ? "ah-d" : marker);
        along(b, sx, ys, rx, yr, dupCopy ? label + " (duplicate)" : label,
            dupCopy ? "#868e96" : color);
      }
      for (int r : a.drops) {
        TraceEvent d = events.get(r);
        int yd = r > a.sendRow ? (ys + y[r]) / 2 : ys + ROW * 6 / 10;
        line(b, sx, ys, mid, yd, color, 1.5, null, null);
        along(b, sx, ys, mid, yd, label, color);
        cross(b, mid, yd);
        text(b, mid + 12, yd + 4, "start", null, "#e03131",
            "dropped: " + (d.reason() == null ? "?" : d.reason().label()));
      }
      for (int i = 0; i < a.pending; i++) { // never delivered nor dropped in the sample
        int ye = ys + ROW * 6 / 10;
        line(b, sx, ys, mid, ye, color, 1.5, "2 3", null);
        along(b, sx, ys, mid, ye, label, color);
        text(b, mid, ye + 14, "middle", null, "#868e96",
            truncated ? "(fate after the sample's end)" : "(in flight at the end)");
      }
    }
    if (truncated) {
      text(b, WIDTH / 2, bottom - 12, "middle", "bold", "#e03131",
          "sample truncated: " + skipped + " later events of this connection not shown");
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static Arrow oldestPending(List<Arrow> l) {
    if (l == null) return null;
    for (Arrow a : l) if (a.pending > 0) return a;
    return null;
  }

  /**
   * Whether a dashed "later" band goes before each row: the gap to the previous row is at least
   * {@value #MIN_GAP_NS} ns and ten times the median of the non-zero gaps.
   */
  static boolean[] breaks(long[] times) {
    long[] gaps = new long[Math.max(0, times.length - 1)];
    for (int i = 1; i < times.length; i++) gaps[i - 1] = times[i] - times[i - 1];
    long[] sortedGaps = Arrays.stream(gaps).filter(g -> g > 0).sorted().toArray();
    long median = sortedGaps.length == 0 ? 0 : sortedGaps[sortedGaps.length / 2];
    long threshold = Math.max(MIN_GAP_NS, 10 * median);
    boolean[] breakBefore = new boolean[times.length];
    for (int i = 1; i < times.length; i++) breakBefore[i] = gaps[i - 1] >= threshold;
    return breakBefore;
  }

  /** The y of each row: {@value #ROW} px apart, plus {@value #GAP} px for a band before it. */
  static int[] rowY(boolean[] breakBefore) {
    int[] y = new int[breakBefore.length];
    int yy = TOP;
    for (int i = 0; i < y.length; i++) {
      if (i > 0) yy += ROW + (breakBefore[i] ? GAP : 0);
      y[i] = yy;
    }
    return y;
  }

  /** The y of each event's row, in {@link #events} order (for tests). */
  int[] eventY() {
    long[] times = events.stream().mapToLong(TraceEvent::t).toArray();
    return rowY(breaks(times));
  }

  private void learnEnds() {
    for (TraceEvent e : events) {
      if (e.kind() == TraceEvent.Kind.STATE && e.from() == TcpState.CLOSED
          && e.to() == TcpState.SYN_SENT) {
        clientHost = e.srcHost();
        clientPort = e.srcPort();
        break;
      }
      if (e.kind() == TraceEvent.Kind.SEND
          && (e.flags() & (Flags.SYN | Flags.ACK)) == Flags.SYN) {
        clientHost = e.srcHost();
        clientPort = e.srcPort();
        break;
      }
    }
    if (clientHost < 0) {
      TraceEvent f = events.get(0);
      clientHost = f.srcHost();
      clientPort = f.srcPort();
    }
    for (TraceEvent e : events) {
      if (!isClient(e.srcHost(), e.srcPort())) {
        serverHost = e.srcHost();
        serverPort = e.srcPort();
        break;
      }
      if (!isClient(e.dstHost(), e.dstPort())) {
        serverHost = e.dstHost();
        serverPort = e.dstPort();
        break;
      }
    }
    for (TraceEvent e : events) {
      if (e.kind() == TraceEvent.Kind.STATE || (e.flags() & Flags.SYN) == 0) continue;
      boolean fromClient = isClient(e.srcHost(), e.srcPort());
      if (fromClient && isnX < 0) isnX = Seq.unsigned(e.seq());
      if (!fromClient && isnY < 0) isnY = Seq.unsigned(e.seq());
    }
  }

  private boolean isClient(int host, int port) {
    return host == clientHost && port == clientPort;
  }

  /** "SYN,ACK seq=y ack=x+1", "PSH,ACK seq=x+1 ack=y+1 len=100". */
  String label(TraceEvent e, boolean fromClient) {
    StringBuilder b = new StringBuilder(48);
    b.append(Flags.names(e.flags()));
    b.append(" seq=").append(relative(e.seq(), fromClient ? isnX : isnY, fromClient ? "x" : "y"));
    if ((e.flags() & Flags.ACK) != 0) {
      b.append(" ack=").append(relative(e.ack(), fromClient ? isnY : isnX, fromClient ? "y" : "x"));
    }
    if (e.len() > 0) b.append(" len=").append(e.len());
    return b.toString();
  }

  static String relative(int value, long isn, String name) {
    if (isn < 0) return Long.toString(Seq.unsigned(value));
    long d = Integer.toUnsignedLong(Seq.diff(value, (int) isn));
    if (d == 0) return name;
    if (d < (1L << 31)) return name + "+" + d;
    return Long.toString(Seq.unsigned(value));
  }

  private String address(int host, int port) {
    if (host < 0) return "?";
    String name = host < hostNames.size() ? hostNames.get(host) : "host" + host;
    return name + ":" + port;
  }

  private static String stateName(TcpState s) {
    return s == null ? "?" : s.rfcName();
  }

  static String ms(long ns) {
    return String.format(Locale.ROOT, "%.3f", ns / 1e6);
  }

  static String duration(long ns) {
    if (ns >= 1_000_000_000L) return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
    return String.format(Locale.ROOT, "%.3f ms", ns / 1e6);
  }

  private static void marker(StringBuilder b, String id, String color) {
    b.append("<marker id=\"").append(id).append("\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" ")
        .append("markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\">")
        .append("<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"").append(color).append("\"/></marker>");
  }

  private static void line(StringBuilder b, double x1, double y1, double x2, double y2,
      String color, double width, String dash, String marker) {
    b.append("<line x1=\"").append(num(x1)).append("\" y1=\"").append(num(y1))
        .append("\" x2=\"").append(num(x2)).append("\" y2=\"").append(num(y2))
        .append("\" stroke=\"").append(color).append("\" stroke-width=\"").append(num(width))
        .append('"');
    if (dash != null) b.append(" stroke-dasharray=\"").append(dash).append('"');
    if (marker != null) b.append(" marker-end=\"url(#").append(marker).append(")\"");
    b.append("/>\n");
  }

  private static void dot(StringBuilder b, int x, int y) {
    b.append("<circle cx=\"").append(x).append("\" cy=\"").append(y)
        .append("\" r=\"3.5\" fill=\"#5f3dc4\"/>\n");
  }

  private static void cross(StringBuilder b, int x, int y) {
    b.append("<g class=\"drop\" stroke=\"#e03131\" stroke-width=\"3\">");
    b.append("<line x1=\"").append(x - 7).append("\" y1=\"").append(y - 7).append("\" x2=\"")
        .append(x + 7).append("\" y2=\"").append(y + 7).append("\"/>");
    b.append("<line x1=\"").append(x - 7).append("\" y1=\"").append(y + 7).append("\" x2=\"")
        .append(x + 7).append("\" y2=\"").append(y - 7).append("\"/>");
    b.append("</g>\n");
  }

  /** Text along a segment, above it, never upside down. */
  private static void along(StringBuilder b, int x1, int y1, int x2, int y2, String s,
      String color) {
    double mx = (x1 + x2) / 2.0;
    double my = (y1 + y2) / 2.0;
    double dx = x2 - x1;
    double dy = y2 - y1;
    if (dx < 0) {
      dx = -dx;
      dy = -dy;
    }
    double angle = Math.toDegrees(Math.atan2(dy, dx));
    b.append("<text x=\"").append(num(mx)).append("\" y=\"").append(num(my - 4))
        .append("\" text-anchor=\"middle\" fill=\"").append(color).append("\" transform=\"rotate(")
        .append(num(angle)).append(' ').append(num(mx)).append(' ').append(num(my))
        .append(")\">").append(Html.escape(s)).append("</text>\n");
  }

  private static void text(StringBuilder b, int x, int y, String anchor, String weight,
      String color, String s) {
    b.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"")
        .append(anchor).append('"');
    if (weight != null) b.append(" font-weight=\"").append(weight).append('"');
    if (color != null) b.append(" fill=\"").append(color).append('"');
    b.append('>').append(Html.escape(s)).append("</text>\n");
  }

  private static String num(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) return Long.toString((long) v);
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
