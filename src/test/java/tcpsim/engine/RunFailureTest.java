package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.engine.Scenarios.MS;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.cluster.ClusterSystem;
import tcpsim.net.LinkConfig;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.TcpParams;

/** A run that cannot go on fails with a message; it never hangs waiting for a dead actor. */
class RunFailureTest {
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
  void moreSimultaneousConnectionsThanEphemeralPorts_failsTheRun_namingTheHost() {
    Scenario.ClientGroup all = new Scenario.ClientGroup("many", List.of(0), 1, 80, 28_233, 0, 0,
        0, 0, 0, Scenario.Closer.CLIENT, 0, 0, 0);
    Scenario sc = Scenarios.clientServer("ports", 1, TcpParams.linux(), LinkConfig.ideal(10 * MS),
        all, true);
    SimulationException e = assertThrows(SimulationException.class,
        () -> Simulation.run(system, sc, RunOptions.NONE));
    assertTrue(e.getMessage().contains("host client ran out of ephemeral ports"), e.getMessage());
    assertTrue(e.getMessage().contains("towards server:80"), e.getMessage());
  }

  @Test
  void aRunThatStopsMakingProgress_failsAfterTheStallTimeout_insteadOfHanging() throws Exception {
    // A network that never answers stands for any silent part of the run (a stuck node).
    ActorSystem<Void> stalling = ClusterSystem.startSingleNode("stall",
        ConfigFactory.parseString("tcpsim.engine.stall-timeout = 3 s"));
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch stuck = new CountDownLatch(1);
    try {
      Scenario sc = Scenarios.clientServer("stuck", 1, TcpParams.linux(),
          LinkConfig.ideal(10 * MS), Scenarios.oneConnection(10, 10, Scenario.Closer.CLIENT, 0,
              0, 0), true);
      SimulationException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
          assertThrows(SimulationException.class, () -> Simulation.run(stalling, sc,
              new RunOptions(null, s -> {
                try {
                  stuck.countDown();
                  release.await();
                } catch (InterruptedException ie) {
                  Thread.currentThread().interrupt();
                }
                return false;
              }, null))));
      assertEquals(0, stuck.getCount(), "the run was under way when it stalled");
      assertTrue(e.getMessage().startsWith("run stuck: no progress for 3 s"), e.getMessage());
      assertTrue(e.getMessage().contains("tcpsim.engine.stall-timeout"), e.getMessage());
    } finally {
      release.countDown();
      ClusterSystem.terminate(stalling);
    }
  }

  @Test
  void aFailingNetwork_failsTheRun() {
    Scenario sc = Scenarios.clientServer("boom", 1, TcpParams.linux(), LinkConfig.ideal(10 * MS),
        Scenarios.oneConnection(10, 10, Scenario.Closer.CLIENT, 0, 0, 0), true);
    assertThrows(SimulationException.class, () -> Simulation.run(system, sc,
        new RunOptions(null, s -> {
          throw new IllegalStateException("the link model broke");
        }, null)));
  }
}
