package tcpsim.cluster;

import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.workload.BenchWorkload;

/**
 * Where a run's scenario comes from, in a form small enough to send to every cluster node: each
 * node rebuilds the same {@link Scenario} from it (loading is deterministic), instead of the
 * whole model travelling over the wire.
 */
public sealed interface ScenarioSource {

  Scenario load();

  /** The YAML text of a scenario file, and the seed given on the command line (or null). */
  record Yaml(String text, String file, Long seed) implements ScenarioSource {
    @Override
    public Scenario load() {
      try {
        Scenario s = ScenarioLoader.loadString(text, file);
        return seed == null ? s : s.renamed(s.name(), seed);
      } catch (ScenarioException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  /** One variant (a sweep combination) of a scenario file, by name. */
  record SweepVariant(String text, String file, String variant) implements ScenarioSource {
    @Override
    public Scenario load() {
      try {
        return ScenarioLoader.loadVariantsString(text, file).stream()
            .filter(v -> v.name().equals(variant)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException(file + " has no variant " + variant))
            .scenario();
      } catch (ScenarioException e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    }
  }

  /** The built-in bench workload. */
  record Bench(int connections, long seed) implements ScenarioSource {
    @Override
    public Scenario load() {
      return BenchWorkload.scenario(connections, seed);
    }
  }

  /**
   * A scenario built in code (tests). It cannot be sent to another node, so it runs only where
   * every node shares this JVM's memory — a single-node cluster.
   */
  record InProcess(Scenario scenario) implements ScenarioSource {
    @Override
    public Scenario load() {
      return scenario;
    }
  }

}
