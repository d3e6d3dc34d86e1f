package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/**
 * A crash fault: the host's endpoints vanish without a word; its peers retransmit into the
 * void while it is down, and once it is back with fresh state their next segment gets an RST
 * (RFC 9293 §3.10.7.1: no TCB, so a reset), which ends them {@code reset}.
 */
class HostCrashTest {
  private static final long MS = 1_000_000L;
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** Client 0 (host 0) sends 100 KiB at 20 ms; the server (host 1) is down from 25 ms to 1 s. */
  private static SimulationFixture run() throws Exception {
    return run("25ms");
  }

  private static SimulationFixture run(String crashAt) throws Exception {
    return SimulationFixture.run(system, ScenarioLoader.loadString("""
        name: crash
        tcp: {profile: linux}
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {name: early, from: client, to: server:80, count: 1, clientBytes: 100KiB}
          - {name: while-down, from: server, to: client:9, count: 1, start: 500ms}
        network: {latency: 10ms}
        faults:
          - {kind: crash, at: %s, until: 1s, target: {host: server}}
        """.formatted(crashAt), "crash.yaml"), null);
  }

  @Test
  void theServersEndpointVanishes_theClientRetransmitsIntoTheVoid_thenIsReset() throws Exception {
    SimulationFixture f = run();
    // The handshake's last ACK left the client at 20 ms and would arrive at 30 ms, after the
    // crash: the server held only a half-open entry, which the crash took away at 25 ms.
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->CLOSED"), f.transitions(0, 1));
    assertEquals(25 * MS, f.timeOf(0, 1, "CLOSED"));
    // Everything the client sent after 15 ms arrives at a host that is down.
    List<TraceEvent> downDrops = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.HOST_DOWN && e.conn() == 0).toList();
    assertTrue(downDrops.size() > 2, "in-flight data and retransmissions are lost");
    for (TraceEvent e : downDrops) assertTrue(e.t() >= 25 * MS && e.t() < 1000 * MS, e.toString());
    // Retransmissions at 220, 620 ms (RTO 200 ms doubling) are dropped too; the one at
    // 1420 ms finds the host back. The server answers the client's next segment with an RST (its
    // listener sees an ACK for a connection it does not know: <SEQ=SEG.ACK><CTL=RST>).
    TraceEvent rst = f.sends(0).stream().filter(e -> e.srcHost() == 1
        && (e.flags() & Flags.RST) != 0).findFirst().orElseThrow();
    assertTrue(rst.t() >= 1000 * MS, "only once the host is back: " + rst);
    TraceEvent retransmission = f.sends(0).stream().filter(e -> e.srcHost() == 0
        && e.t() >= 990 * MS).findFirst().orElseThrow();
    assertEquals(retransmission.t() + 10 * MS, rst.t());
    assertEquals(retransmission.ack(), rst.seq());
    assertEquals(rst.t() + 10 * MS, f.timeOf(0, 0, "CLOSED"));
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0));
  }

  @Test
  void anEstablishedEndpointVanishesToo_withoutSendingAnything() throws Exception {
    SimulationFixture f = run("35ms"); // the server is ESTABLISHED from 30 ms
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
        "ESTABLISHED->CLOSED"), f.transitions(0, 1));
    assertEquals(35 * MS, f.timeOf(0, 1, "CLOSED"));
    assertTrue(f.sends(0).stream().noneMatch(e -> e.srcHost() == 1 && e.t() >= 35 * MS
        && e.t() < 1000 * MS), "a crashed host sends nothing");
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0)); // the client's
  }

  @Test
  void aConnectWhileItsHostIsDown_neverStarts_andEndsCrashed() throws Exception {
    SimulationFixture f = run();
    assertEquals(Outcome.CRASHED, f.result.stats().connectionOutcome(1));
    assertTrue(f.sends(1).isEmpty(), "nothing is sent for it");
    assertEquals(1L, f.result.stats().outcomes().get(Outcome.CRASHED));
  }
}
