package tcpsim.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tcpsim.cluster.ClusterSystem;
import tcpsim.cluster.ScenarioSource;
import tcpsim.engine.Progress;
import tcpsim.engine.RunOptions;
import tcpsim.engine.Simulation;
import tcpsim.engine.SimulationException;
import tcpsim.report.AtomicFiles;
import tcpsim.report.ReportJson;
import tcpsim.report.RunResult;
import tcpsim.report.RunStats;
import tcpsim.tcp.Outcome;

/**
 * {@code tcpsim bench}: the built-in scale workload (see {@link BenchWorkload}); prints and
 * writes throughput and memory figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Run the built-in scale workload and print throughput and memory figures.")
final class BenchCommand implements Callable<Integer> {
  @Option(names = "--connections", defaultValue = "100000",
      description = "client connections (default: ${DEFAULT-VALUE})")
  int connections;

  @Option(names = "--seed", defaultValue = "1", description = "seed (default: ${DEFAULT-VALUE})")
  long seed;

  @Option(names = "--out", defaultValue = "reports/bench",
      description = "where bench.json and report.json go (default: ${DEFAULT-VALUE})")
  Path out;

  @Mixin ClusterOptions cluster;

  @Option(names = "--quiet", description = "no progress display")
  boolean quiet;

  @Override
  public Integer call() throws Exception {
    if (connections < 1) {
      System.err.println("tcpsim: --connections must be at least 1");
      return Main.EXIT_BAD_INPUT;
    }
    String problem = cluster.problem();
    if (problem != null) {
      System.err.println("tcpsim: " + problem);
      return Main.EXIT_BAD_INPUT;
    }
    ScenarioSource source = new ScenarioSource.Bench(connections, seed);
    Progress progress = new Progress();
    long start = System.nanoTime();
    RunResult r;
    try (ProgressDisplay display = ProgressDisplay.start(progress, connections, "bench", quiet)) {
      r = cluster.withCluster(system ->
          Simulation.run(system, source, new RunOptions(null, null, progress)));
    } catch (SimulationException | ClusterSystem.ClusterStartException e) {
      System.err.println("\ntcpsim: bench failed: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    Map<String, Object> figures = figures(r, wallSeconds);
    String json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
        .writeValueAsString(figures) + "\n";
    Files.createDirectories(out);
    ReportJson.write(r, out);
    AtomicFiles.write(out.resolve("bench.json"), json);
    figures.forEach((k, v) -> System.out.printf(Locale.ROOT, "%-32s %s%n", k, v));
    System.out.println("written: " + out.resolve("bench.json"));
    return 0;
  }

  static Map<String, Object> figures(RunResult r, double wallSeconds) {
    RunStats s = r.stats();
    // Every node reports its own live-heap peak; a distributed run holds their sum.
    long peakHeap = r.nodeHeapPeaks().values().stream().mapToLong(Long::longValue).sum();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("connections", s.attempted());
    m.put("nodes", r.nodes());
    m.put("closed", s.outcomes().getOrDefault(Outcome.CLOSED, 0L));
    m.put("segments", s.sent());
    m.put("events", s.events());
    m.put("windows", r.windows());
    m.put("wallSeconds", round(wallSeconds));
    m.put("simulatedSeconds", round(r.simulatedNs() / 1e9));
    m.put("connectionsPerWallSecond", Math.round(s.attempted() / wallSeconds));
    m.put("eventsPerWallSecond", Math.round(s.events() / wallSeconds));
    m.put("peakHeapBytes", peakHeap);
    m.put("peakHeapBytesPerNode", r.nodeHeapPeaks());
    m.put("peakConcurrentEstablished", s.peakEstablishedConnections());
    m.put("heapBytesPerConcurrentConnection",
        s.peakEstablishedConnections() == 0 ? 0 : peakHeap / s.peakEstablishedConnections());
    m.put("traceDigest", r.traceDigest());
    return m;
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }
}
