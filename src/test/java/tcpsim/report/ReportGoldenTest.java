package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tcpsim.engine.Simulation;
import tcpsim.scenario.ScenarioLoader;

/**
 * scenarios/handshake.yaml's report.json, with {@code wallMs} zeroed, equals the checked-in
 * golden file. To accept a deliberate change, run with {@code -Dgolden.update=true} (it rewrites
 * src/test/resources/golden/handshake-report.json) and review the diff.
 */
class ReportGoldenTest {
  static final String GOLDEN = "golden/handshake-report.json";

  /** report.json as written, with the one wall-clock figure zeroed. */
  static String deterministicJson(RunResult r) {
    return ReportJson.toJson(r).replaceFirst("\"wallMs\" : \\d+", "\"wallMs\" : 0");
  }

  @Test
  void handshakeReport_matchesGolden() throws Exception {
    RunResult r = Simulation.run(ScenarioLoader.load(Path.of("scenarios/handshake.yaml")),
        (TraceSink) null);
    String actual = deterministicJson(r);
    if (Boolean.getBoolean("golden.update")) {
      Path p = Path.of("src/test/resources", GOLDEN);
      Files.createDirectories(p.getParent());
      Files.writeString(p, actual);
    }
    String expected;
    try (InputStream in = getClass().getClassLoader().getResourceAsStream(GOLDEN)) {
      assertNotNull(in, "missing test resource " + GOLDEN);
      expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!expected.equals(actual)) {
      Path out = Path.of("target", "golden-actual", "handshake-report.json");
      Files.createDirectories(out.getParent());
      Files.writeString(out, actual);
      fail("report.json of scenarios/handshake.yaml differs from src/test/resources/" + GOLDEN
          + "; the actual report is in " + out.toAbsolutePath() + " — compare with:\n  diff "
          + "src/test/resources/" + GOLDEN + " " + out
          + "\n(if the change is intended, rerun with -Dgolden.update=true and review the diff)");
    }
    assertEquals(expected, actual);
  }
}
