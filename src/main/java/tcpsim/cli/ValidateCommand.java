package tcpsim.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.scenario.Variant;

/** {@code tcpsim validate FILE...}: check scenarios without running them. */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Check scenario files (and every sweep variant) without running them.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "FILE", description = "scenario files (YAML)")
  List<Path> files;

  @Override
  public Integer call() {
    int bad = 0;
    for (Path file : files) {
      try {
        List<Variant> variants = ScenarioLoader.loadVariants(file);
        System.out.printf("%s: ok (%d run%s)%n", file, variants.size(),
            variants.size() == 1 ? "" : "s");
      } catch (ScenarioException e) {
        System.err.println("tcpsim: " + e.getMessage());
        bad++;
      }
    }
    return bad == 0 ? Main.EXIT_OK : Main.EXIT_BAD_INPUT;
  }
}
