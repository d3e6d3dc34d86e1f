package tcpsim.cli;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tcpsim.cluster.ClusterSystem;
import tcpsim.cluster.ScenarioSource;
import tcpsim.engine.Progress;
import tcpsim.engine.RunOptions;
import tcpsim.engine.Simulation;
import tcpsim.engine.SimulationException;
import tcpsim.report.AtomicFiles;
import tcpsim.report.BatchRow;
import tcpsim.report.BatchSummary;
import tcpsim.report.ReportJson;
import tcpsim.report.RunResult;
import tcpsim.scenario.Expectation;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.scenario.Variant;

/**
 * {@code tcpsim batch}: run every scenario (and every sweep variant) of some files or folders,
 * keep going when one fails, and write each run's folder plus summary.csv, summary.json and
 * index.html. With {@code --resume}, runs whose report exists and whose input is unchanged are
 * not repeated.
 */
@Command(name = "batch", mixinStandardHelpOptions = true,
    description = "Run every scenario and sweep variant of the given files or folders "
        + "(default: scenarios/) and write reports and a summary (default: reports/).")
final class BatchCommand implements Callable<Integer> {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(arity = "0..*", paramLabel = "DIR|FILE",
      description = "scenario files, or folders searched for *.yaml (default: scenarios)")
  List<Path> inputs;

  @Option(names = "--out", defaultValue = "reports", description = "output folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Option(names = "--resume", description = "skip runs whose report exists and whose scenario text and seed are unchanged")
  boolean resume;

  @Option(names = "--jobs", defaultValue = "1", description = "runs at a time (default: ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--quiet", description = "print nothing but errors")
  boolean quiet;

  @Option(names = "--pcap", arity = "0..1", fallbackValue = "10", paramLabel = "N",
      description = "also write each run's trace.pcap with its first N connections (default N: 10)")
  Integer pcap;

  @Mixin ClusterOptions cluster;

  /** A run to do: one variant of one file. */
  private record Planned(Path file, String text, Variant variant) {}

  @Override
  public Integer call() throws Exception {
    String problem = cluster.problem();
    if (problem == null && (jobs < 1 || jobs > 64)) problem = "--jobs must be 1..64";
    if (problem != null) {
      System.err.println("tcpsim: " + problem);
      return Main.EXIT_BAD_INPUT;
    }
    List<Path> files;
    try {
      files = scenarioFiles(inputs == null || inputs.isEmpty() ? List.of(Path.of("scenarios")) : inputs);
    } catch (IllegalArgumentException e) {
      System.err.println("tcpsim: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    List<BatchRow> invalid = new ArrayList<>();
    List<Planned> plan = new ArrayList<>();
    Map<String, Path> names = new HashMap<>();
    for (Path file : files) {
      try {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (Variant v : ScenarioLoader.loadVariantsString(text, file.toString())) {
          Path clash = names.putIfAbsent(v.name(), file);
          if (clash != null) {
            throw new ScenarioException(file.toString(), 0, 0, null, "run name '" + v.name()
                + "' is already used by " + clash + "; give the scenario another name");
          }
          plan.add(new Planned(file, text, v));
        }
      } catch (ScenarioException e) {
        System.err.println("tcpsim: " + e.getMessage());
        invalid.add(BatchRow.invalid(file.toString(), e.getMessage()));
      } catch (IOException e) {
        System.err.println("tcpsim: " + file + ": cannot read: " + e.getMessage());
        invalid.add(BatchRow.invalid(file.toString(), "cannot read: " + e.getMessage()));
      }
    }
    // A batch killed earlier may have left temporary files beside the summary; each run's
    // folder is cleaned when that run comes up (runOne).
    AtomicFiles.deleteLeftovers(out);
    List<BatchRow> rows = new ArrayList<>();
    if (!plan.isEmpty()) {
      try {
        rows.addAll(cluster.withCluster(system -> runAll(system, plan)));
      } catch (ClusterSystem.ClusterStartException e) {
        System.err.println("tcpsim: " + e.getMessage());
        return Main.EXIT_FAILED;
      }
    }
    rows.addAll(invalid);
    BatchSummary.write(rows, out);
    long passed = rows.stream().filter(BatchRow::ok).count();
    if (!quiet) {
      System.out.printf("%d runs: %d passed, %d not; summary in %s%n", rows.size(), passed,
          rows.size() - passed, out.resolve("index.html"));
    }
    if (!invalid.isEmpty()) return Main.EXIT_BAD_INPUT;
    return passed == rows.size() ? Main.EXIT_OK : Main.EXIT_FAILED;
  }

  private List<BatchRow> runAll(ActorSystem<?> system, List<Planned> plan) {
    ExecutorService pool = Executors.newFixedThreadPool(jobs);
    try (BatchProgress progress = BatchProgress.start(plan.size(), quiet)) {
      List<Future<BatchRow>> futures = new ArrayList<>();
      for (Planned p : plan) futures.add(pool.submit(() -> runOne(system, p, progress)));
      List<BatchRow> rows = new ArrayList<>();
      for (Future<BatchRow> f : futures) rows.add(f.get());
      return rows;
    } catch (Exception e) {
      throw new IllegalStateException("the batch was interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private BatchRow runOne(ActorSystem<?> system, Planned p, BatchProgress progress)
      throws IOException {
    Variant v = p.variant();
    Path dir = out.resolve(v.name());
    String fingerprint = fingerprint(p);
    Path reportFile = dir.resolve("report.json");
    Path fingerprintFile = dir.resolve("input.sha256");
    // A batch killed while it wrote this folder leaves temporary files (never a partial
    // report: see AtomicFiles). No one else writes here now, since run names are unique.
    AtomicFiles.deleteLeftovers(dir);
    if (resume && Files.exists(reportFile) && Files.exists(fingerprintFile)
        && Files.readString(fingerprintFile).strip().equals(fingerprint)) {
      @SuppressWarnings("unchecked")
      Map<String, Object> report = JSON.readValue(reportFile.toFile(), LinkedHashMap.class);
      String status = String.valueOf(report.getOrDefault("status", "passed"));
      BatchRow row = new BatchRow(v.name(), p.file().toString(), status,
          String.valueOf(report.getOrDefault("statusReason", "")), v.sweepValues(), report, true);
      progress.resumed(v.label(), row);
      return row;
    }
    Progress runProgress = new Progress();
    try (RunArtifacts artifacts = RunArtifacts.forRun(dir, pcap, v.scenario());
        BatchProgress.Run shown =
            progress.begin(v.label(), runProgress, v.scenario().connectionCount())) {
      BatchRow row = runAndReport(system, p, artifacts, dir, fingerprint, runProgress);
      shown.finished(row);
      return row;
    }
  }

  private BatchRow runAndReport(ActorSystem<?> system, Planned p, RunArtifacts artifacts,
      Path dir, String fingerprint, Progress runProgress) throws IOException {
    Variant v = p.variant();
    Path reportFile = dir.resolve("report.json");
    Path fingerprintFile = dir.resolve("input.sha256");
    RunResult r;
    try {
      r = Simulation.run(system,
          new ScenarioSource.SweepVariant(p.text(), p.file().toString(), v.name()),
          new RunOptions(artifacts.sink(), null, runProgress));
    } catch (SimulationException e) {
      return new BatchRow(v.name(), p.file().toString(), "error", e.getMessage(),
          v.sweepValues(), null, false);
    }
    Map<String, Object> report = ReportJson.build(r);
    List<Map<String, Object>> checks = new ArrayList<>();
    List<String> missed = new ArrayList<>();
    for (Expectation e : v.expectations()) {
      Expectation.Result result = e.evaluate(report);
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("expect", e.text());
      c.put("passed", result.passed());
      c.put("actual", result.actual());
      c.put("detail", result.message());
      checks.add(c);
      if (!result.passed()) missed.add(result.message());
    }
    String status = missed.isEmpty() ? "passed" : "failed";
    String reason = String.join("; ", missed);
    report.put("status", status);
    report.put("statusReason", reason);
    report.put("expectations", checks);
    report.put("sweep", v.sweepValues());
    // Pages first, report.json next, the input's fingerprint last: --resume trusts a run only
    // when all of it was written.
    Files.createDirectories(dir);
    artifacts.write(r, checks, dir);
    AtomicFiles.write(reportFile, JSON.writeValueAsString(report) + "\n");
    AtomicFiles.write(fingerprintFile, fingerprint + "\n");
    return new BatchRow(v.name(), p.file().toString(), status, reason, v.sweepValues(), report,
        false);
  }

  /** What decides a run's result: the file's text and the variant (its name fixes its seed). */
  private static String fingerprint(Planned p) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update(p.text().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(p.variant().name().getBytes(StandardCharsets.UTF_8));
      sha.update((byte) 0);
      sha.update(Long.toString(p.variant().scenario().seed()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha.digest());
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Scenario files: the files given, and every *.yaml below the folders given, sorted. */
  static List<Path> scenarioFiles(List<Path> inputs) {
    List<Path> files = new ArrayList<>();
    for (Path in : inputs) {
      if (Files.isDirectory(in)) {
        try (Stream<Path> walk = Files.walk(in)) {
          walk.filter(f -> Files.isRegularFile(f) && (f.toString().endsWith(".yaml")
              || f.toString().endsWith(".yml"))).sorted().forEach(files::add);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      } else if (Files.isRegularFile(in)) {
        files.add(in);
      } else {
        throw new IllegalArgumentException(in + ": no such file or folder");
      }
    }
    return files;
  }
}
