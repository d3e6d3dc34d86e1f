package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.ReportJson;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Expectation;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.TcpState;

/**
 * docs/linux-profile.md §8.9, syn-flood-backlog.yaml and syn-flood-cookies.yaml: under {@code
 * profile: linux}, a listener with backlog 8 takes a spoofed flood of 30 SYN/s for 25 s from F =
 * 1 s, 1 ms one way; one legitimate client connects at F + 1.5 s. The request table, the
 * client's fate and the counters are the specification's, derived there from Linux's rules:
 * the SYN queue full at backlog + 1, 1 s doubling request timers, young/old pruning, and the
 * SYN schedule with four linear timeouts.
 */
class LinuxSynFloodTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final long F = 1 * S;
  private static final int SERVER = 1;
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(String tcp) throws Exception {
    return SimulationFixture.run(system, ScenarioLoader.loadString(scenario(tcp),
        "syn-flood-backlog.yaml"), null);
  }

  private static String scenario(String tcp) {
    return """
        name: syn-flood-backlog
        duration: 200s
        tcp: {profile: linux, %s}
        hosts:
          - {name: client}
          - {name: server}
          - {name: attacker}
        listeners: [{host: server, port: 80, backlog: 8}]
        clients:
          - {name: legit, from: client, to: server:80, count: 1, start: 2500ms}
        attackers:
          - {name: flood, from: attacker, to: server:80, rate: 30/s, start: 1s, for: 25s}
        network: {latency: 1ms}
        """.formatted(tcp);
  }

  /** When flood SYN k arrives at the server: F + ⌊k·10⁹/30⌋ ns + 1 ms. */
  private static long arrival(int k) {
    return F + (long) Math.floor(k * 1e9 / 30) + 1 * MS;
  }

  /**
   * Each flood request (by k; the flood's connection ids follow the one client's), from its
   * queueing to its end: its lifetime in whole seconds, checked to be exact.
   */
  private static Map<Integer, Long> requestLifetimes(SimulationFixture f) {
    Map<Integer, Long> created = new HashMap<>();
    Map<Integer, Long> lives = new TreeMap<>();
    for (TraceEvent e : f.trace) {
      if (e.kind() != TraceEvent.Kind.STATE || e.srcHost() != SERVER || e.conn() == 0) continue;
      int k = e.conn() - 1;
      if (e.to() == TcpState.SYN_RECEIVED) {
        assertEquals(arrival(k), e.t(), "request " + k + " is queued when its SYN arrives");
        created.put(k, e.t());
      } else if (e.from() == TcpState.SYN_RECEIVED) {
        long life = e.t() - created.get(k);
        assertEquals(0, life % S, "request " + k + " lived " + life + " ns");
        lives.put(k, life / S);
      }
    }
    assertEquals(created.keySet(), lives.keySet(), "every request expired before the end");
    return lives;
  }

  /** The request table of §8.9 (k → lifetime, s): 2, 3 or 5 SYN,ACK retransmissions. */
  private static Map<Integer, Long> specTable(boolean withK8) {
    Map<Integer, Long> t = new TreeMap<>();
    for (int k : new int[] {0, 1, 210, 211, 420, 421, 452, 453, 630, 631, 662, 663}) t.put(k, 7L);
    for (int k : new int[] {2, 3, 4, 454}) t.put(k, 15L);
    for (int k = 5; k <= (withK8 ? 8 : 7); k++) t.put(k, 63L);
    return t;
  }

  private static ListenerStats listener(SimulationFixture f) {
    return f.result.listeners().get(0);
  }

  @Test
  void backlog_queueFullAtNineFrom0_27s_oldRequestsDieAt7s_clientInAtFPlus36_502()
      throws Exception {
    SimulationFixture f = run("synCookies: off");
    assertEquals(specTable(true), requestLifetimes(f));
    ListenerStats l = listener(f);
    assertEquals(9, l.synBacklogPeak, "backlog + 1");
    // Full from k = 8's arrival (F + 0.2677 s); k = 9 (F + 0.301 s) is the first dropped.
    TraceEvent firstDrop = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.SYN_BACKLOG_FULL).findFirst().orElseThrow();
    assertEquals(arrival(9), firstDrop.t());
    assertEquals(10, firstDrop.conn());
    // 730 flood SYNs and 9 of the client's: ListenDrops 739; 56 SYN,ACKs into the void.
    assertEquals(739, l.synDropped);
    assertEquals(739, l.listenDrops);
    assertEquals(56, l.synAckRetransmits);
    long clientDrops = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.conn() == 0).count();
    assertEquals(9, clientDrops);
    // The client's 10th SYN (sent F + 36.5 s) finds room: ESTABLISHED F + 36.502, server 36.503.
    assertEquals(F + 36_502 * MS, f.timeOf(0, 0, "ESTABLISHED"));
    assertEquals(F + 36_503 * MS, f.timeOf(0, SERVER, "ESTABLISHED"));
    // The Linux counters are in report.json, and expectations can name them.
    Map<String, Object> report = ReportJson.build(f.result);
    List<Expectation> checks = ScenarioLoader.loadVariantsString(scenario("synCookies: off")
        + "expect: [listeners.server:80.listenDrops == 739,"
        + " listeners.server:80.listenOverflows == 0]\n", "x.yaml").get(0).expectations();
    for (Expectation e : checks) assertTrue(e.evaluate(report).passed(), e.evaluate(report).message());
  }

  @Test
  void backlog_withTheOlderGeTest_holdsEight_k8IsNeverQueued_clientInAtTheSameInstant()
      throws Exception {
    SimulationFixture f = run("synCookies: off, sysctl: {tcp_reqsk_full: ge}");
    Map<Integer, Long> lives = requestLifetimes(f);
    assertEquals(19, lives.size());
    assertTrue(!lives.containsKey(8));
    assertEquals(8, listener(f).synBacklogPeak);
    assertEquals(F + 36_502 * MS, f.timeOf(0, 0, "ESTABLISHED"));
  }

  @Test
  void cookies_sameRequests_everyOverflowGetsACookie_clientInOnItsFirstSyn() throws Exception {
    SimulationFixture f = run("synCookies: on-overflow");
    assertEquals(specTable(true), requestLifetimes(f));
    ListenerStats l = listener(f);
    assertEquals(731, l.cookiesSent); // 730 flood SYNs and the client's first
    assertEquals(0, l.listenDrops);
    assertEquals(0, l.synDropped);
    assertEquals(1, l.cookiesAccepted);
    assertEquals(56, l.synAckRetransmits, "a cookie SYN,ACK is never retransmitted");
    assertEquals(F + 1502 * MS, f.timeOf(0, 0, "ESTABLISHED"));
    assertEquals(F + 1503 * MS, f.timeOf(0, SERVER, "ESTABLISHED"));
  }
}
