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
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/**
 * Both sides close at the same instant (RFC 9293 §3.6, Figure 13): the FINs cross, both go
 * FIN-WAIT-1 → CLOSING → TIME-WAIT → CLOSED.
 */
class SimultaneousCloseTest {
  static ActorSystem<Void> system;
  static SimulationFixture run;

  @BeforeAll
  static void runIt() {
    system = SimulationFixture.system();
    Scenario sc = Scenarios.clientServer("simclose", 5, Scenarios.rfcWithMsl(10 * S),
        LinkConfig.ideal(10 * MS),
        Scenarios.oneConnection(0, 0, Scenario.Closer.SIMULTANEOUS, 100 * MS, 0, 0), true);
    run = SimulationFixture.run(system, sc, null);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void bothSides_passThroughClosing_toTimeWait() {
    List<String> closing = List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING",
        "CLOSING->TIME_WAIT", "TIME_WAIT->CLOSED");
    assertEquals(closing, run.transitions(0, 0).subList(2, 6));
    assertEquals(closing, run.transitions(0, 1).subList(2, 6));
  }

  @Test
  void finsCross_andEachIsAcknowledged() {
    List<TraceEvent> fins = run.sends(0).stream()
        .filter(e -> (e.flags() & Flags.FIN) != 0).toList();
    assertEquals(2, fins.size());
    assertEquals(100 * MS, fins.get(0).t());
    assertEquals(100 * MS, fins.get(1).t());
    // Each FIN is answered by an ACK of seq+1 from the other side at 110 ms.
    for (TraceEvent fin : fins) {
      boolean acked = run.sends(0).stream().anyMatch(e -> e.srcHost() != fin.srcHost()
          && e.flags() == Flags.ACK && e.ack() == fin.seq() + 1 && e.t() == 110 * MS);
      assertEquals(true, acked, "ACK of " + fin);
    }
    assertEquals(1L, run.result.stats().outcomes().get(Outcome.CLOSED));
  }

  @Test
  void timeWait_onBothSides_lastsTwoMsl() {
    for (int host = 0; host < 2; host++) {
      assertEquals(20 * S, run.timeOf(0, host, "CLOSED") - run.timeOf(0, host, "TIME_WAIT"));
    }
  }
}
