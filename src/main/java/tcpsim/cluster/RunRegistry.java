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

  /** What a node knows of one run. */
  public record LoadedRun(Scenario scenario, Workload workload) {}

  private static final ExtensionId<RunRegistry> ID = new ExtensionId<>() {
    @Override
    public RunRegistry createExtension(ActorSystem<?> system) {
      return new RunRegistry();
    }
  };

  private final ConcurrentHashMap<String, LoadedRun> runs = new ConcurrentHashMap<>();

  public static RunRegistry get(ActorSystem<?> system) {
    return system.registerExtension(ID);
  }

  public void put(String runId, LoadedRun run) {
    runs.put(runId, run);
  }

  public LoadedRun require(String runId) {
    LoadedRun run = runs.get(runId);
    if (run == null) throw new IllegalStateException("run " + runId + " is not prepared on this node");
    return run;
  }

  public void remove(String runId) {
    runs.remove(runId);
  }
}
