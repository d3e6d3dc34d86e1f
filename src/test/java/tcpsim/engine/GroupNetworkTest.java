package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioLoader;

/** {@code clients[i].network}: a group's connections take its link, the others do not. */
class GroupNetworkTest {
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

  @Test
  void eachGroupsHandshakeTakesTwiceItsOwnLatency() throws Exception {
    Scenario sc = ScenarioLoader.loadString("""
        name: paths
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {name: lan, from: client, to: server:80, count: 2, every: 1ms}
          - {name: wan, from: client, to: server:80, count: 2, every: 1ms,
             network: {latency: 30ms}}
        network:
          latency: 10ms
          links: [{from: client, to: server, both: true, latency: 5ms}]
        """, "paths.yaml");
    SimulationFixture f = SimulationFixture.run(system, sc, null);
    // Connections 0, 1 are lan (the client<->server pair link, 5 ms), 2, 3 are wan (30 ms).
    long[] expectedRttMs = {10, 10, 60, 60};
    for (int conn = 0; conn < 4; conn++) {
      long synSent = f.sends(conn).get(0).t();
      long established = f.timeOf(conn, 0, "ESTABLISHED");
      assertEquals(expectedRttMs[conn] * MS, established - synSent, "conn " + conn);
    }
    assertEquals(4, f.result.stats().established());
    assertEquals(0, f.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP).count());
  }
}
