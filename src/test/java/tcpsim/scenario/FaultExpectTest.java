package tcpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code expect:} checks of what a scheduled fault did, {@code faults.N.<figure>}: the fault is
 * selected by its index in {@code faults:}, which must exist, and {@code endpointsCrashed} is a
 * crash's figure only.
 */
class FaultExpectTest {
  /** Lines 1..15; the expect section is appended from line 16. */
  static final String BASE = """
      name: faulty
      hosts:
        - name: client
        - name: server
      listeners:
        - { host: server, port: 80 }
      clients:
        - { name: web, from: client, to: server:80, count: 10 }
      network:
        latency: 10ms
      faults:
        - { kind: partition, at: 1s, for: 2s, target: { between: [client, server] } }
        - { kind: reset, at: 4s, target: all }
        - { kind: crash, at: 5s, for: 1s, target: { host: server } }
      duration: 60s
      """;

  static List<Expectation> expect(String checks) throws ScenarioException {
    return ScenarioLoader.loadVariantsString(BASE + "expect:\n" + checks, "t.yaml").get(0)
        .expectations();
  }

  static ScenarioException fail(String checks) {
    return assertThrows(ScenarioException.class, () -> expect(checks));
  }

  @Test
  void faultFigures_areReportPaths_selectedByIndex() throws Exception {
    List<Expectation> ex = expect("""
          - faults.0.segmentsDropped > 0
          - faults.1.resetsInjected >= 1
          - faults.2.endpointsCrashed == 3
          - faults.2.connectionsReset <= 3
          - faults.0.segmentsRetransmitted > 0
        """);
    assertEquals(5, ex.size());
    assertEquals("faults.2.endpointsCrashed", ex.get(2).path());

    Map<String, Object> report = new LinkedHashMap<>();
    report.put("faults", List.of(fault(0, 60, 0, 0), fault(1, 0, 2, 0), fault(2, 5, 0, 3)));
    assertTrue(ex.get(0).evaluate(report).passed());
    assertTrue(ex.get(1).evaluate(report).passed());
    Expectation.Result crashed = ex.get(2).evaluate(report);
    assertTrue(crashed.passed(), crashed.message());
    assertEquals(3.0, crashed.actual());
    assertEquals("faults.2.endpointsCrashed == 3: actual 3 — pass", crashed.message());
    // A report without the entry: no number, a failure that says so.
    Expectation.Result none = ex.get(0).evaluate(Map.of("faults", List.of()));
    assertFalse(none.passed());
    assertTrue(none.message().contains("no number at 'faults.0.segmentsDropped'"), none.message());
  }

  private static Map<String, Object> fault(int index, long dropped, long resets, long crashed) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("index", index);
    m.put("kind", "x");
    m.put("segmentsDropped", dropped);
    m.put("resetsInjected", resets);
    m.put("segmentsRetransmitted", 1L);
    m.put("connectionsReset", 0L);
    if (crashed > 0) m.put("endpointsCrashed", crashed);
    return m;
  }

  @Test
  void faultIndexBeyondTheScenariosFaults_isAnErrorAtTheEntry() {
    ScenarioException e = fail("  - connections.established == 100%\n"
        + "  - faults.3.segmentsDropped > 0\n");
    assertEquals("t.yaml", e.getFile());
    assertEquals(18, e.getLine(), e.getMessage());
    assertEquals(5, e.getColumn(), e.getMessage());
    assertEquals("expect", e.getKeyPath());
    assertTrue(e.getReason().contains("'faults.3.segmentsDropped > 0': no fault with index '3'"
        + " (the scenario has 3 faults, indices 0 to 2;"), e.getMessage());
  }

  @Test
  void faultIndexThatIsNotAPlainNumber_isAnError() {
    for (String index : List.of("x", "01", "-1", "web")) {
      ScenarioException e = fail("  - faults." + index + ".segmentsDropped > 0\n");
      assertEquals(17, e.getLine(), e.getMessage());
      assertTrue(e.getReason().contains("no fault with index '" + index + "'"), e.getMessage());
    }
  }

  @Test
  void endpointsCrashed_ofAFaultThatIsNoCrash_isAnError() {
    ScenarioException e = fail("  - faults.0.endpointsCrashed == 0\n");
    assertEquals(17, e.getLine());
    assertTrue(e.getReason().contains("fault 0 is a partition; endpointsCrashed is reported for"
        + " crash faults only"), e.getMessage());
  }

  @Test
  void faultPaths_inAScenarioWithoutFaults_areAnError() {
    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.loadVariantsString("""
            name: calm
            hosts: [{name: a}, {name: b}]
            expect:
              - faults.0.segmentsDropped == 0
            """, "t.yaml"));
    assertEquals(4, e.getLine());
    assertTrue(e.getReason().contains("the scenario has no faults"), e.getMessage());
  }

  @Test
  void unknownFaultFigure_isAnUnknownPath_withTheFaultPathsNamedInTheHint() {
    ScenarioException e = fail("  - faults.0.segmentsLost > 0\n");
    assertEquals(17, e.getLine());
    assertTrue(e.getReason().contains("unknown report path 'faults.0.segmentsLost'"),
        e.getMessage());
    assertTrue(e.getReason().contains("faults.N.*"), e.getMessage());
  }

  @Test
  void percentages_areNotAllowedForFaultFigures() {
    ScenarioException e = fail("  - faults.0.connectionsReset < 10%\n");
    assertTrue(e.getReason().contains("a percentage"), e.getMessage());
  }
}
