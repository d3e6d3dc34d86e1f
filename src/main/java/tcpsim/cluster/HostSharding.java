package tcpsim.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import tcpsim.engine.HostActor;
import tcpsim.engine.HostMsg;

/**
 * Simulated hosts are the sharded entities: all sockets of one host live on one node, and
 * sharding spreads the hosts over the cluster. An entity id is {@code runId:hostIndex}; the
 * entity finds its run's scenario in this node's {@link RunRegistry}.
 */
public final class HostSharding {
  public static final EntityTypeKey<HostMsg> HOST = EntityTypeKey.create(HostMsg.class, "host");

  private HostSharding() {}

  /** Start this node's shard region for hosts (every node, before it takes part in a run). */
  public static void init(ActorSystem<?> system) {
    ClusterSharding.get(system).init(Entity.of(HOST, entity -> Behaviors.setup(ctx -> {
      String id = entity.getEntityId();
      int colon = id.lastIndexOf(':');
      RunRegistry.LoadedRun run = RunRegistry.get(ctx.getSystem()).find(id.substring(0, colon));
      if (run == null) {
        // A late message of a run that is over here — abandoned after a node was lost, say,
        // and its shard moved to this node: a host started now would be empty. Drop it.
        ctx.getLog().debug("host {}: its run is not (or no longer) prepared here", id);
        return Behaviors.stopped();
      }
      int host = Integer.parseInt(id.substring(colon + 1));
      return HostActor.create(host, run.scenario(), run.workload());
    })));
  }

  public static EntityRef<HostMsg> host(ActorSystem<?> system, String runId, int host) {
    return ClusterSharding.get(system).entityRefFor(HOST, runId + ":" + host);
  }
}
