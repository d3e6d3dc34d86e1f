package tcpsim.report;

import java.util.List;
import java.util.Locale;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Seq;
import tcpsim.tcp.TcpState;

/**
 * Renders trace events for people (text, like a textbook figure) and for programs (one JSON
 * object per line).
 *
 * <p>In text, sequence numbers are shown relative to each side's initial sequence number, as
 * RFC 9293's figures do: the client's ISN is {@code x}, the server's {@code y}, so the handshake
 * reads {@code SYN seq=x}, {@code SYN,ACK seq=y ack=x+1}, {@code ACK seq=x+1 ack=y+1}. The
 * absolute values follow in brackets.
 *
 * <p>Segments with TCP options ({@code profile: linux}): a SYN's or SYN,ACK's text line shows
 * its window and options as tcpdump does ({@code win=64240 <mss 1460,sackOK,TS val 123 ecr
 * 0,nop,wscale 7>}); in JSON every such segment has {@code win} (the field as sent) and {@code
 * options}. Segments without options look as they always did.
 */
public final class TraceFormatter {
  private final List<String> hostNames;
  // The connection being followed: its client address is learnt from the first SYN without ACK.
  private int clientHost = -1;
  private int clientPort = -1;
  private long isnX = -1;
  private long isnY = -1;

  public TraceFormatter(List<String> hostNames) {
    this.hostNames = hostNames;
  }

  public String address(int host, int port) {
    String name = host >= 0 && host < hostNames.size() ? hostNames.get(host) : "host" + host;
    return name + ":" + port;
  }

  /** One line of the textbook form. */
  public String text(TraceEvent e) {
    learnIsns(e);
    String time = String.format(Locale.ROOT, "%12.3f ms", e.t() / 1e6);
    boolean fromClient = isClient(e.srcHost(), e.srcPort());
    String side = clientHost < 0 ? address(e.srcHost(), e.srcPort()) : fromClient ? "client" : "server";
    if (e.kind() == TraceEvent.Kind.STATE) {
      String who = clientHost < 0 ? address(e.srcHost(), e.srcPort()) : side;
      return String.format(Locale.ROOT, "%s  %-7s %-5s %s -> %s", time, who, "state",
          e.from().name(), e.to().name());
    }
    // For segments, name the side that acts: the sender for send/drop/dup, the receiver for recv.
    boolean actorIsClient = e.kind() == TraceEvent.Kind.RECV ? !fromClient : fromClient;
    String actor = clientHost < 0
        ? address(e.kind() == TraceEvent.Kind.RECV ? e.dstHost() : e.srcHost(),
            e.kind() == TraceEvent.Kind.RECV ? e.dstPort() : e.srcPort())
        : actorIsClient ? "client" : "server";
    String arrow = fromClient ? address(e.srcHost(), e.srcPort()) + " -> " + address(e.dstHost(), e.dstPort())
        : address(e.dstHost(), e.dstPort()) + " <- " + address(e.srcHost(), e.srcPort());
    StringBuilder b = new StringBuilder(160);
    b.append(time).append("  ").append(String.format(Locale.ROOT, "%-7s %-5s ", actor,
        e.kind().label()));
    b.append(String.format(Locale.ROOT, "%-11s", Flags.names(e.flags())));
    b.append(" seq=").append(relative(e.seq(), fromClient ? isnX : isnY, fromClient ? "x" : "y"));
    boolean hasAck = (e.flags() & Flags.ACK) != 0;
    if (hasAck) {
      b.append(" ack=").append(relative(e.ack(), fromClient ? isnY : isnX, fromClient ? "y" : "x"));
    }
    b.append(" len=").append(e.len());
    if (e.options() != null && (e.flags() & Flags.SYN) != 0) {
      b.append(" win=").append(e.window()).append(" <").append(e.options().tcpdump()).append('>');
    }
    if (e.retransmit()) b.append(" (retransmission)");
    if (e.reason() != null) b.append(" [").append(e.reason().label()).append(']');
    b.append("   ").append(arrow).append("  seq=").append(Seq.unsigned(e.seq()));
    if (hasAck) b.append(" ack=").append(Seq.unsigned(e.ack()));
    return b.toString();
  }

  /** One JSON object (one line of jsonl). */
  public String json(TraceEvent e) {
    StringBuilder b = new StringBuilder(200);
    b.append("{\"t\":").append(e.t()).append(",\"ev\":\"").append(e.kind().label()).append('"');
    b.append(",\"conn\":").append(e.conn());
    if (e.kind() == TraceEvent.Kind.STATE) {
      b.append(",\"endpoint\":\"").append(address(e.srcHost(), e.srcPort())).append('"');
      b.append(",\"peer\":\"").append(address(e.dstHost(), e.dstPort())).append('"');
      b.append(",\"from\":\"").append(e.from().name()).append('"');
      b.append(",\"to\":\"").append(e.to().name()).append('"');
    } else {
      b.append(",\"src\":\"").append(address(e.srcHost(), e.srcPort())).append('"');
      b.append(",\"dst\":\"").append(address(e.dstHost(), e.dstPort())).append('"');
      b.append(",\"flags\":\"").append(Flags.names(e.flags())).append('"');
      b.append(",\"seq\":").append(Seq.unsigned(e.seq()));
      b.append(",\"ack\":").append(Seq.unsigned(e.ack()));
      b.append(",\"len\":").append(e.len());
      b.append(",\"retransmit\":").append(e.retransmit());
      if (e.reason() != null) b.append(",\"reason\":\"").append(e.reason().label()).append('"');
      if (e.options() != null) {
        b.append(",\"win\":").append(e.window());
        b.append(",\"options\":").append(e.options().json());
      }
    }
    return b.append('}').toString();
  }

  private void learnIsns(TraceEvent e) {
    if (e.kind() == TraceEvent.Kind.STATE) {
      if (e.from() == TcpState.CLOSED && e.to() == TcpState.SYN_SENT && clientHost < 0) {
        clientHost = e.srcHost(); // the active opener is the client
        clientPort = e.srcPort();
      }
      return;
    }
    boolean syn = (e.flags() & Flags.SYN) != 0;
    boolean ack = (e.flags() & Flags.ACK) != 0;
    if (syn && !ack && isnX < 0 && (clientHost < 0 || isClient(e.srcHost(), e.srcPort()))) {
      clientHost = e.srcHost();
      clientPort = e.srcPort();
      isnX = Seq.unsigned(e.seq());
    } else if (syn && ack && isnY < 0 && clientHost >= 0 && !isClient(e.srcHost(), e.srcPort())) {
      isnY = Seq.unsigned(e.seq());
    }
  }

  private boolean isClient(int host, int port) {
    return host == clientHost && port == clientPort;
  }

  private static String relative(int value, long isn, String name) {
    if (isn < 0) return Long.toString(Seq.unsigned(value));
    long d = Integer.toUnsignedLong(Seq.diff(value, (int) isn));
    if (d == 0) return name;
    if (d < (1L << 31)) return name + "+" + d;
    return Long.toString(Seq.unsigned(value));
  }
}
