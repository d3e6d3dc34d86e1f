package tcpsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tcpsim.net.Fault;
import tcpsim.net.NetworkStats;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.TcpState;

/**
 * report.json: a run's figures in a fixed key order, so that two runs with the same seed give
 * byte-identical files apart from {@code wallMs}.
 */
public final class ReportJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ReportJson() {}

  public static Map<String, Object> build(RunResult r) {
    RunStats s = r.stats();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("scenario", r.scenario().name());
    root.put("seed", r.seed());
    root.put("simulatedNs", r.simulatedNs());
    root.put("wallMs", r.wallMs());
    root.put("cutByDuration", r.cutByDuration());
    root.put("nodes", r.nodes());

    Map<Outcome, Long> outcomes = s.outcomes();
    Map<String, Object> connections = new LinkedHashMap<>();
    connections.put("attempted", s.attempted());
    connections.put("established", s.established());
    for (Outcome.Category c : Outcome.Category.values()) {
      long n = 0;
      for (var e : outcomes.entrySet()) if (e.getKey().category() == c) n += e.getValue();
      connections.put(c.name().toLowerCase(java.util.Locale.ROOT), n);
    }
    root.put("connections", connections);

    Map<String, Object> byOutcome = new LinkedHashMap<>();
    for (Outcome o : Outcome.values()) byOutcome.put(o.label(), outcomes.getOrDefault(o, 0L));
    root.put("outcomes", byOutcome);

    Map<String, Object> segments = new LinkedHashMap<>();
    segments.put("sent", s.sent());
    segments.put("delivered", s.delivered());
    segments.put("dropped", s.dropped());
    segments.put("duplicated", s.duplicated());
    segments.put("retransmitted", s.retransmitted());
    segments.put("inFlight", r.inFlight());
    root.put("segments", segments);

    Map<String, Object> drops = new LinkedHashMap<>();
    boolean faults = !r.scenario().faults().isEmpty();
    for (DropReason d : DropReason.values()) {
      long n = s.dropsByReason().getOrDefault(d, 0L);
      // Fault reasons only where faults are scheduled: other reports keep their keys.
      if (!d.fromFault() || faults || n > 0) drops.put(d.label(), n);
    }
    root.put("dropsByReason", drops);

    Map<String, Object> retxByKind = new LinkedHashMap<>();
    for (var e : s.retransmissionsByKind().entrySet()) {
      retxByKind.put(e.getKey().label(), e.getValue());
    }
    root.put("retransmissionsByKind", retxByKind);

    root.put("handshakeMs", percentiles(s.handshake()));
    root.put("lifecycleMs", percentiles(s.lifecycle()));

    Map<String, Object> peaks = new LinkedHashMap<>();
    for (TcpState st : TcpState.values()) peaks.put(st.name(), s.statePeak(st));
    root.put("statePeaks", peaks);

    root.put("listeners", listeners(r.listeners(), r));
    root.put("groups", groups(s));
    if (!r.scenario().attackers().isEmpty()) root.put("attackers", attackers(r.scenario()));
    if (!r.scenario().faults().isEmpty()) root.put("faults", faults(r));
    root.put("events", s.events());
    root.put("windows", r.windows());
    root.put("traceDigest", r.traceDigest());
    return root;
  }

  private static List<Map<String, Object>> listeners(List<ListenerStats> stats, RunResult r) {
    return stats.stream().map(l -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("host", r.scenario().hosts().get(l.host).name());
      m.put("port", l.port);
      m.put("synBacklogPeak", l.synBacklogPeak);
      m.put("synDropped", l.synDropped);
      m.put("acceptQueuePeak", l.acceptQueuePeak);
      m.put("accepted", l.accepted);
      m.put("synAckRetransmits", l.synAckRetransmits);
      m.put("resetsSent", l.resetsSent);
      m.put("cookiesSent", l.cookiesSent);
      m.put("cookiesAccepted", l.cookiesAccepted);
      m.put("cookiesRejected", l.cookiesRejected);
      // Linux's MIBs that only the linux profile's listener rules make interesting: shown for
      // listeners on linux-profile hosts, so other reports keep their shape.
      if (r.scenario().hosts().get(l.host).tcp().isLinux()) {
        m.put("listenDrops", l.listenDrops);
        m.put("listenOverflows", l.listenOverflows);
      }
      return m;
    }).toList();
  }

  private static List<Map<String, Object>> groups(RunStats s) {
    return s.groups().stream().map(g -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", g.name());
      m.put("attempted", g.attempted());
      m.put("established", g.established());
      for (var e : g.categories().entrySet()) {
        m.put(e.getKey().name().toLowerCase(java.util.Locale.ROOT), e.getValue());
      }
      m.put("handshakeMs", percentiles(g.handshake()));
      for (RunStats.PhaseFigures p : g.phases()) {
        Map<String, Object> pm = new LinkedHashMap<>();
        pm.put("attempted", p.attempted());
        pm.put("established", p.established());
        pm.put("failed", p.failed());
        pm.put("handshakeMs", percentiles(p.handshake()));
        m.put(p.phase().label(), pm);
      }
      return m;
    }).toList();
  }

  /** Each attacker: what it was told to do and how many SYNs it sent. */
  private static List<Map<String, Object>> attackers(Scenario scenario) {
    return scenario.attackers().stream().map(a -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", a.name());
      m.put("target", scenario.hosts().get(a.toHost()).name() + ":" + a.toPort());
      m.put("source", a.source().name().toLowerCase(java.util.Locale.ROOT));
      m.put("ratePerSecond", a.rate());
      m.put("startNs", a.start());
      m.put("endNs", a.end());
      m.put("synsSent", a.synCount());
      return m;
    }).toList();
  }

  /**
   * Each scheduled fault, in file order: what it was (kind, time, target, its parameters) and
   * what it did — the network's counters ({@link RunResult#faultCounts}) and the effects on
   * hosts and connections ({@link FaultEffects}).
   */
  private static List<Map<String, Object>> faults(RunResult r) {
    Scenario sc = r.scenario();
    FaultEffects effects = r.stats().faultEffects();
    // Statistics built without tracking faults (by hand, in a test) know no effects: zeros.
    List<FaultEffects.Figures> figures = effects != null ? effects.figures(r.stats())
        : java.util.Collections.nCopies(sc.faults().size(),
            new FaultEffects.Figures(0, 0, 0, 0, 0));
    List<Map<String, Object>> out = new ArrayList<>();
    for (int i = 0; i < sc.faults().size(); i++) {
      Fault f = sc.faults().get(i);
      NetworkStats.FaultCounts net = r.faultCount(i);
      FaultEffects.Figures fx = figures.get(i);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("index", i);
      m.put("kind", f.kind());
      m.put("atNs", f.at());
      // A filter without an end lasts the whole run: null rather than a huge number.
      m.put("untilNs", f.until() == Long.MAX_VALUE ? null : f.until());
      m.put("target", target(sc, f.target()));
      parameters(f.effect(), m);
      m.put("segmentsMatched", net.matched());
      m.put("segmentsDropped", net.dropped() + fx.hostDownDrops());
      m.put("segmentsDelayed", net.delayed());
      m.put("segmentsDuplicated", net.duplicated());
      m.put("segmentsCorrupted", net.corrupted());
      m.put("resetsInjected", net.resetsInjected());
      m.put("segmentsRetransmitted", fx.segmentsRetransmitted());
      m.put("connectionsReset", fx.connectionsReset());
      m.put("connectionsTimedOut", fx.connectionsTimedOut());
      if (f.effect() instanceof Fault.Crash) m.put("endpointsCrashed", fx.endpointsCrashed());
      out.add(m);
    }
    return out;
  }

  /** {@code all}, {@code host X}, {@code A<->B}, {@code A->B}. */
  static String target(Scenario sc, Fault.Target t) {
    if (t instanceof Fault.Host h) return "host " + hostName(sc, h.host());
    if (t instanceof Fault.Between b) return hostName(sc, b.a()) + "<->" + hostName(sc, b.b());
    if (t instanceof Fault.FromTo ft) return hostName(sc, ft.from()) + "->" + hostName(sc, ft.to());
    return "all";
  }

  private static String hostName(Scenario sc, int host) {
    return host >= 0 && host < sc.hosts().size() ? sc.hosts().get(host).name() : "#" + host;
  }

  /** The kind's own parameters, as the scenario gives them (durations in ns). */
  private static void parameters(Fault.Effect e, Map<String, Object> m) {
    if (e instanceof Fault.Loss l) {
      m.put("loss", l.probability());
    } else if (e instanceof Fault.Latency l) {
      m.put("latencyNs", l.extra());
    } else if (e instanceof Fault.Jitter j) {
      m.put("jitterNs", j.max());
    } else if (e instanceof Fault.Duplicate d) {
      m.put("duplicate", d.probability());
    } else if (e instanceof Fault.Reorder o) {
      m.put("reorder", o.probability());
      m.put("reorderDelayNs", o.delay());
    } else if (e instanceof Fault.Corrupt c) {
      m.put("corrupt", c.probability());
    } else if (e instanceof Fault.Bandwidth b) {
      m.put("bitsPerSecond", b.bitsPerSecond());
      // Absent: each link keeps its own queue limit.
      if (b.queueLimitBytes() != Fault.Bandwidth.LINK_QUEUE) m.put("queueBytes", b.queueLimitBytes());
    } else if (e instanceof Fault.Reset reset) {
      m.put("seq", reset.seq().label());
    } else if (e instanceof Fault.Filter rule) {
      if (rule.flags() >= 0) m.put("flags", tcpsim.tcp.Flags.names(rule.flags()));
      if (rule.length() >= 0) m.put("length", rule.length());
    }
  }

  private static Map<String, Object> percentiles(Histogram h) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("count", h.getTotalCount());
    boolean empty = h.getTotalCount() == 0;
    m.put("p50", empty ? 0.0 : RunStats.msFromMicros(h.getValueAtPercentile(50)));
    m.put("p90", empty ? 0.0 : RunStats.msFromMicros(h.getValueAtPercentile(90)));
    m.put("p99", empty ? 0.0 : RunStats.msFromMicros(h.getValueAtPercentile(99)));
    m.put("max", empty ? 0.0 : RunStats.msFromMicros(h.getMaxValue()));
    return m;
  }

  public static String toJson(RunResult r) {
    try {
      return JSON.writeValueAsString(build(r)) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot render report.json", e);
    }
  }

  /** Write {@code DIR/report.json} atomically: a temporary file first, then a rename. */
  public static Path write(RunResult r, Path dir) throws IOException {
    Path target = dir.resolve("report.json");
    AtomicFiles.write(target, toJson(r));
    return target;
  }
}
