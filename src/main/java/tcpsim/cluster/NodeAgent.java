package tcpsim.cluster;

import akka.actor.PoisonPill;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.typed.ClusterSingleton;
import akka.cluster.typed.SingletonActor;
import tcpsim.engine.Coordinator;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import akka.cluster.typed.Cluster;
import tcpsim.workload.Workload;

/**
 * One per cluster node, registered with the receptionist: prepares the node for a run (loads its
 * scenario into the {@link RunRegistry}) before the run's hosts are created here, and forgets it
 * afterwards.
 */
public final class NodeAgent {
  public static final ServiceKey<Msg> KEY = ServiceKey.create(Msg.class, "tcpsim-node-agent");

  private NodeAgent() {}

  public sealed interface Msg extends ClusterMessage {}

  /** Load the run's scenario; answer {@link Prepared}. */
  public record PrepareRun(String runId, ScenarioSource source, ActorRef<Prepared> replyTo)
      implements Msg {}

  /** The run is over. */
  public record EndRun(String runId) implements Msg {}

  /**
   * A node is ready for the run (or could not load it: {@code error} is not null); {@code run}
   * takes the windows of this node's hosts.
   */
  public record Prepared(String runId, String node, ActorRef<NodeRun.Msg> run, String error)
      implements ClusterMessage {}

  private static final String COORDINATOR = "coordinator-";

  /** The proxy of run {@code runId}'s coordinator singleton (starting its manager here). */
  public static ActorRef<Coordinator.Msg> coordinatorOf(ActorSystem<?> system, String runId) {
    return ClusterSingleton.get(system)
        .init(SingletonActor.of(Coordinator.create(runId), COORDINATOR + runId));
  }

  public static Behavior<Msg> create() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
      RunRegistry registry = RunRegistry.get(ctx.getSystem());
      String node = Cluster.get(ctx.getSystem()).selfMember().address().toString();
      java.util.Map<String, ActorRef<NodeRun.Msg>> runs = new java.util.HashMap<>();
      return Behaviors.receive(Msg.class)
          .onMessage(PrepareRun.class, m -> {
            try {
              var scenario = m.source().load();
              registry.put(m.runId(), new RunRegistry.LoadedRun(scenario, new Workload(scenario)));
              ActorRef<NodeRun.Msg> run = ctx.spawn(NodeRun.create(m.runId()), "run-" + m.runId());
              // The run's coordinator is a cluster singleton: every node runs its manager.
              coordinatorOf(ctx.getSystem(), m.runId());
              runs.put(m.runId(), run);
              m.replyTo().tell(new Prepared(m.runId(), node, run, null));
            } catch (RuntimeException e) {
              m.replyTo().tell(new Prepared(m.runId(), node, null, e.getMessage()));
            }
            return Behaviors.same();
          })
          .onMessage(EndRun.class, m -> {
            registry.remove(m.runId());
            ActorRef<NodeRun.Msg> run = runs.remove(m.runId());
            if (run != null) ctx.stop(run);
            // The singleton stopped itself when the run ended; retire its manager too.
            Adapter.toClassic(ctx.getSystem()).actorSelection(
                "/system/singletonManager" + COORDINATOR + m.runId())
                .tell(PoisonPill.getInstance(), akka.actor.ActorRef.noSender());
            return Behaviors.same();
          })
          .build();
    });
  }
}
