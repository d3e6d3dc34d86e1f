package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.cluster.ClusterSystem;
import tcpsim.net.LatencyModel;
import tcpsim.net.LinkConfig;
import tcpsim.net.LossModel;
import tcpsim.report.ReportJson;
import tcpsim.report.RunResult;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.tcp.TcpParams;

/**
 * Same scenario and seed ⇒ byte-identical trace digest and report, whatever the number of
 * dispatcher threads; another seed ⇒ another trace.
 */
class DeterminismTest {

  static Scenario noisy(long seed) {
    LinkConfig link = LinkConfig.ideal(LatencyModel.uniform(20 * MS, 30 * MS))
        .withLoss(LossModel.bernoulli(0.05))
        .withDuplicate(0.01)
        .withReorder(0.01, 5 * MS)
        .withCorrupt(0.005);
    ClientGroup group = new ClientGroup("noisy", List.of(0), 1, 80, 300, 0, 0, 1 * S, 3000, 20000,
        Scenario.Closer.CLIENT, 0, 100, 5 * MS);
    return Scenarios.clientServer("noisy", seed, TcpParams.linux(), link, group, true);
  }

  private static RunResult runWithThreads(int threads, long seed) {
    ActorSystem<Void> system = ClusterSystem.startSingleNode("tcpsim-det", ConfigFactory.parseString(
        "akka.actor.default-dispatcher.fork-join-executor { parallelism-min = " + threads
            + ", parallelism-max = " + threads + " }"));
    try {
      return Simulation.run(system, noisy(seed), RunOptions.NONE);
    } finally {
      system.terminate();
    }
  }

  private static String reportWithoutWallClock(RunResult r) {
    return ReportJson.toJson(r).replaceAll("\"wallMs\" : \\d+", "\"wallMs\" : 0");
  }

  @Test
  void sameSeed_givesTheSameDigestAndReport_onOneThreadAndOnFour() {
    RunResult one = runWithThreads(1, 11);
    RunResult four = runWithThreads(4, 11);
    RunResult fourAgain = runWithThreads(4, 11);
    assertEquals(one.traceDigest(), four.traceDigest());
    assertEquals(four.traceDigest(), fourAgain.traceDigest());
    assertEquals(reportWithoutWallClock(one), reportWithoutWallClock(four));
    assertEquals(reportWithoutWallClock(four), reportWithoutWallClock(fourAgain));
    // The run exercised what could break determinism: losses, duplicates, retransmissions.
    var s = one.stats();
    org.junit.jupiter.api.Assertions.assertTrue(s.dropped() > 0 && s.duplicated() > 0
        && s.retransmitted() > 0, "a noisy run: " + ReportJson.toJson(one));
  }

  @Test
  void anotherSeed_givesAnotherTrace() {
    assertNotEquals(runWithThreads(2, 11).traceDigest(), runWithThreads(2, 12).traceDigest());
  }
}
