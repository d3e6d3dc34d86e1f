package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.net.FaultSchedule;
import tcpsim.report.DropReason;
import tcpsim.report.ReportJson;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/**
 * Scheduled faults through the whole engine: a reset fault's RSTs are injected at their time
 * (the scheduler wakes for them even when no host is busy) and an exact one resets an
 * ESTABLISHED connection, while an in-window one is answered with a challenge ACK (RFC 5961
 * §3.2); a partition drops what is sent during it, and the retransmissions after it succeed.
 *
 * <p>The connection: the client (host 0) connects at 0, sends 100 bytes at 20 ms, the server
 * (host 1) answers 300 bytes at 30 ms, the client has them at 40 ms and, after holding for 5 s,
 * closes at 5.04 s. At 1 s both ends are ESTABLISHED and idle.
 */
class FaultsEndToEndTest {
  static ActorSystem<Void> system;

  static final int CLIENT = 0;
  static final int SERVER = 1;

  static final String BASE = """
      name: faults
      seed: 42
      hosts:
        - name: client
        - name: server
      listeners:
        - { host: server, port: 80 }
      clients:
        - { name: c, from: client, to: server:80, clientBytes: 100, serverBytes: 300,
            close: client, hold: 5s }
      network:
        latency: 10ms
      faults:
      """;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  static SimulationFixture run(String faults) throws ScenarioException {
    return SimulationFixture.run(system, ScenarioLoader.loadString(BASE + faults, "faults.yaml"),
        null);
  }

  static List<TraceEvent> events(SimulationFixture f, TraceEvent.Kind kind) {
    return f.trace.stream().filter(e -> e.kind() == kind).toList();
  }

  /** The last segment {@code host} sent before {@code t}, with its SND.NXT and RCV.NXT. */
  static TraceEvent lastSentBefore(SimulationFixture f, int host, long t) {
    TraceEvent last = null;
    for (TraceEvent e : events(f, TraceEvent.Kind.SEND)) {
      if (e.srcHost() == host && e.t() < t && e.origin() >= 0) last = e;
    }
    return last;
  }

  @Test
  void exactReset_resetsTheEstablishedClient_atItsTimePlusTheLatency() throws Exception {
    SimulationFixture f = run("  - { kind: reset, at: 1s, target: { from: server, to: client } }\n");
    TraceEvent serverLast = lastSentBefore(f, SERVER, 1 * S);
    // The injected RST: sent at 1 s by the network (its own origin), as if by the server.
    List<TraceEvent> rsts = events(f, TraceEvent.Kind.SEND).stream()
        .filter(e -> e.origin() == FaultSchedule.injectionOrigin(0)).toList();
    assertEquals(1, rsts.size());
    TraceEvent rst = rsts.get(0);
    assertEquals(1 * S, rst.t());
    assertEquals(0, rst.conn());
    assertEquals(SERVER, rst.srcHost());
    assertEquals(CLIENT, rst.dstHost());
    assertEquals(Flags.RST | Flags.ACK, rst.flags());
    // Exactly the server's SND.NXT, which is the client's RCV.NXT: the 300 bytes are in.
    assertEquals(serverLast.seq() + serverLast.len(), rst.seq());
    TraceEvent clientLast = lastSentBefore(f, CLIENT, 1 * S);
    assertEquals(clientLast.ack(), rst.seq());

    TraceEvent recv = events(f, TraceEvent.Kind.RECV).stream()
        .filter(e -> e.t() == 1 * S + 10 * MS && e.dstHost() == CLIENT).findFirst().orElseThrow();
    assertTrue((recv.flags() & Flags.RST) != 0);
    assertEquals("ESTABLISHED->CLOSED", f.transitions(0, CLIENT).get(2));
    assertEquals(1 * S + 10 * MS, f.timeOf(0, CLIENT, "CLOSED"));
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.RESET));
    // Nothing else was sent by the client: a reset endpoint is gone.
    assertTrue(f.sends(0).stream().noneMatch(e -> e.srcHost() == CLIENT && e.t() >= 1 * S));
  }

  @Test
  void exactReset_betweenTheHosts_resetsBothEnds() throws Exception {
    SimulationFixture f =
        run("  - { kind: reset, at: 1s, target: { between: [client, server] } }\n");
    assertEquals(1 * S + 10 * MS, f.timeOf(0, CLIENT, "CLOSED"));
    assertEquals(1 * S + 10 * MS, f.timeOf(0, SERVER, "CLOSED"));
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.RESET));
    assertEquals(2, events(f, TraceEvent.Kind.SEND).stream()
        .filter(e -> e.origin() == FaultSchedule.injectionOrigin(0)).count());
  }

  @Test
  void inWindowReset_getsAChallengeAck_andTheConnectionClosesNormally() throws Exception {
    SimulationFixture f = run("""
          - { kind: reset, at: 1s, target: { from: server, to: client }, seq: in-window }
        """);
    TraceEvent clientLast = lastSentBefore(f, CLIENT, 1 * S);
    TraceEvent rst = events(f, TraceEvent.Kind.SEND).stream()
        .filter(e -> e.origin() == FaultSchedule.injectionOrigin(0)).findFirst().orElseThrow();
    assertEquals(clientLast.ack() + 1, rst.seq()); // RCV.NXT + 1: in the window, not exact

    // RFC 5961 §3.2: the challenge ACK carries the client's current SND.NXT and RCV.NXT.
    TraceEvent challenge = f.sends(0).stream()
        .filter(e -> e.srcHost() == CLIENT && e.t() == 1 * S + 10 * MS).findFirst().orElseThrow();
    assertEquals(Flags.ACK, challenge.flags());
    assertEquals(clientLast.seq() + clientLast.len(), challenge.seq());
    assertEquals(clientLast.ack(), challenge.ack());
    assertEquals(0, challenge.len());

    assertEquals(1L, f.result.stats().outcomes().get(Outcome.CLOSED));
    assertTrue(f.timeOf(0, CLIENT, "FIN_WAIT_1") >= 5 * S);
    assertFalse(f.transitions(0, CLIENT).contains("ESTABLISHED->CLOSED"));
  }

  @Test
  void partition_dropsWhatIsSentDuringIt_andTheRetransmissionsAfterItSucceed() throws Exception {
    // From 10 ms to 2.01 s: the SYN (0 ms) gets through; the SYN,ACK (10 ms) and every
    // retransmission until 2.01 s is dropped; the SYN retransmitted at 3 s completes.
    String faults = """
          - { kind: partition, at: 10ms, for: 2s, target: { between: [client, server] } }
        """;
    SimulationFixture f = run(faults);
    long at = 10 * MS;
    long until = 2 * S + 10 * MS;
    List<TraceEvent> drops = events(f, TraceEvent.Kind.DROP);
    assertTrue(drops.size() >= 3, "drops: " + drops);
    for (TraceEvent d : drops) {
      assertEquals(DropReason.PARTITION, d.reason());
      assertTrue(d.t() >= at && d.t() < until, "dropped at " + d.t());
    }
    for (TraceEvent s : events(f, TraceEvent.Kind.SEND)) {
      boolean dropped = drops.stream().anyMatch(d -> d.origin() == s.origin()
          && d.index() == s.index());
      assertEquals(s.t() >= at && s.t() < until, dropped, "segment sent at " + s.t());
    }
    assertTrue(f.sends(0).stream().anyMatch(e -> e.retransmit() && e.t() >= until));
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.CLOSED));
    assertTrue(f.timeOf(0, CLIENT, "ESTABLISHED") > until);

    var stats = f.result.stats();
    assertEquals(stats.sent(), stats.delivered() + stats.dropped() + f.result.inFlight());
    Map<String, Object> report = ReportJson.build(f.result);
    assertEquals((long) drops.size(), ((Map<?, ?>) report.get("dropsByReason")).get("partition"));

    // Same scenario, same seed: the same trace.
    assertEquals(f.result.traceDigest(), run(faults).result.traceDigest());
  }

  @Test
  void aScenarioWithoutFaults_listsNoFaultReasons() throws Exception {
    SimulationFixture f = SimulationFixture.run(system,
        ScenarioLoader.loadString(BASE.replace("faults:\n", ""), "nofaults.yaml"), null);
    Map<?, ?> drops = (Map<?, ?>) ReportJson.build(f.result).get("dropsByReason");
    assertFalse(drops.containsKey("partition"));
    assertTrue(drops.containsKey("filtered"));
  }
}
