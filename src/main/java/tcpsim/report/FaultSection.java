package tcpsim.report;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tcpsim.net.Fault;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Flags;

/**
 * The "Faults" section of {@code report.html}, for a run whose scenario has a {@code faults:}
 * timeline: one row per fault saying in plain words what it was and what it did, and the data
 * of the bands that shade each fault on the time charts. A page without faults has none of it.
 *
 * <p>Every figure comes from the run's report.json ({@code faults}), so the page and the file
 * agree; nothing depends on the wall clock.
 */
final class FaultSection {
  private FaultSection() {}

  /** Appends the section: a note on what is counted, then the table. */
  static void html(StringBuilder b, RunResult r, Map<String, Object> report, boolean charts) {
    Scenario sc = r.scenario();
    List<?> entries = (List<?>) report.get("faults");
    b.append("<h2 id=\"faults\">Faults</h2>\n");
    b.append("<p class=\"note\">The scenario's scheduled faults, in file order. A fault acts on ")
        .append("the segments sent while it lasts whose hosts match its target; retransmissions ")
        .append("and connections that ended reset or timed out are counted on its paths while ")
        .append("it lasts and in the ").append(Html.escape(seconds(FaultEffects.GRACE_NS)))
        .append(" after it (for a crash, also the connections it cut, whenever they ended)")
        .append(charts ? ". Shaded on the time charts below." : ".").append("</p>\n");
    b.append("<table class=\"faults\" id=\"fault-table\">\n")
        .append("<tr><th>#</th><th>when</th><th>what</th><th>what it did</th></tr>\n");
    for (int i = 0; i < sc.faults().size(); i++) {
      Fault f = sc.faults().get(i);
      Map<?, ?> m = (Map<?, ?>) entries.get(i);
      b.append("<tr class=\"").append(f.kind()).append("\" id=\"fault-").append(i)
          .append("\"><td>").append(i).append("</td><td>").append(Html.escape(when(f)))
          .append("</td><td>").append(Html.escape(what(sc, f))).append("</td><td>")
          .append(Html.escape(did(f, m))).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  /**
   * The bands on the time charts, in fault order: {@code label} (the kind; a crash also names
   * its host), {@code startMs} and {@code endMs} (equal for a reset, drawn as a line).
   */
  static List<Map<String, Object>> data(RunResult r) {
    Scenario sc = r.scenario();
    List<Map<String, Object>> bands = new ArrayList<>();
    for (Fault f : sc.faults()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("label", label(sc, f));
      m.put("startMs", f.at() / 1e6);
      m.put("endMs", Math.min(f.until(), Math.max(f.at(), r.simulatedNs())) / 1e6);
      bands.add(m);
    }
    return bands;
  }

  /** A band's label: the kind, and for a crash the host ("crash mirror"). */
  static String label(Scenario sc, Fault f) {
    if (f.target() instanceof Fault.Host h && f.effect() instanceof Fault.Crash) {
      return f.kind() + " " + sc.hosts().get(h.host()).name();
    }
    return f.kind();
  }

  /** "2.0–4.0 s", or "at 26.0 s" for a reset. */
  static String when(Fault f) {
    if (f.until() == f.at()) return "at " + plainSeconds(f.at()) + " s";
    if (f.until() == Long.MAX_VALUE) return "from " + plainSeconds(f.at()) + " s on";
    return plainSeconds(f.at()) + "\u2013" + plainSeconds(f.until()) + " s";
  }

  /** What the fault was, in words. */
  static String what(Scenario sc, Fault f) {
    Fault.Effect e = f.effect();
    Fault.Target t = f.target();
    String where = where(sc, t);
    if (e instanceof Fault.Partition) {
      if (t instanceof Fault.Between p) {
        return "partition between " + host(sc, p.a()) + " and " + host(sc, p.b())
            + ": every segment either way dropped";
      }
      if (t instanceof Fault.Host h) {
        return "partition cutting " + host(sc, h.host())
            + " off from every host: every segment to or from it dropped";
      }
      return "partition of the whole network: every segment dropped";
    }
    if (e instanceof Fault.Blackhole) {
      return "blackhole on " + where
          + ": every segment that way dropped, the other direction still worked";
    }
    if (e instanceof Fault.Loss l) {
      return "loss spike: " + percent(l.probability()) + " of the segments lost on " + where;
    }
    if (e instanceof Fault.Latency l) {
      return "latency spike: " + seconds(l.extra()) + " more delay on " + where;
    }
    if (e instanceof Fault.Jitter j) {
      return "jitter: 0 to " + seconds(j.max()) + " more delay, at random, on " + where;
    }
    if (e instanceof Fault.Duplicate d) {
      return "duplication: " + percent(d.probability()) + " of the segments arrived twice on "
          + where;
    }
    if (e instanceof Fault.Reorder o) {
      return "reordering: " + percent(o.probability()) + " of the segments held back "
          + seconds(o.delay()) + " on " + where;
    }
    if (e instanceof Fault.Corrupt c) {
      return "corruption: " + percent(c.probability()) + " of the segments damaged on " + where;
    }
    if (e instanceof Fault.Bandwidth w) {
      String queue = w.queueLimitBytes() == Fault.Bandwidth.LINK_QUEUE ? ""
          : w.queueLimitBytes() == 0 ? " (unlimited queue)"
          : " (queue " + w.queueLimitBytes() + " bytes)";
      return "bandwidth cut to " + bitRate(w.bitsPerSecond()) + queue + " on " + where;
    }
    if (e instanceof Fault.Reset r) {
      String into = t instanceof Fault.FromTo p
          ? "RSTs to " + host(sc, p.to()) + " pretending to come from " + host(sc, p.from())
              + ", injected by a middlebox into every live connection between them"
          : "RSTs to both ends of every live connection on " + where
              + ", injected by a middlebox";
      return into + (r.seq() == Fault.ResetSeq.EXACT
          ? ", with exact sequence numbers (the receiver resets the connection)"
          : ", with in-window sequence numbers (RFC 5961: the receiver answers with a "
              + "challenge ACK and the connection survives)");
    }
    if (e instanceof Fault.Filter rule) {
      String which = (rule.flags() < 0 ? "every segment" : "every " + Flags.names(rule.flags())
          + " segment") + (rule.length() < 0 ? "" : " with " + rule.length() + " bytes of data");
      return "a firewall rule dropping " + which + " on " + where;
    }
    // Crash: its target is always a host.
    return "crash of " + host(sc, ((Fault.Host) t).host()) + ": its connections vanished; it "
        + "restarted with fresh state at " + plainSeconds(f.until()) + " s";
  }

  /** What the fault did, in words, from its report.json entry. */
  static String did(Fault f, Map<?, ?> m) {
    long matched = n(m, "segmentsMatched");
    long dropped = n(m, "segmentsDropped");
    long delayed = n(m, "segmentsDelayed");
    long duplicated = n(m, "segmentsDuplicated");
    long corrupted = n(m, "segmentsCorrupted");
    long resets = n(m, "resetsInjected");
    long retransmitted = n(m, "segmentsRetransmitted");
    Fault.Effect e = f.effect();
    List<String> parts = new ArrayList<>();
    if (e instanceof Fault.Reset) {
      parts.add(count(resets, "RST", "RSTs") + " injected");
    } else {
      parts.add(count(matched, "segment", "segments") + " sent through it");
    }
    boolean drops = e instanceof Fault.Partition || e instanceof Fault.Blackhole
        || e instanceof Fault.Loss || e instanceof Fault.Bandwidth || e instanceof Fault.Crash;
    if (drops || dropped > 0) {
      String s = dropped + " dropped";
      if (e instanceof Fault.Crash && dropped > matched) {
        s += " (" + (dropped - matched) + " of them sent before the crash and dropped on "
            + "arrival at the down host)";
      }
      parts.add(s);
    }
    if (e instanceof Fault.Latency || e instanceof Fault.Jitter || e instanceof Fault.Reorder
        || e instanceof Fault.Bandwidth || delayed > 0) {
      parts.add(delayed + " delayed");
    }
    if (e instanceof Fault.Duplicate || duplicated > 0) parts.add(duplicated + " duplicated");
    if (e instanceof Fault.Corrupt || corrupted > 0) {
      parts.add(corrupted + " damaged (the receiver's checksum check dropped them)");
    }
    if (e instanceof Fault.Crash) {
      parts.add(count(n(m, "endpointsCrashed"), "endpoint", "endpoints") + " crashed");
    }
    if (!(e instanceof Fault.Reset) && (drops || corrupted > 0 || retransmitted > 0)) {
      parts.add("TCP retransmitted " + count(retransmitted, "segment", "segments")
          + " on these paths during it and in the " + seconds(FaultEffects.GRACE_NS)
          + " after");
    }
    long reset = n(m, "connectionsReset");
    long timedOut = n(m, "connectionsTimedOut");
    parts.add(count(reset, "connection", "connections") + " reset, " + timedOut + " timed out");
    return String.join("; ", parts);
  }

  private static long n(Map<?, ?> m, String key) {
    Object v = m.get(key);
    return v instanceof Number num ? num.longValue() : 0;
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String where(Scenario sc, Fault.Target t) {
    if (t instanceof Fault.Host h) return "every link of " + host(sc, h.host());
    if (t instanceof Fault.Between p) {
      return "the path between " + host(sc, p.a()) + " and " + host(sc, p.b());
    }
    if (t instanceof Fault.FromTo p) {
      return "the path from " + host(sc, p.from()) + " to " + host(sc, p.to());
    }
    return "all links";
  }

  private static String host(Scenario sc, int host) {
    return host >= 0 && host < sc.hosts().size() ? sc.hosts().get(host).name() : "#" + host;
  }

  /** 0.3 as "30%", 0.005 as "0.5%". */
  private static String percent(double p) {
    return BigDecimal.valueOf(p * 100).stripTrailingZeros().toPlainString() + "%";
  }

  private static String bitRate(long bps) {
    String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s"};
    int u = 0;
    BigDecimal v = BigDecimal.valueOf(bps);
    while (u + 1 < units.length && v.compareTo(BigDecimal.valueOf(1000)) >= 0) {
      v = v.movePointLeft(3);
      u++;
    }
    return v.stripTrailingZeros().toPlainString() + " " + units[u];
  }

  /** "1 s", "250 ms". */
  private static String seconds(long ns) {
    return AttackSection.seconds(ns);
  }

  /** Seconds with at least one decimal: "2.0", "2.25", "0.5". */
  static String plainSeconds(long ns) {
    BigDecimal s = BigDecimal.valueOf(ns, 9).stripTrailingZeros();
    if (s.scale() < 1) s = s.setScale(1);
    return s.toPlainString();
  }
}
