package tcpsim.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.Extension;
import akka.actor.typed.ExtensionId;
import java.util.concurrent.ConcurrentHashMap;
import tcpsim.scenario.Scenario;
import tcpsim.workload.Workload;

/**
 * The runs this node takes part in, by run id: the scenario and workload every host entity of
 * the run needs when sharding creates it here. Filled by {@link NodeAgent} before the run's
 * first window, emptied after its last.
 */
public final class RunRegistry implements Extension {

  /**
   * What a node knows of one run.
   *
   * @param localDropRule a test's segment drop rule (a {@code Predicate<Segment>}), known only in
   *     the JVM that started the run; null elsewhere and usually
   */
  public record LoadedRun(Scenario scenario, Workload workload, Object localDropRule) {

    public LoadedRun(Scenario scenario, Workload workload) {
      this(scenario, workload, null);
    }
  }

  private static final ExtensionId<RunRegistry> ID = new ExtensionId<>() {
    @Override
    public RunRegistry createExtension(ActorSystem<?> system) {
      return new RunRegistry();
    }
  };

  private final ConcurrentHashMap<String, LoadedRun> runs = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Object> dropRules = new ConcurrentHashMap<>();

  public static RunRegistry get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void put(String runId, LoadedRun run) {
    Object rule = dropRules.get(runId);
    runs.put(runId, rule == null ? run : new LoadedRun(run.scenario(), run.workload(), rule));
  }

  /** Before a run is prepared: its drop rule, for this JVM only. */
  public void putDropRule(String runId, Object rule) {
    dropRules.put(runId, rule);
  }

  /** The run, or null when it is not prepared on this node (or already over). */
  public LoadedRun find(String runId) {
    return runs.get(runId);
  }

  public LoadedRun require(String runId) {
    LoadedRun run = runs.get(runId);
    if (run == null) throw new IllegalStateException("run " + runId + " is not prepared on this node");
    return run;
  }

  public void remove(String runId) {
    runs.remove(runId);
    dropRules.remove(runId);
  }
}
