package tcpsim.cli;

import java.nio.file.Path;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;

/** Loads a scenario for a command, turning a user's mistake into a message and exit code 2. */
final class ScenarioInput {
  private ScenarioInput() {}

  /** Thrown to end a command with an exit code after its message was printed. */
  static final class Exit extends RuntimeException {
    final int code;

    Exit(int code) {
      super(null, null, false, false);
      this.code = code;
    }
  }

  static Scenario load(Path file, Long seed) {
    try {
      Scenario s = ScenarioLoader.load(file);
      if (seed != null) {
        s = s.renamed(s.name(), seed);
      }
      return s;
    } catch (ScenarioException e) {
      System.err.println("tcpsim: " + e.getMessage());
      throw new Exit(Main.EXIT_BAD_INPUT);
    }
  }
}
