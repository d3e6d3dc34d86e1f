package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/** The {@code filter} fault: a firewall rule on direction, control bits and length. */
class FilterFaultTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static String scenario(String rule) {
    return """
        name: filter
        tcp: {profile: linux}
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {from: client, to: server:80, client: [{write: 100}, close], server: [{read: eof}, close]}
        network: {latency: 1ms}
        faults:
          - {kind: filter, at: 0s, target: {from: client, to: server}, %s}
        """.formatted(rule);
  }

  @Test
  void droppingThePureAcksFromClientToServer_dropsExactlyThose() throws Exception {
    SimulationFixture f = SimulationFixture.run(system,
        ScenarioLoader.loadString(scenario("flags: ACK, length: 0"), "f.yaml"), null);
    List<TraceEvent> filtered = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.FILTERED).toList();
    assertTrue(!filtered.isEmpty());
    for (TraceEvent e : filtered) {
      assertEquals(Flags.ACK, e.flags(), e.toString());
      assertEquals(0, e.len());
      assertEquals(0, e.srcHost());
    }
    // Every other segment the client sent arrived.
    long clientSends = f.sends(0).stream().filter(e -> e.srcHost() == 0).count();
    long clientRecvd = f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.RECV
        && e.conn() == 0 && e.srcHost() == 0).count();
    assertEquals(clientSends - filtered.size(), clientRecvd);
  }

  @Test
  void droppingEverySyn_endsInASynTimeout() throws Exception {
    SimulationFixture f = SimulationFixture.run(system,
        ScenarioLoader.loadString(scenario("flags: SYN"), "f.yaml"), null);
    assertEquals(Outcome.SYN_TIMEOUT, f.result.stats().connectionOutcome(0));
    // Linux 6.5+: the SYN and 6 + 4 retransmissions (tcp_syn_linear_timeouts), not 1 + 6 as
    // before the linux profile modelled the linear timeouts (docs/linux-profile.md §3).
    assertEquals(11, f.trace.stream().filter(e -> e.reason() == DropReason.FILTERED).count());
  }

  @Test
  void badRules() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.loadString(scenario("flags: [ACK, SYNN]"), "f.yaml"));
    assertEquals(9, e.getLine());
    assertEquals("faults[0].flags[1]", e.getKeyPath());
    assertTrue(e.getMessage().contains("\"SYNN\" is none (did you mean 'SYN'?)"), e.getMessage());
    e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.loadString(scenario("length: -1"), "f.yaml"));
    assertEquals("faults[0].length", e.getKeyPath());
  }
}
