package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.report.AtomicFiles;

/**
 * A batch killed with SIGKILL in the middle leaves only complete reports (every file is written
 * to a temporary file and renamed, AtomicFiles), and {@code batch --resume} finishes it: the runs
 * already done are kept, the rest run, and the killed batch's temporary files are gone.
 */
class BatchKillTest {
  /** Generous: only a bound for a stuck child, never a statement about speed. */
  private static final Duration TIMEOUT = Duration.ofSeconds(120);

  /** Top-level keys every report.json of a batch has (ReportJson, then BatchCommand's). */
  private static final List<String> REPORT_KEYS = List.of("scenario", "seed", "connections",
      "outcomes", "segments", "traceDigest", "status", "expectations");

  /** The small run comes first (files run in name order); the big ones keep the batch busy. */
  private static final List<String> RUNS = List.of("first", "big-1", "big-2", "big-3");

  @TempDir Path dir;
  private Process batch;

  @AfterEach
  void noChildOutlivesTheTest() throws InterruptedException {
    if (batch != null) kill(batch);
  }

  @Test
  void batchKilledAfterItsFirstReport_leavesOnlyCompleteReports_andResumeFinishesIt()
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    // scenarios/lossy.yaml: 5% loss exercises every retransmission path, so a run of thousands
    // of connections takes a while. The expectations hold for every size.
    String lossy = Files.readString(Path.of("scenarios/lossy.yaml"));
    Files.writeString(in.resolve("a-first.yaml"), sized(lossy, "first", 100));
    for (int i = 1; i <= 3; i++) {
      Files.writeString(in.resolve("b-big-" + i + ".yaml"), sized(lossy, "big-" + i, 8000));
    }
    Path out = dir.resolve("out");

    // --pcap: a run's trace.pcap is a temporary file while the run goes on. Waiting for the
    // second run's one puts the kill inside that run (first is done: runs go one at a time),
    // and leaves a temporary file for --resume to clean up.
    batch = startBatch(in.toString(), "--out", out.toString(), "--pcap");
    awaitFile(out.resolve("first/report.json"), batch);
    awaitFile(out.resolve("big-1"), batch);
    awaitTemporaryFile(out.resolve("big-1"), batch);
    assertTrue(batch.isAlive(), "the batch must still be running when it is killed");
    List<ProcessHandle> descendants = batch.descendants().toList();
    kill(batch);
    assertNotEquals(0, batch.exitValue(), "killed, not finished");
    for (ProcessHandle h : descendants) assertFalse(h.isAlive(), "orphan process " + h.pid());

    List<Path> reports = files(out, "report.json");
    assertTrue(reports.contains(out.resolve("first/report.json")), reports.toString());
    assertTrue(reports.size() < RUNS.size(), "killed midway, yet all reports exist: " + reports);
    for (Path r : reports) assertCompleteReport(r);
    assertTrue(files(out, null).stream().anyMatch(this::isTemporary),
        "the kill during a run with --pcap leaves its temporary trace file");

    CliRunner.Outcome resumed = CliRunner.execute("batch", in.toString(), "--out",
        out.toString(), "--pcap", "--resume");
    assertEquals(0, resumed.code(), resumed.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(RUNS.size(), summary.get("runs").asInt());
    assertEquals(RUNS.size(), summary.get("passed").asInt());
    for (JsonNode row : summary.get("results")) {
      String name = row.get("name").asText();
      assertEquals(name.equals("first"), row.get("resumed").asBoolean(),
          name + ": only the run finished before the kill is kept");
    }
    for (String run : RUNS) assertCompleteReport(out.resolve(run).resolve("report.json"));
    assertEquals(List.of(), files(out, null).stream().filter(this::isTemporary).toList(),
        "no temporary files after a successful batch");
  }

  private static String sized(String lossy, String name, int connections) {
    String s = lossy.replace("name: lossy", "name: " + name)
        .replace("count: 1000", "count: " + connections);
    assertNotEquals(lossy, s);
    return s;
  }

  /** {@code tcpsim batch ARGS} in a JVM of its own, as the launcher would start it. */
  private Process startBatch(String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
        "-cp", System.getProperty("java.class.path"), "tcpsim.cli.Main", "batch"));
    cmd.addAll(List.of(args));
    // Into files, not pipes: a full pipe would stall the child.
    return new ProcessBuilder(cmd)
        .redirectOutput(dir.resolve("batch.out").toFile())
        .redirectError(dir.resolve("batch.err").toFile())
        .start();
  }

  /** SIGKILL the process and anything it started, and wait until they are gone. */
  private static void kill(Process p) throws InterruptedException {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
    if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      fail("process " + p.pid() + " survived SIGKILL");
    }
  }

  /** Poll until {@code file} exists; fail if the process ends first or the timeout passes. */
  private void awaitFile(Path file, Process p) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!Files.exists(file)) {
      if (!p.isAlive()) {
        fail("the batch ended (exit " + p.exitValue() + ") before " + file + " appeared: "
            + Files.readString(dir.resolve("batch.err")));
      }
      if (System.nanoTime() > deadline) fail(file + " did not appear within " + TIMEOUT);
      Thread.sleep(20);
    }
  }

  /** Poll until {@code folder} holds one of AtomicFiles' temporary files (as awaitFile). */
  private void awaitTemporaryFile(Path folder, Process p) throws Exception {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (files(folder, null).stream().noneMatch(this::isTemporary)) {
      if (!p.isAlive()) fail("the batch ended (exit " + p.exitValue() + ") before a run began");
      if (System.nanoTime() > deadline) fail("no run began in " + folder + " within " + TIMEOUT);
      Thread.sleep(20);
    }
  }

  /** A report.json that Jackson reads to its end and that has every top-level key. */
  private static void assertCompleteReport(Path file) throws IOException {
    JsonNode report = new ObjectMapper().readTree(file.toFile()); // throws on truncated JSON
    assertTrue(report.isObject(), file.toString());
    for (String key : REPORT_KEYS) assertTrue(report.has(key), file + " lacks " + key);
    assertEquals("passed", report.get("status").asText(), file.toString());
  }

  private boolean isTemporary(Path p) {
    return p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX);
  }

  /** Files below {@code root}, all or only those with this name. */
  private static List<Path> files(Path root, String name) throws IOException {
    try (Stream<Path> all = Files.walk(root)) {
      return all.filter(Files::isRegularFile)
          .filter(p -> name == null || p.getFileName().toString().equals(name)).toList();
    }
  }
}
