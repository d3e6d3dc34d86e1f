package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.ReportJson;
import tcpsim.report.RunStats;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Outcome;

/**
 * Nothing silently lost, on the bundled lossy.yaml (1,000 connections, 5% loss, jitter): every
 * segment sent is delivered, dropped with a reason or still in flight; every connection has
 * exactly one outcome; the report's balances hold.
 */
class AccountingTest {
  static ActorSystem<Void> system;
  static SimulationFixture run;

  @BeforeAll
  static void runLossy() throws Exception {
    system = SimulationFixture.system();
    run = SimulationFixture.run(system, ScenarioLoader.load(Path.of("scenarios/lossy.yaml")), null);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  @Test
  void segments_balance_sentPlusDuplicated_equalsDeliveredPlusDroppedPlusInFlight() {
    RunStats s = run.result.stats();
    assertTrue(s.dropped() > 0, "a lossy run drops segments");
    assertEquals(s.sent() + s.duplicated(), s.delivered() + s.dropped() + run.result.inFlight());
    long byReason = s.dropsByReason().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(s.dropped(), byReason, "every drop has a reason");
  }

  @Test
  void everySegment_isEitherReceivedOrDropped_exactlyOnce() {
    // Key each segment copy by (emitter, emit index); a duplicate is a second copy.
    Map<String, Integer> fate = new HashMap<>();
    for (TraceEvent e : run.trace) {
      String key = e.origin() + "/" + e.index();
      switch (e.kind()) {
        case SEND -> fate.put(key, fate.getOrDefault(key, 0) + 1);
        case DUP -> fate.merge(key, 1, Integer::sum);
        default -> { }
      }
    }
    long copies = fate.values().stream().mapToLong(Integer::longValue).sum();
    RunStats s = run.result.stats();
    assertEquals(s.sent() + s.duplicated(), copies);
    assertEquals(copies, s.delivered() + s.dropped() + run.result.inFlight());
  }

  @Test
  void everyConnection_hasExactlyOneOutcome() {
    RunStats s = run.result.stats();
    assertEquals(1000, s.attempted());
    long total = s.outcomes().values().stream().mapToLong(Long::longValue).sum();
    assertEquals(s.attempted(), total);
    @SuppressWarnings("unchecked")
    Map<String, Object> c = (Map<String, Object>) ReportJson.build(run.result).get("connections");
    assertEquals(s.attempted(), (long) c.get("closed") + (long) c.get("reset")
        + (long) c.get("failed") + (long) c.get("open"));
  }

  @Test
  void lossyRun_recoversEveryConnection_throughRetransmission() {
    RunStats s = run.result.stats();
    assertTrue(s.retransmitted() > 0);
    assertEquals(1000L, s.outcomes().getOrDefault(Outcome.CLOSED, 0L),
        "5% loss with 15 data retries should close every connection: " + s.outcomes());
  }

  @Test
  void stateCounts_returnToZero_andPeaksAreSeen() {
    RunStats s = run.result.stats();
    assertTrue(s.statePeak(tcpsim.tcp.TcpState.ESTABLISHED) > 0);
    assertTrue(s.statePeak(tcpsim.tcp.TcpState.TIME_WAIT) > 0);
    // Every endpoint that entered a state left it: transitions into and out of each balance.
    Map<String, Integer> balance = new HashMap<>();
    for (TraceEvent e : run.trace) {
      if (e.kind() != TraceEvent.Kind.STATE) continue;
      balance.merge(e.from().name(), -1, Integer::sum);
      balance.merge(e.to().name(), 1, Integer::sum);
    }
    balance.forEach((state, n) -> {
      if (!state.equals("CLOSED") && !state.equals("LISTEN")) assertEquals(0, n, state);
    });
  }
}
