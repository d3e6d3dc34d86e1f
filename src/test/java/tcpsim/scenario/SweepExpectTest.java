package tcpsim.scenario;

import static tcpsim.scenario.LoaderErrors.assertError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.LatencyModel;
import tcpsim.net.LossModel;

class SweepExpectTest {

  private static final long MS = 1_000_000L;

  /** Lines 1..12; a sweep or expect section is appended from line 13. */
  private static final String BASE = """
      name: lossy
      seed: 7
      hosts:
        - name: a
        - name: b
      listeners:
        - { host: b, port: 80 }
      clients:
        - { from: a, to: b:80, count: 10 }
      network:
        latency: 10ms
        loss: 1%
      """;

  private static final String SWEPT = BASE + """
      sweep:
        network.loss: [0, 1%, 5%]
        network.latency: [10ms, 100ms]
      expect:
        - connections.established >= 99%
        - handshakeMs.p99 < 500
      """;

  // --- sweep expansion ---------------------------------------------------------------------

  @Test
  void sweepIsTheCartesianProductLastKeyFastest() throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(SWEPT, "t.yaml");
    assertEquals(List.of(
        "lossy--network.loss=0--network.latency=10ms",
        "lossy--network.loss=0--network.latency=100ms",
        "lossy--network.loss=1_--network.latency=10ms",
        "lossy--network.loss=1_--network.latency=100ms",
        "lossy--network.loss=5_--network.latency=10ms",
        "lossy--network.loss=5_--network.latency=100ms"),
        vs.stream().map(Variant::name).toList());
    Variant v = vs.get(5);
    assertEquals(v.name(), v.scenario().name());
    assertEquals(List.of("network.loss", "network.latency"),
        List.copyOf(v.sweepValues().keySet()));
    assertEquals(List.of("5%", "100ms"), List.copyOf(v.sweepValues().values()));
    assertEquals("lossy[network.loss=5%, network.latency=100ms]", v.label(),
        "progress lines show the values as written");
    assertEquals(LossModel.bernoulli(0.05), v.scenario().network().defaults().loss());
    assertEquals(LatencyModel.constant(100 * MS), v.scenario().network().defaults().latency());
    assertEquals(LossModel.none(), vs.get(0).scenario().network().defaults().loss());
    assertEquals(Variant.deriveSeed(7, v.name()), v.scenario().seed());
    assertEquals(2, v.expectations().size());
    assertEquals("t.yaml", v.scenario().file());
    // every variant its own seed
    assertEquals(6, vs.stream().mapToLong(x -> x.scenario().seed()).distinct().count());
  }

  @Test
  void sweepOfAListEntry() throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(BASE + """
        sweep:
          clients[0].count: [100, 1_000]
        """, "t.yaml");
    assertEquals(List.of("lossy--clients_0_.count=100", "lossy--clients_0_.count=1_000"),
        vs.stream().map(Variant::name).toList());
    assertEquals(1000, vs.get(1).scenario().groups().get(0).count());
    assertEquals(Map.of("clients[0].count", "1_000"), vs.get(1).sweepValues());
    assertEquals("lossy[clients[0].count=1_000]", vs.get(1).label());
  }

  @Test
  void withoutSweepOneVariantWithTheBaseNameAndSeed() throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(BASE, "t.yaml");
    assertEquals(1, vs.size());
    Variant v = vs.get(0);
    assertEquals("lossy", v.name());
    assertEquals("lossy", v.label());
    assertEquals(7, v.scenario().seed());
    assertEquals(ScenarioLoader.loadString(BASE, "t.yaml"), v.scenario());
    assertTrue(v.sweepValues().isEmpty());
    assertTrue(v.expectations().isEmpty());
    // an explicitly empty sweep is no sweep
    assertEquals(1, ScenarioLoader.loadVariantsString(BASE + "sweep:\n", "t.yaml").size());
  }

  @Test
  void derivedSeedIsAFixedFunctionOfSeedAndName() {
    assertEquals(-4_497_744_875_448_635_877L,
        Variant.deriveSeed(7, "lossy--network.loss=5_"));
    assertEquals(Variant.deriveSeed(7, "lossy--network.loss=5_"),
        Variant.deriveSeed(7, "lossy--network.loss=5_"));
    assertNotEquals(Variant.deriveSeed(7, "lossy--network.loss=5_"),
        Variant.deriveSeed(8, "lossy--network.loss=5_"));
    assertNotEquals(Variant.deriveSeed(7, "lossy--network.loss=5_"),
        Variant.deriveSeed(7, "lossy--network.loss=1_"));
  }

  @Test
  void loadIgnoresSweepAndExpect(@TempDir Path dir) throws Exception {
    Scenario s = ScenarioLoader.loadString(SWEPT, "t.yaml");
    assertEquals("lossy", s.name());
    assertEquals(7, s.seed());
    assertEquals(LossModel.bernoulli(0.01), s.network().defaults().loss());
    assertEquals(ScenarioLoader.loadString(BASE, "t.yaml"), s);

    Path f = dir.resolve("lossy.yaml");
    Files.writeString(f, SWEPT);
    assertEquals("lossy", ScenarioLoader.load(f).name());
    assertEquals(6, ScenarioLoader.loadVariants(f).size());
  }

  // --- sweep errors ------------------------------------------------------------------------

  @Test
  void emptySweepList() {
    ScenarioException e = LoaderErrors.variantsFail(BASE + """
        sweep:
          network.loss: []
        """);
    assertError(e, 14, 17, "sweep.network.loss", "must be a non-empty list");
  }

  @Test
  void unknownSweepPathSuggestsAPresentKey() {
    ScenarioException e = LoaderErrors.variantsFail(BASE + """
        sweep:
          network.los: [1%]
        """);
    assertError(e, 14, 3, "sweep.network.los",
        "unknown path: no key 'los' under 'network' (did you mean 'loss'?)");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  clients[3].count: [1]\n");
    assertError(e, 14, 3, "sweep.clients[3].count", "'clients' has 1 entries");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  netwrk.loss: [1]\n");
    assertError(e, 14, 3, "sweep.netwrk.loss", "did you mean 'network'?");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  network..loss: [1]\n");
    assertError(e, 14, 3, "sweep.network..loss", "malformed key path");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  network.loss: [1%]\n  network: [1]\n");
    assertError(e, 15, 3, "sweep.network", "overlaps with the swept key 'network.loss'");
  }

  @Test
  void badSweepValueIsReportedAtItsPosition() {
    ScenarioException e = LoaderErrors.variantsFail(BASE + """
        sweep:
          network.loss: [0, 150%]
        """);
    assertEquals("t.yaml", e.getFile());
    assertError(e, 14, 21, "network.loss", "must be a probability");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  clients[0].count: [5, 0]\n");
    assertError(e, 14, 25, "clients[0].count", "must be an integer >= 1, got \"0\"");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  network.latency: [linux]\n");
    assertError(e, 14, 21, "sweep.network.latency[0]", "sweep values must be numbers");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  network.loss: [1%, 1%]\n");
    assertError(e, 14, 22, "sweep.network.loss[1]", "duplicate value");
    e = LoaderErrors.variantsFail(BASE + "sweep:\n  network.loss: 1%\n");
    assertError(e, 14, 17, "sweep.network.loss", "must be a list of values");
  }

  @Test
  void invalidCombinationIsReportedAtASweptValue() {
    ScenarioException e = LoaderErrors.variantsFail(BASE + """
        tcp: { rtoInitial: 2s, rtoMin: 1s, rtoMax: 60s }
        sweep:
          tcp.rtoInitial: [2s, 5s]
          tcp.rtoMax: [60s, 4s]
        """);
    assertError(e, 15, 24, "sweep.tcp.rtoInitial[1]",
        "the variant lossy--tcp.rtoInitial=5s--tcp.rtoMax=4s is invalid: t.yaml:13:6: key"
            + " 'tcp': need rtoMin <= rtoInitial <= rtoMax");
  }

  // --- expect --------------------------------------------------------------------------------

  @Test
  void expectIsParsed() throws Exception {
    List<Expectation> ex = ScenarioLoader.loadVariantsString(BASE + """
        expect:
          - connections.established >= 99%
          - handshakeMs.p99<500
          - "outcomes.syn-timeout == 0"
          - segments.retransmitted > 0
          - statePeaks.TIME_WAIT != 1e3
        """, "t.yaml").get(0).expectations();
    assertEquals(new Expectation("connections.established", ">=", 99, true,
        "connections.established >= 99%", 14, 5), ex.get(0));
    assertEquals(new Expectation("handshakeMs.p99", "<", 500, false, "handshakeMs.p99<500", 15,
        5), ex.get(1));
    assertEquals("outcomes.syn-timeout", ex.get(2).path());
    assertEquals("==", ex.get(2).op());
    assertEquals(">", ex.get(3).op());
    assertEquals(1000, ex.get(4).value());
    // 50 + outcomes.aborted, .crashed + no-host, ignored + five fault drop reasons
    assertEquals(59, Expectation.REPORT_PATHS.size());
    assertTrue(Expectation.REPORT_PATHS.contains("lifecycleMs.p90"));
  }

  @Test
  void expectErrors() {
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - connections.established about 99\n"), 14, 5,
        "expect[0]", "must be a check \"<report path> <op> <value>\"");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - segments.sent > 1\n  - connections.establshed >= 1\n"),
        15, 5, "expect[1]",
        "unknown report path 'connections.establshed' (did you mean 'connections.established'?)");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - handshakeMs.p99 < 5%\n"), 14, 5, "expect[0]",
        "a percentage (of connections.attempted, or of a group's attempted) is only allowed for"
            + " connections.*, outcomes.* and a group's connection counts");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - segments >= 1\n"), 14, 5, "expect[0]",
        "'segments' is a group of the report");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - scenario == 1\n"), 14, 5, "expect[0]",
        "not a number");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - [a]\n"), 14, 5, "expect[0]", "must be a check");
    assertError(LoaderErrors.variantsFail(BASE + "expect: connections.open == 0\n"), 13, 9, "expect",
        "must be a list of checks");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - foo.bar < 1\n"), 14, 5, "expect[0]",
        "unknown report path 'foo.bar' (report paths: scenario, seed, simulatedNs, and");
  }

  @Test
  void evaluatePassAndFailIncludingPercent() throws Exception {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("scenario", "lossy");
    report.put("seed", 7L);
    Map<String, Object> conn = new LinkedHashMap<>();
    conn.put("attempted", 1000L);
    conn.put("established", 1000L);
    conn.put("failed", 15L);
    report.put("connections", conn);
    Map<String, Object> outcomes = new LinkedHashMap<>();
    outcomes.put("syn-timeout", 0L);
    report.put("outcomes", outcomes);
    Map<String, Object> hs = new LinkedHashMap<>();
    hs.put("count", 1000L);
    hs.put("p99", 612.5);
    report.put("handshakeMs", hs);
    report.put("segments", Map.of("retransmitted", 3));

    List<Expectation> ex = ScenarioLoader.loadVariantsString(BASE + """
        expect:
          - connections.established >= 99%
          - handshakeMs.p99 < 500
          - outcomes.syn-timeout == 0
          - segments.retransmitted > 0
          - connections.failed <= 1%
          - dropsByReason.loss == 0
        """, "t.yaml").get(0).expectations();
    Expectation.Result r = ex.get(0).evaluate(report);
    assertTrue(r.passed());
    assertEquals(1000, r.actual());
    assertEquals("connections.established >= 99% (990 of 1000): actual 1000 (100%) — pass",
        r.message());
    r = ex.get(1).evaluate(report);
    assertFalse(r.passed());
    assertEquals(612.5, r.actual());
    assertEquals("handshakeMs.p99 < 500: actual 612.5 — fail", r.message());
    assertTrue(ex.get(2).evaluate(report).passed());
    assertEquals("outcomes.syn-timeout == 0: actual 0 — pass", ex.get(2).evaluate(report).message());
    assertTrue(ex.get(3).evaluate(report).passed()); // an Integer value
    r = ex.get(4).evaluate(report);
    assertFalse(r.passed());
    assertEquals("connections.failed <= 1% (10 of 1000): actual 15 (1.5%) — fail", r.message());
    r = ex.get(5).evaluate(report); // not in this report
    assertFalse(r.passed());
    assertTrue(Double.isNaN(r.actual()));
    assertEquals("dropsByReason.loss == 0: no number at 'dropsByReason.loss' in the report — fail",
        r.message());
  }

  @Test
  void sweptExamplesInTheDocsExpand() throws Exception {
    Path doc = Path.of("docs/scenarios.md");
    if (!Files.exists(doc)) return; // run from another directory
    int swept = 0;
    for (String block : Files.readString(doc).split("```yaml\n")) {
      int end = block.indexOf("```");
      if (end < 0 || !block.startsWith("name:")) continue;
      List<Variant> vs = ScenarioLoader.loadVariantsString(block.substring(0, end), "doc");
      if (vs.size() > 1) swept++;
    }
    assertTrue(swept > 0, "docs/scenarios.md should hold a complete example with a sweep");
  }
}
