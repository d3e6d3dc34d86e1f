package tcpsim.cli;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tcpsim.engine.Simulation;
import tcpsim.engine.SimulationException;
import tcpsim.report.TraceFormatter;
import tcpsim.scenario.Scenario;

/** {@code tcpsim trace FILE}: run a scenario and print the events of one connection. */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Run a scenario and print every event of one connection.")
final class TraceCommand implements Callable<Integer> {
  enum Format { text, jsonl }

  @Parameters(index = "0", paramLabel = "FILE", description = "the scenario (YAML)")
  Path file;

  @Option(names = "--conn", defaultValue = "0", description = "connection id (default: ${DEFAULT-VALUE}, the first)")
  int conn;

  @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default: ${DEFAULT-VALUE})")
  Format format;

  @Option(names = "--seed", description = "override the scenario's seed")
  Long seed;

  @Override
  public Integer call() {
    Scenario scenario;
    try {
      scenario = ScenarioInput.load(file, seed);
    } catch (ScenarioInput.Exit e) {
      return e.code;
    }
    if (conn < 0 || conn >= scenario.connectionCount()) {
      System.err.printf("tcpsim: --conn %d: the scenario has connections 0..%d%n", conn,
          scenario.connectionCount() - 1);
      return Main.EXIT_BAD_INPUT;
    }
    TraceFormatter formatter =
        new TraceFormatter(scenario.hosts().stream().map(Scenario.HostSpec::name).toList());
    PrintWriter w = new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(System.out, StandardCharsets.UTF_8)));
    if (format == Format.text) {
      w.printf("# %s, connection %d: simulated time, who acts, event; seq/ack relative to the "
          + "client's ISN x and the server's ISN y, absolute values last%n", scenario.name(), conn);
    }
    try {
      Simulation.run(scenario, e -> {
        if (e.conn() == conn) w.println(format == Format.text ? formatter.text(e) : formatter.json(e));
      });
    } catch (SimulationException e) {
      w.flush();
      System.err.println("tcpsim: " + file + ": the run failed: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    w.flush();
    return 0;
  }
}
