package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/**
 * {@code abort: 100%}: the client (the closer) aborts after the exchange; its RST resets the
 * server. One connection ends ABORTED on the client, RESET on the server.
 */
class AbortScenarioTest {
  static ActorSystem<Void> system;
  static SimulationFixture run;

  @BeforeAll
  static void runIt() {
    system = SimulationFixture.system();
    ClientGroup g = new ClientGroup("g", List.of(0), 1, 80, 1, 0, 0, 0, 100, 300,
        Scenario.Closer.CLIENT, 50 * MS, 0, 0, null, 1.0);
    Scenario sc = Scenarios.clientServer("abort", 5, Scenarios.rfcWithMsl(10 * S),
        LinkConfig.ideal(10 * MS), g, true);
    run = SimulationFixture.run(system, sc, null);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void clientSendsOneRst_andNoFin() {
    List<TraceEvent> rsts = run.sends(0).stream()
        .filter(e -> (e.flags() & Flags.RST) != 0).toList();
    assertEquals(1, rsts.size(), "one RST: " + rsts);
    assertEquals(0, rsts.get(0).srcHost());
    assertEquals(0, run.sends(0).stream().filter(e -> (e.flags() & Flags.FIN) != 0).count());
  }

  @Test
  void clientEndsAborted_serverEndsReset() {
    // A connection's outcome is its client's (RunStats.connectionOutcome): ABORTED.
    assertEquals(java.util.Map.of(Outcome.ABORTED, 1L), run.result.stats().outcomes());
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->CLOSED"),
        run.transitions(0, 0));
    // The server went straight from ESTABLISHED to CLOSED on the RST, one latency later.
    List<String> server = run.transitions(0, 1);
    assertEquals("ESTABLISHED->CLOSED", server.get(server.size() - 1));
    long rstAt = run.sends(0).stream().filter(e -> (e.flags() & Flags.RST) != 0)
        .findFirst().orElseThrow().t();
    assertEquals(rstAt + 10 * MS, run.timeOf(0, 1, "CLOSED"));
  }
}
