package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;

/** Application steps as the engine runs them: what goes out, and when. */
class AppStepsRunTest {
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

  private static List<String> clientData(String clientSteps) throws Exception {
    SimulationFixture f = SimulationFixture.run(system, ScenarioLoader.loadString("""
        name: steps
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {from: client, to: server:80, client: %s, server: [{read: eof}, close]}
        network: {latency: 1ms}
        duration: 20s
        """.formatted(clientSteps), "steps.yaml"), null);
    return f.sends(0).stream().filter(e -> e.srcHost() == 0 && e.len() > 0)
        .map(e -> e.t() / MS + " ms " + e.len()).toList();
  }

  @Test
  void aWriteAfterAWait_goesOutAtOnce_evenIfTheNextStepWaits() throws Exception {
    // The write after 'until' is followed by a read that waits: it must still be sent then.
    assertEquals(List.of("5000 ms 100"), clientData("[{until: 5s}, {write: 100}, {read: eof}, close]"));
    assertEquals(List.of("1002 ms 100"), clientData("[{pause: 1s}, {write: 100}, {read: eof}, close]"));
  }

  @Test
  void writesBetweenPausesGoOutAtTheirOwnTimes() throws Exception {
    assertEquals(List.of("2 ms 10", "102 ms 20", "302 ms 30"), clientData(
        "[{write: 10}, {pause: 100ms}, {write: 20}, {pause: 200ms}, {write: 30}, shutdown]"));
  }
}
