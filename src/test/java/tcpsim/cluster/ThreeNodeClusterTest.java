package tcpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.engine.RunOptions;
import tcpsim.engine.Simulation;
import tcpsim.report.ReportJson;
import tcpsim.report.RunResult;

/**
 * Three cluster nodes in one JVM (three actor systems on loopback ports) run lossy.yaml with its
 * hosts sharded over all three, and get exactly the single-node result.
 */
class ThreeNodeClusterTest {
  static ActorSystem<Void> a;
  static ActorSystem<Void> b;
  static ActorSystem<Void> c;
  static ScenarioSource lossy;

  @BeforeAll
  static void startCluster() throws Exception {
    a = ClusterSystem.startSeed("127.0.0.1", 0, ConfigFactory.empty());
    int port = ClusterSystem.port(a);
    b = ClusterSystem.startNode("127.0.0.1", 0, "127.0.0.1", port, Duration.ofSeconds(30),
        ConfigFactory.empty());
    c = ClusterSystem.startNode("127.0.0.1", 0, "127.0.0.1", port, Duration.ofSeconds(30),
        ConfigFactory.empty());
    assertTrue(ClusterSystem.awaitMembers(a, 3, Duration.ofSeconds(30)), "three members Up");
    Path file = Path.of("scenarios/lossy.yaml");
    lossy = new ScenarioSource.Yaml(Files.readString(file), file.toString(), null);
  }

  @AfterAll
  static void stopCluster() {
    for (ActorSystem<Void> s : List.of(c, b, a)) ClusterSystem.terminate(s);
  }

  private static String withoutWallClockAndNodes(RunResult r) {
    return ReportJson.toJson(r).replaceAll("\"wallMs\" : \\d+", "").replaceAll("\"nodes\" : \\d+", "");
  }

  @Test
  void runStartedOnTheYoungestNode_hasItsCoordinatorSingletonElsewhere_andTheSameResult() {
    // The coordinator singleton lives on the oldest node (a); the run's collector here on c:
    // every window's trace crosses the wire, and the result must not change.
    RunResult fromA = Simulation.run(a, lossy, RunOptions.NONE);
    RunResult fromC = Simulation.run(c, lossy, RunOptions.NONE);
    assertEquals(fromA.traceDigest(), fromC.traceDigest());
    assertEquals(withoutWallClockAndNodes(fromA), withoutWallClockAndNodes(fromC));
  }

  @Test
  void lossyOnThreeNodes_givesTheSingleNodeDigestAndReport_withHostsOnEveryNode() {
    RunResult three = Simulation.run(a, lossy, RunOptions.NONE);
    ActorSystem<Void> single = ClusterSystem.startSingleNode("single");
    RunResult one;
    try {
      one = Simulation.run(single, lossy, RunOptions.NONE);
    } finally {
      ClusterSystem.terminate(single);
    }
    assertEquals(3, three.nodes());
    assertEquals(1, one.nodes());
    assertEquals(3, new HashSet<>(three.hostNodes()).size(),
        "hosts spread over all three nodes: " + three.hostNodes());
    assertEquals(one.traceDigest(), three.traceDigest());
    assertEquals(withoutWallClockAndNodes(one), withoutWallClockAndNodes(three));
    assertEquals(1000, three.stats().attempted());
  }

  @Test
  void faultsScenario_fromANodeWithoutTheCoordinator_reportsWhatEachFaultDid() throws Exception {
    // The fault counters are kept by the network model, with the coordinator on a; the run's
    // end carries them to the collector on c (RunCollector.Finished through EngineSerializer).
    Path file = Path.of("scenarios/faults.yaml");
    ScenarioSource faults = new ScenarioSource.Yaml(Files.readString(file), file.toString(), null);
    RunResult fromA = Simulation.run(a, faults, RunOptions.NONE);
    RunResult fromC = Simulation.run(c, faults, RunOptions.NONE);
    assertEquals(fromA.traceDigest(), fromC.traceDigest());
    assertEquals(withoutWallClockAndNodes(fromA), withoutWallClockAndNodes(fromC));
    assertEquals(12, fromC.faultCounts().size());
    assertEquals(fromA.faultCounts(), fromC.faultCounts());
    assertTrue(fromC.faultCount(0).dropped() > 0, "the partition dropped segments");
    assertTrue(fromC.faultCount(9).resetsInjected() > 0, "the reset fault injected RSTs");
  }
}
