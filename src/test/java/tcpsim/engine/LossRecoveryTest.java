package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpParams;

/**
 * Each kind of segment lost once is retransmitted after the right RTO and the connection still
 * completes; a path that drops everything ends in the named timeout on the doubling schedule.
 * Linux's RTO bounds (initial 1 s, minimum 200 ms), 10 ms one-way latency.
 */
class LossRecoveryTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(Predicate<Segment> drop) {
    Scenario sc = Scenarios.clientServer("loss", 3, TcpParams.linux(), LinkConfig.ideal(10 * MS),
        Scenarios.oneConnection(100, 300, Scenario.Closer.CLIENT, 0, 0, 0), true);
    return SimulationFixture.run(system, sc, drop);
  }

  private static List<TraceEvent> sendsMatching(SimulationFixture f, int flags, int host) {
    return f.sends(0).stream()
        .filter(e -> e.flags() == flags && e.srcHost() == host).toList();
  }

  private static void assertCompletes(SimulationFixture f) {
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.CLOSED), "outcomes");
    assertEquals(1, f.result.stats().established());
  }

  @Test
  void lostSyn_isRetransmittedAfterTheInitialRto_ofOneSecond() {
    SimulationFixture f = run(SimulationFixture.firstMatching(SimulationFixture::isSyn));
    List<TraceEvent> syns = sendsMatching(f, Flags.SYN, 0);
    assertEquals(2, syns.size());
    assertEquals(0, syns.get(0).t());
    assertEquals(1 * S, syns.get(1).t());
    assertTrue(syns.get(1).retransmit());
    assertEquals(1 * S + 20 * MS, f.timeOf(0, 0, "ESTABLISHED"));
    assertCompletes(f);
  }

  @Test
  void lostSynAck_isRetransmittedByTheServer_andTheHandshakeCompletes() {
    SimulationFixture f = run(SimulationFixture.firstMatching(SimulationFixture::isSynAck));
    List<TraceEvent> synAcks = sendsMatching(f, Flags.SYN | Flags.ACK, 1);
    assertTrue(synAcks.size() >= 2, "SYN,ACKs: " + synAcks);
    assertEquals(10 * MS, synAcks.get(0).t());
    // The SYN,ACK timer (1 s after it was sent) fires at 1.010 s; the client's own SYN
    // retransmission (at 1 s) arrives at the same instant and is answered too.
    assertEquals(1 * S + 10 * MS, synAcks.get(1).t());
    assertTrue(synAcks.get(1).retransmit());
    assertEquals(1 * S + 20 * MS, f.timeOf(0, 0, "ESTABLISHED"));
    assertCompletes(f);
  }

  @Test
  void lostData_isRetransmittedAfterTheMeasuredRto_withRttvarFlooredAtTheMinimum() {
    SimulationFixture f = run(SimulationFixture.firstMatching(s -> s.len() == 100));
    List<TraceEvent> data = f.sends(0).stream().filter(e -> e.len() == 100).toList();
    assertEquals(2, data.size());
    // One RTT sample of 20 ms. Linux (docs/linux-profile.md §3): RTTVAR = max(2 * 20, 200) ms,
    // RTO = SRTT + RTTVAR = 220 ms (RFC 6298 would give 60 ms raised to the 200 ms minimum).
    assertEquals(220 * MS, data.get(1).t() - data.get(0).t());
    assertTrue(data.get(1).retransmit());
    assertEquals(data.get(0).seq(), data.get(1).seq());
    assertCompletes(f);
  }

  @Test
  void lostFin_isRetransmitted_andTheCloseCompletes() {
    SimulationFixture f = run(SimulationFixture.firstMatching(
        s -> (s.flags() & Flags.FIN) != 0 && s.srcHost() == 0));
    List<TraceEvent> fins = f.sends(0).stream()
        .filter(e -> (e.flags() & Flags.FIN) != 0 && e.srcHost() == 0).toList();
    assertEquals(2, fins.size());
    assertTrue(fins.get(1).retransmit());
    assertEquals(fins.get(0).seq(), fins.get(1).seq());
    long rto = fins.get(1).t() - fins.get(0).t();
    assertTrue(rto >= 200 * MS && rto < 1 * S, "RTO " + rto);
    assertCompletes(f);
  }

  @Test
  void pathDroppingEverything_endsInSynTimeout_onTheDoublingSchedule() {
    SimulationFixture f = run(s -> true);
    List<Long> times = sendsMatching(f, Flags.SYN, 0).stream().map(TraceEvent::t).toList();
    // tcp_syn_retries = 6: the SYN and six retransmissions 1, 2, 4, 8, 16, 32 s apart.
    assertEquals(List.of(0L, 1 * S, 3 * S, 7 * S, 15 * S, 31 * S, 63 * S), times);
    // After the last one it waits one more doubled RTO (64 s) and gives up.
    assertEquals(127 * S, f.timeOf(0, 0, "CLOSED"));
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.SYN_TIMEOUT));
    assertEquals(7, f.result.stats().dropped());
  }
}
