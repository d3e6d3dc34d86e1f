package tcpsim.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Listener;
import tcpsim.tcp.TcpParams;
import tcpsim.tcp.TcpState;

/**
 * The "Attack" section of {@code report.html}, for a run with SYN floods (RFC 4987): what a SYN
 * flood is and what this one did, in plain words; the half-open connections (SYN backlog) over
 * time; and per client group how the legitimate clients fared before, during and after the
 * attack. A page without attackers has none of it.
 *
 * <p>Every figure comes from the run's report.json (so the page and the file agree) or from its
 * timeline; nothing depends on the wall clock.
 */
final class AttackSection {
  private AttackSection() {}

  private static final String[] PHASES = {"before", "during", "after"};

  /** Appends the section: the story, the half-open chart's place, the phase tables. */
  static void html(StringBuilder b, RunResult r, Map<String, Object> report, boolean chart) {
    Scenario sc = r.scenario();
    long[] span = sc.attackSpan();
    b.append("<h2 id=\"attack\">Attack: SYN flood</h2>\n<div class=\"story\">\n");
    b.append("<p>A TCP connection starts with a three-way handshake: the client sends a SYN, the ")
        .append("server answers with a SYN-ACK and keeps a small record of the half-open ")
        .append("connection until the client's ACK completes it. In a SYN flood an attacker ")
        .append("sends SYNs and never that ACK, so the records pile up until the server's table ")
        .append("of them (the SYN backlog) is full and real clients are turned away too.</p>\n");
    for (Scenario.Attacker a : sc.attackers()) {
      b.append("<p>").append(Html.escape(attackerStory(sc, a))).append("</p>\n");
    }
    for (Target t : targets(sc)) {
      b.append("<p>").append(Html.escape(defenceStory(sc, t))).append("</p>\n");
    }
    String outcome = outcomeStory(sc, report);
    if (!outcome.isEmpty()) b.append("<p>").append(Html.escape(outcome)).append("</p>\n");
    b.append("</div>\n");

    if (chart) {
      b.append("<h3>Half-open connections (SYN backlog)</h3>\n");
      b.append("<p class=\"note\">Half-open: endpoints in SYN-RECEIVED (on every host) at the ")
          .append("end of each interval. Dashed: the SYN backlog's size")
          .append(targets(sc).size() > 1 ? " (the attacked listeners' backlogs together)" : "")
          .append(". Right axis: SYNs ")
          .append("dropped because the backlog was full")
          .append(cookiesShown(sc) ? ", and SYN-ACKs sent as SYN cookies," : "")
          .append(" per interval. Shaded: the attack.</p>\n");
      b.append("<div id=\"chart-halfopen\" class=\"chart\"></div>\n");
    }

    b.append("<h3>Legitimate clients before, during and after the attack</h3>\n");
    b.append("<p class=\"note\">A connection counts in the phase in which its client opened it: ")
        .append("before ").append(Html.escape(seconds(span[0]))).append(", from ")
        .append(Html.escape(seconds(span[0]))).append(" to ").append(Html.escape(seconds(span[1])))
        .append(", or from ").append(Html.escape(seconds(span[1])))
        .append(" on. Handshake times in ms, of the connections that got established.</p>\n");
    List<?> groups = (List<?>) report.get("groups");
    for (Object o : groups) {
      Map<?, ?> g = (Map<?, ?>) o;
      String name = String.valueOf(g.get("name"));
      b.append("<table class=\"phases\" id=\"phases-").append(Html.escape(name)).append("\">\n")
          .append("<caption>client group ").append(Html.escape(name)).append("</caption>\n")
          .append("<tr><th>phase</th><th>opened</th><th>attempted</th><th>established</th>")
          .append("<th>established %</th><th>failed</th><th>handshake p50</th>")
          .append("<th>handshake p99</th></tr>\n");
      for (String phase : PHASES) {
        Map<?, ?> p = (Map<?, ?>) g.get(phase);
        if (p == null) continue;
        Map<?, ?> hs = (Map<?, ?>) p.get("handshakeMs");
        boolean any = ((Number) hs.get("count")).longValue() > 0;
        String opened = switch (phase) {
          case "before" -> "before " + seconds(span[0]);
          case "during" -> seconds(span[0]) + " to " + seconds(span[1]);
          default -> "from " + seconds(span[1]);
        };
        b.append("<tr class=\"").append(phase).append("\"><th>").append(phase)
            .append(phase.equals("during") ? " the attack" : "").append("</th><td>")
            .append(Html.escape(opened)).append("</td><td>").append(p.get("attempted"))
            .append("</td><td>").append(p.get("established")).append("</td><td>")
            .append(percent(p.get("established"), p.get("attempted"))).append("</td><td>")
            .append(p.get("failed")).append("</td><td>")
            .append(any ? ms(hs.get("p50")) : "-").append("</td><td>")
            .append(any ? ms(hs.get("p99")) : "-").append("</td></tr>\n");
      }
      b.append("</table>\n");
    }
  }

  /**
   * The chart data: the attack windows (bands on every time chart), the backlog size, and per
   * timeline row the half-open endpoints, SYNs dropped for a full backlog and (when some target
   * may send them) SYN cookies sent.
   */
  static Map<String, Object> data(RunResult r, List<TimelineSink.Row> rows) {
    Scenario sc = r.scenario();
    Map<String, Object> d = new LinkedHashMap<>();
    List<Map<String, Object>> bands = new ArrayList<>();
    for (Scenario.Attacker a : sc.attackers()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", a.name());
      m.put("startMs", a.start() / 1e6);
      m.put("endMs", a.end() / 1e6);
      bands.add(m);
    }
    d.put("bands", bands);
    // The half-open count is every listener's together, so with several attacked listeners
    // the line is their backlogs' sum.
    List<String> names = new ArrayList<>();
    long size = 0;
    for (Target t : targets(sc)) {
      names.add(t.label(sc));
      size += Listener.synQueueCapacity(t.params(sc));
    }
    Map<String, Object> backlog = new LinkedHashMap<>();
    backlog.put("name", String.join(" + ", names));
    backlog.put("value", size);
    d.put("backlog", backlog);
    List<Object> halfOpen = new ArrayList<>(rows.size());
    List<Object> dropped = new ArrayList<>(rows.size());
    List<Object> cookies = new ArrayList<>(rows.size());
    for (TimelineSink.Row row : rows) {
      double t = row.startNs() / 1e6;
      halfOpen.add(new Object[] {t, row.count(TcpState.SYN_RECEIVED)});
      dropped.add(new Object[] {t, row.synDropped()});
      cookies.add(new Object[] {t, row.cookiesSent()});
    }
    d.put("halfOpen", halfOpen);
    d.put("synDropped", dropped);
    if (cookiesShown(sc)) d.put("cookiesSent", cookies);
    return d;
  }


  /** A listener under attack. */
  record Target(int host, int port) {
    TcpParams params(Scenario sc) {
      return sc.hosts().get(host).tcp();
    }

    String label(Scenario sc) {
      return sc.hosts().get(host).name() + ":" + port;
    }
  }

  /** The attacked listeners, in the order the attackers name them first. */
  static List<Target> targets(Scenario sc) {
    List<Target> out = new ArrayList<>();
    for (Scenario.Attacker a : sc.attackers()) {
      Target t = new Target(a.toHost(), a.toPort());
      if (!out.contains(t)) out.add(t);
    }
    return out;
  }

  private static boolean cookiesShown(Scenario sc) {
    return targets(sc).stream()
        .anyMatch(t -> t.params(sc).synCookies() != TcpParams.SynCookies.OFF);
  }

  private static String attackerStory(Scenario sc, Scenario.Attacker a) {
    StringBuilder s = new StringBuilder("Here the attacker \"").append(a.name()).append("\" sent ")
        .append(number(a.rate())).append(" SYNs per second to ")
        .append(sc.hosts().get(a.toHost()).name()).append(':').append(a.toPort())
        .append(" from ").append(seconds(a.start())).append(" to ").append(seconds(a.end()))
        .append(" of simulated time, ").append(a.synCount()).append(" SYNs in all, ");
    if (a.source() == Scenario.FloodSource.SPOOFED) {
      s.append("from forged (spoofed) source addresses, drawn from ").append(a.addresses())
          .append(" addresses that belong to no host: the server's SYN-ACKs go nowhere, so ")
          .append("nobody ever answers or resets them.");
    } else {
      s.append("from its own address (host ").append(sc.hosts().get(a.fromHost()).name())
          .append("), which ignores the server's SYN-ACKs.");
    }
    return s.toString();
  }

  private static String defenceStory(Scenario sc, Target t) {
    TcpParams p = t.params(sc);
    // A half-open entry that is never answered is dropped after its last SYN-ACK times out:
    // the timeouts start at rtoInitial (Linux: 1 s) and double, capped at rtoMax (Listener's
    // schedule).
    List<String> timeouts = new ArrayList<>();
    long rto = Listener.firstSynAckTimeout(p);
    long life = 0;
    for (int k = 0; k <= p.synAckRetries(); k++) {
      timeouts.add(plainSeconds(rto));
      life += rto;
      rto = Math.min(rto * 2, p.rtoMax());
    }
    StringBuilder s = new StringBuilder("The defence of ").append(t.label(sc))
        .append(": a SYN backlog of ").append(Listener.synQueueCapacity(p))
        .append(" half-open connections")
        .append(Listener.synQueueCapacity(p) > p.synBacklog()
            ? " (the listen backlog " + p.synBacklog() + ", plus one as Linux counts)" : "")
        .append("; each SYN-ACK is resent up to ").append(p.synAckRetries())
        .append(p.synAckRetries() == 1 ? " time" : " times")
        .append(" (synAckRetries), so an entry nobody answers holds its place for ")
        .append(seconds(life)).append(" (timeouts of ").append(joinAnd(timeouts))
        .append(" s)")
        .append(p.isLinux() && p.synAckRetries() > 2 ? ", or under pressure only 7 s: Linux"
            + " drops an entry at its third timeout while the backlog is more than half full"
            + " of entries that have already timed out" : "")
        .append("; SYN cookies ");
    switch (p.synCookies()) {
      case OFF -> s.append("off: a SYN that finds the backlog full is dropped, and its ")
          .append("client can only try again later.");
      case ON_OVERFLOW -> s.append("on-overflow: while the backlog is full, a SYN is answered ")
          .append("with a SYN cookie, a SYN-ACK whose sequence number encodes the connection, ")
          .append("so the server keeps no record and a real client's ACK still opens the ")
          .append("connection.");
      case ALWAYS -> s.append("always: every SYN is answered with a SYN cookie (a SYN-ACK whose ")
          .append("sequence number encodes the connection) and no half-open record is kept.");
    }
    return s.toString();
  }

  /** What happened, from report.json's listeners and groups. */
  private static String outcomeStory(Scenario sc, Map<String, Object> report) {
    StringBuilder s = new StringBuilder();
    for (Target t : targets(sc)) {
      Map<?, ?> l = null;
      for (Object o : (List<?>) report.get("listeners")) {
        Map<?, ?> m = (Map<?, ?>) o;
        if (t.label(sc).equals(m.get("host") + ":" + m.get("port"))) l = m;
      }
      if (l == null) continue;
      long peak = ((Number) l.get("synBacklogPeak")).longValue();
      s.append(s.length() == 0 ? "What happened: the" : " The").append(" SYN backlog of ")
          .append(t.label(sc)).append(" held at most ").append(peak)
          .append(" half-open connections")
          .append(peak >= Listener.synQueueCapacity(t.params(sc)) ? " (it was full)" : "")
          .append("; ")
          .append(l.get("synDropped"))
          .append(" SYNs were dropped because it was full");
      long cookies = ((Number) l.get("cookiesSent")).longValue();
      if (cookies > 0) {
        s.append("; ").append(cookies).append(" SYN cookies were sent and ")
            .append(l.get("cookiesAccepted")).append(" came back as valid ACKs");
      }
      s.append('.');
    }
    long[][] phases = new long[PHASES.length][2];
    for (Object o : (List<?>) report.get("groups")) {
      Map<?, ?> g = (Map<?, ?>) o;
      for (int i = 0; i < PHASES.length; i++) {
        Map<?, ?> p = (Map<?, ?>) g.get(PHASES[i]);
        if (p == null) continue;
        phases[i][0] += ((Number) p.get("attempted")).longValue();
        phases[i][1] += ((Number) p.get("established")).longValue();
      }
    }
    if (phases[0][0] + phases[1][0] + phases[2][0] > 0) {
      s.append(s.length() == 0 ? "" : " ").append("Legitimate clients that connected during the ")
          .append("attack: ").append(phases[1][1]).append(" of ").append(phases[1][0])
          .append(" established (").append(percent(phases[1][1], phases[1][0]))
          .append("); before it ").append(phases[0][1]).append(" of ").append(phases[0][0])
          .append(" (").append(percent(phases[0][1], phases[0][0])).append("), after it ")
          .append(phases[2][1]).append(" of ").append(phases[2][0]).append(" (")
          .append(percent(phases[2][1], phases[2][0])).append(").");
    }
    return s.toString();
  }

  /** established / attempted as "97.5%", or "-" when nothing was attempted. */
  static String percent(Object established, Object attempted) {
    double a = ((Number) attempted).doubleValue();
    if (a <= 0) return "-";
    return String.format(Locale.ROOT, "%.1f%%", 100.0 * ((Number) established).doubleValue() / a);
  }

  static String ms(Object v) {
    return String.format(Locale.ROOT, "%.3f", ((Number) v).doubleValue());
  }

  /** "20 s", "1.5 s", "250 ms": exact, without trailing zeros. */
  static String seconds(long ns) {
    if (ns != 0 && Math.abs(ns) < 1_000_000_000L) {
      return BigDecimal.valueOf(ns, 6).stripTrailingZeros().toPlainString() + " ms";
    }
    return plainSeconds(ns) + " s";
  }

  private static String plainSeconds(long ns) {
    return BigDecimal.valueOf(ns, 9).stripTrailingZeros().toPlainString();
  }

  private static String number(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }

  /** "1", "1 and 2", "1, 2 and 4". */
  private static String joinAnd(List<String> items) {
    if (items.size() == 1) return items.get(0);
    return String.join(", ", items.subList(0, items.size() - 1)) + " and "
        + items.get(items.size() - 1);
  }
}
