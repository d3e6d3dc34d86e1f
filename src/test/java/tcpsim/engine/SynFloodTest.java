package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.RunStats;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.TcpState;

/**
 * A spoofed SYN flood against a 16-entry SYN backlog under the RFC profile's listener (SYN-ACK
 * at 1 s doubling, 5 retries, every entry kept for its whole schedule), 10 ms one way,
 * legitimate clients every 100 ms whose connect() gives up after 1+2+4 = 7 s (synRetries 2).
 * The attack sends 100 SYN/s from 2 s to 7 s.
 *
 * <p>This ran under {@code profile: linux} until that profile got Linux's listener rules
 * (backlog + 1, young/old pruning, docs/linux-profile.md §4–5), which change every figure here;
 * LinuxSynFloodTest checks those against the specification's reference run.
 */
class SynFloodTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(String cookies) throws Exception {
    Scenario sc = ScenarioLoader.loadString("""
        name: flood
        duration: 120s
        tcp: {profile: rfc, msl: 30s, synBacklog: 16, synCookies: %s}
        hosts:
          - {name: client, tcp: {synRetries: 2}}
          - {name: server}
          - {name: attacker}
        listeners: [{host: server, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 100, every: 100ms, clientBytes: 100}
        attackers:
          - {name: flood, from: attacker, to: server:80, rate: 100/s, start: 2s, for: 5s}
        network: {latency: 10ms}
        """.formatted(cookies), "flood.yaml");
    return SimulationFixture.run(system, sc, null);
  }

  /** Attack connection ids follow the 100 clients'. */
  private static boolean attack(TraceEvent e) {
    return e.conn() >= 100;
  }

  @Test
  void withoutDefence_theBacklogFillsAndStaysFull_legitimateClientsTimeOut_andItDrainsOnTheSynAckSchedule()
      throws Exception {
    SimulationFixture f = run("off");
    // Half-open entries over time, from the listener's state changes.
    int halfOpen = 0;
    long fullSince = -1;
    long firstFreed = -1;
    Map<Integer, Long> createdAt = new HashMap<>();
    List<Long> lifetimes = new ArrayList<>();
    for (TraceEvent e : f.trace) {
      if (e.kind() != TraceEvent.Kind.STATE || e.srcHost() != 1) continue;
      if (e.to() == TcpState.SYN_RECEIVED) {
        halfOpen++;
        if (attack(e)) createdAt.put(e.conn(), e.t());
      }
      if (e.from() == TcpState.SYN_RECEIVED) {
        halfOpen--;
        if (attack(e)) lifetimes.add(e.t() - createdAt.get(e.conn()));
      }
      assertTrue(halfOpen <= 16, "never more than the backlog");
      if (halfOpen == 16 && fullSince < 0) fullSince = e.t();
      if (halfOpen < 16 && fullSince >= 0 && firstFreed < 0) firstFreed = e.t();
    }
    // The first 16 attack SYNs (2.00 s .. 2.15 s, arriving 10 ms later) fill it ...
    assertEquals(2 * S + 150 * MS + 10 * MS, fullSince);
    // ... and every forged entry lives exactly 1+2+4+8+16+32 = 63 s: the backlog is full until
    // the last of the first 16 expires, long after the attack ended at 7 s.
    assertEquals(16, lifetimes.size());
    for (long life : lifetimes) assertEquals(63 * S, life);
    // Full without a gap until the first forged entry (SYN at 2 s, arrived 2.01 s) expires.
    assertEquals(2 * S + 10 * MS + 63 * S, firstFreed);
    // Every SYN-ACK of a forged entry went to a forged address and was dropped there.
    long synAcksToNowhere = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.NO_HOST).count();
    assertEquals(16 * 6, synAcksToNowhere);
    long synsDropped = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.SYN_BACKLOG_FULL).count();
    assertTrue(synsDropped > 480, "the other attack SYNs and the clients' are dropped");

    RunStats.GroupFigures web = f.result.stats().groups().get(0);
    RunStats.PhaseFigures before = web.phases().get(0);
    RunStats.PhaseFigures during = web.phases().get(1);
    assertEquals(20, before.attempted()); // connects at 0, 0.1, .. 1.9 s
    assertEquals(20, before.established());
    assertEquals(50, during.attempted()); // 2.0 .. 6.9 s
    // Only clients whose SYN beat the 16th attack SYN get in; the rest give up after 7 s.
    assertTrue(during.established() <= 2, "during: " + during);
    assertEquals(during.attempted() - during.established(), during.failed());
    assertTrue(f.result.stats().outcomes().get(Outcome.SYN_TIMEOUT) >= 48);
  }

  @Test
  void withCookies_everyLegitimateClientGetsIn_andNoAttackEntryIsKeptBeyondTheBacklog()
      throws Exception {
    SimulationFixture f = run("on-overflow");
    RunStats.GroupFigures web = f.result.stats().groups().get(0);
    for (RunStats.PhaseFigures p : web.phases()) {
      assertEquals(p.attempted(), p.established(), p.phase() + ": " + p);
    }
    assertEquals(f.result.listeners().get(0).synBacklogPeak, 16);
    assertTrue(f.result.listeners().get(0).cookiesSent >= 480);
    // A cookie SYN-ACK is sent once: no attack SYN-ACK beyond the 16 stateful entries' is a
    // retransmission.
    long retransmittedToForged = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.SEND
        && e.srcHost() == 1 && attack(e) && e.retransmit()).count();
    assertEquals(16 * 5, retransmittedToForged);
    long cookieSynAcks = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.SEND
        && e.srcHost() == 1 && attack(e) && e.flags() == (Flags.SYN | Flags.ACK)
        && !e.retransmit()).count();
    assertEquals(500, cookieSynAcks); // one answer per attack SYN: 16 stateful + 484 cookies
  }
}
