package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code tcpsim batch} prints while it runs when no terminal is watching (tests run without
 * one): one line per finished run on stderr, in order, and nothing at all with --quiet.
 */
class BatchProgressTest {
  /** A progress line, {@code [3/7] ...}; anything else on stderr (a log line) is not one. */
  private static final Pattern PROGRESS_LINE = Pattern.compile("^\\[\\d+/\\d+\\] .*");

  @TempDir Path dir;
  private Path in;
  private Path out;

  private static String scenario(String name, String expect) {
    return "name: " + name + "\nseed: 3\nhosts:\n  - name: c\n  - name: s\nlisteners:\n"
        + "  - {host: s, port: 80}\nclients:\n  - {from: c, to: 's:80', count: 5, clientBytes: 100, "
        + "serverBytes: 100}\nnetwork:\n  latency: 5ms\n  loss: 0\nexpect:\n  - " + expect + "\n";
  }

  /** Four runs, in this order: good, missed (an expectation fails), and a sweep of two. */
  @BeforeEach
  void scenarios() throws Exception {
    in = Files.createDirectories(dir.resolve("in"));
    out = dir.resolve("out");
    Files.writeString(in.resolve("a-good.yaml"), scenario("good", "connections.closed == 5"));
    Files.writeString(in.resolve("b-missed.yaml"), scenario("missed", "connections.closed == 6"));
    Files.writeString(in.resolve("c-sweep.yaml"), scenario("swept", "connections.closed == 5")
        + "sweep:\n  network.loss: [0, 1%]\n");
  }

  private static List<String> progressLines(String stderr) {
    return stderr.lines().filter(l -> PROGRESS_LINE.matcher(l).matches()).toList();
  }

  /** Each line against its pattern, and exactly as many lines as patterns. */
  private static void assertLines(List<String> patterns, List<String> lines) {
    assertEquals(patterns.size(), lines.size(), "one line per run: " + lines);
    for (int i = 0; i < patterns.size(); i++) {
      assertTrue(lines.get(i).matches(patterns.get(i)),
          "line " + (i + 1) + " is '" + lines.get(i) + "', expected " + patterns.get(i));
    }
  }

  @Test
  void withoutATerminal_eachFinishedRunGetsOneLine_withItsCountStatusAndTime() {
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString());
    assertEquals(1, o.code(), o.err());
    assertLines(List.of(
        "\\[1/4\\] good passed in \\d+\\.\\d s",
        "\\[2/4\\] missed failed in \\d+\\.\\d s — connections\\.closed == 6.*",
        "\\[3/4\\] swept\\[network\\.loss=0\\] passed in \\d+\\.\\d s",
        "\\[4/4\\] swept\\[network\\.loss=1%\\] passed in \\d+\\.\\d s"),
        progressLines(o.err()));
    assertEquals(List.of("4 runs: 3 passed, 1 not; summary in " + out.resolve("index.html")),
        o.out().lines().toList(), "stdout holds only the summary");
  }

  @Test
  void resumedRuns_areCountedAndSaidToBeResumed() {
    assertEquals(1, CliRunner.execute("batch", in.toString(), "--out", out.toString()).code());
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString(),
        "--resume");
    assertEquals(1, o.code(), o.err());
    assertLines(List.of(
        "\\[1/4\\] good passed \\(resumed\\)",
        "\\[2/4\\] missed failed \\(resumed\\) — connections\\.closed == 6.*",
        "\\[3/4\\] swept\\[network\\.loss=0\\] passed \\(resumed\\)",
        "\\[4/4\\] swept\\[network\\.loss=1%\\] passed \\(resumed\\)"),
        progressLines(o.err()));
  }

  @Test
  void withJobs_linesAreNumberedInTheOrderRunsFinish() {
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString(),
        "--jobs", "2");
    assertEquals(1, o.code(), o.err());
    List<String> lines = progressLines(o.err());
    assertEquals(4, lines.size(), lines.toString());
    for (int i = 0; i < 4; i++) {
      assertTrue(lines.get(i).startsWith("[" + (i + 1) + "/4] "), lines.toString());
    }
    for (String label : List.of("good", "missed", "swept[network.loss=0]",
        "swept[network.loss=1%]")) {
      assertEquals(1, lines.stream().filter(l -> l.contains("] " + label + " ")).count(),
          label + " once: " + lines);
    }
  }

  @Test
  void quiet_printsNothing() {
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString(),
        "--quiet");
    assertEquals(1, o.code(), "the exit code still tells: " + o.err());
    assertEquals("", o.out());
    assertEquals("", o.err());
    assertTrue(Files.exists(out.resolve("summary.json")), "the reports are written all the same");
  }
}
