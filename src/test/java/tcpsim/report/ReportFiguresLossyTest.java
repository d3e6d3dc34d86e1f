package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.engine.Simulation;
import tcpsim.scenario.ScenarioLoader;

/** On scenarios/lossy.yaml the new report.json sections agree with the global figures. */
class ReportFiguresLossyTest {
  private static RunResult run;
  private static Map<String, Object> report;

  @BeforeAll
  static void runLossy() throws Exception {
    run = Simulation.run(ScenarioLoader.load(Path.of("scenarios/lossy.yaml")), (TraceSink) null);
    report = ReportJson.build(run);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String key) {
    return (Map<String, Object>) m.get(key);
  }

  private static long num(Map<String, Object> m, String key) {
    return ((Number) m.get(key)).longValue();
  }

  @Test
  void keys_keepTheirOrder_withTheNewSectionsAppended() {
    List<String> keys = new ArrayList<>(report.keySet());
    assertEquals(List.of("scenario", "seed", "simulatedNs", "wallMs", "cutByDuration", "nodes",
        "connections", "outcomes", "segments", "dropsByReason", "retransmissionsByKind",
        "handshakeMs", "lifecycleMs", "statePeaks", "listeners", "groups", "events", "windows",
        "traceDigest"), keys);
    assertEquals(List.of("syn", "syn-ack", "data", "fin", "rst", "ack"),
        new ArrayList<>(map(report, "retransmissionsByKind").keySet()));
  }

  @Test
  void retransmissionKinds_sumToRetransmitted() {
    Map<String, Object> kinds = map(report, "retransmissionsByKind");
    long sum = kinds.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    long retransmitted = num(map(report, "segments"), "retransmitted");
    assertTrue(retransmitted > 0, "5% loss retransmits");
    assertEquals(retransmitted, sum, kinds.toString());
    // The scenario's comment: every retransmission mechanism is exercised.
    for (String k : List.of("syn", "syn-ack", "data", "fin")) {
      assertTrue(num(kinds, k) > 0, k + " retransmitted: " + kinds);
    }
  }

  @SuppressWarnings("unchecked")
  @Test
  void groups_addUpToTheGlobalFigures() {
    List<Map<String, Object>> groups = (List<Map<String, Object>>) report.get("groups");
    assertEquals(run.scenario().groups().size(), groups.size());
    assertEquals("web", groups.get(0).get("name"));
    assertEquals(List.of("name", "attempted", "established", "closed", "reset", "failed", "open",
        "handshakeMs"), new ArrayList<>(groups.get(0).keySet()));
    Map<String, Object> connections = map(report, "connections");
    for (String k : List.of("attempted", "established", "closed", "reset", "failed", "open")) {
      long sum = groups.stream().mapToLong(g -> num(g, k)).sum();
      assertEquals(num(connections, k), sum, k);
    }
    assertEquals(1000, num(connections, "attempted"));
    long handshakes = groups.stream().mapToLong(g -> num(map(g, "handshakeMs"), "count")).sum();
    assertEquals(num(map(report, "handshakeMs"), "count"), handshakes);
    double maxMs = groups.stream()
        .mapToDouble(g -> ((Number) map(g, "handshakeMs").get("max")).doubleValue()).max()
        .orElse(0);
    assertEquals(((Number) map(report, "handshakeMs").get("max")).doubleValue(), maxMs);
    // One group: its histogram is the global one.
    if (groups.size() == 1) {
      assertEquals(map(report, "handshakeMs"), map(groups.get(0), "handshakeMs"));
    }
  }
}
