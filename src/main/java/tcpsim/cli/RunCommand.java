package tcpsim.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
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
import tcpsim.report.ReportJson;
import tcpsim.report.RunResult;
import tcpsim.report.RunStats;
import tcpsim.scenario.Scenario;

/** {@code tcpsim run FILE}: run one scenario, write its report, print a summary. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run a scenario and write OUT/<scenario name>/report.json.")
final class RunCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario (YAML)")
  Path file;

  @Option(names = "--seed", description = "override the scenario's seed")
  Long seed;

  @Option(names = "--out", defaultValue = "reports", description = "report folder (default: ${DEFAULT-VALUE})")
  Path out;

  @Mixin ClusterOptions cluster;

  @Option(names = "--quiet", description = "no progress display and no summary")
  boolean quiet;

  @Option(names = "--pcap", arity = "0..1", fallbackValue = "10", paramLabel = "N",
      description = "also write trace.pcap with the segments of the first N connections (default N: 10)")
  Integer pcap;

  @Override
  public Integer call() throws Exception {
    String problem = cluster.problem();
    if (problem != null) {
      System.err.println("tcpsim: " + problem);
      return Main.EXIT_BAD_INPUT;
    }
    Scenario scenario;
    try {
      scenario = ScenarioInput.load(file, seed);
    } catch (ScenarioInput.Exit e) {
      return e.code;
    }
    // Every node loads the same text, so every node builds the same scenario.
    ScenarioSource source = new ScenarioSource.Yaml(Files.readString(file), file.toString(), seed);
    Path dir = out.resolve(scenario.name());
    RunResult r;
    try (RunArtifacts artifacts = RunArtifacts.forRun(dir, pcap, scenario)) {
      try {
        r = cluster.withCluster(system -> {
          Progress progress = new Progress();
          try (ProgressDisplay display = ProgressDisplay.start(progress,
              scenario.connectionCount(), scenario.name(), quiet)) {
            return Simulation.run(system, source, new RunOptions(artifacts.sink(), null, progress));
          } catch (SimulationException e) {
            // Say so now: after a node was lost, taking the cluster down can take a while.
            System.err.println("tcpsim: " + file + ": the run failed: " + e.getMessage());
            throw e;
          }
        });
      } catch (SimulationException e) {
        return Main.EXIT_FAILED; // reported above
      } catch (ClusterSystem.ClusterStartException e) {
        System.err.println("tcpsim: " + file + ": the run failed: " + e.getMessage());
        return Main.EXIT_FAILED;
      }
      artifacts.write(r, java.util.List.of(), dir);
    }
    Path report = ReportJson.write(r, dir);
    if (!quiet) {
      System.out.println(summary(r));
      System.out.println("report: " + report);
    }
    return 0;
  }

  static String summary(RunResult r) {
    RunStats s = r.stats();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT,
        "%s (seed %d): %.3f s simulated in %.3f s wall, %d events, %d node%s%n",
        r.scenario().name(), r.seed(), r.simulatedNs() / 1e9, r.wallMs() / 1e3, s.events(),
        r.nodes(), r.nodes() == 1 ? "" : "s"));
    var m = ReportJson.build(r);
    b.append("  connections ").append(m.get("connections")).append('\n');
    b.append("  outcomes    ").append(nonZero(m.get("outcomes"))).append('\n');
    b.append("  segments    ").append(m.get("segments")).append('\n');
    b.append("  handshake   ").append(m.get("handshakeMs")).append(" ms\n");
    b.append("  digest      ").append(r.traceDigest());
    return b.toString();
  }

  private static String nonZero(Object map) {
    StringBuilder b = new StringBuilder("{");
    ((java.util.Map<?, ?>) map).forEach((k, v) -> {
      if (!(v instanceof Long l && l == 0)) b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v);
    });
    return b.append('}').toString();
  }
}
