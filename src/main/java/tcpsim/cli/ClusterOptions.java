package tcpsim.cli;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.function.Function;
import picocli.CommandLine.Option;
import tcpsim.cluster.ClusterSystem;
import tcpsim.cluster.LocalWorkers;

/**
 * Where a run executes: one node (the default), N nodes on this machine ({@code --nodes}), or an
 * existing cluster reached through a seed node ({@code --seed-node}, {@code --wait-nodes}).
 */
final class ClusterOptions {
  @Option(names = "--nodes", defaultValue = "1",
      description = "cluster nodes on this machine: this JVM plus N-1 worker JVMs (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--seed-node", paramLabel = "HOST:PORT",
      description = "join the cluster through this node instead (workers started with `tcpsim node`)")
  String seedNode;

  @Option(names = "--wait-nodes", defaultValue = "1",
      description = "with --seed-node: start once this many nodes (this one included) are up (default: ${DEFAULT-VALUE})")
  int waitNodes;

  @Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
      description = "with --seed-node: address this node listens on (default: ${DEFAULT-VALUE})")
  String bind;

  /** Input errors, as a message; null when the options are fine. */
  String problem() {
    if (nodes < 1 || nodes > 64) return "--nodes must be 1..64";
    if (seedNode != null && nodes != 1) return "--nodes and --seed-node exclude each other";
    if (waitNodes < 1) return "--wait-nodes must be at least 1";
    try {
      if (seedNode != null) HostPort.parse(seedNode, "--seed-node");
      HostPort.parse(bind, "--bind");
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }

  /** Start the cluster this run asks for, run {@code body} on it, and take it down again. */
  <T> T withCluster(Function<ActorSystem<?>, T> body) {
    ActorSystem<Void> system = startNode();
    // Worker JVMs only for --nodes N; a null resource is simply not closed.
    try (LocalWorkers workers = nodes > 1 ? LocalWorkers.start(system, nodes - 1) : null) {
      return body.apply(system);
    } finally {
      ClusterSystem.terminate(system);
    }
  }

  /** This JVM's node: joined through --seed-node, the seed of --nodes N, or a cluster of one. */
  private ActorSystem<Void> startNode() {
    if (seedNode == null) {
      return nodes == 1 ? ClusterSystem.startSingleNode(ClusterSystem.NAME)
          : ClusterSystem.startSeed("127.0.0.1", 0, LocalWorkers.CLUSTER_CONFIG);
    }
    HostPort seed = HostPort.parse(seedNode, "--seed-node");
    HostPort self = HostPort.parse(bind, "--bind");
    ActorSystem<Void> system = ClusterSystem.startNode(self.host(), self.port(), seed.host(),
        seed.port(), Duration.ofSeconds(60), ConfigFactory.empty());
    if (!ClusterSystem.awaitMembers(system, waitNodes, Duration.ofMinutes(10))) {
      ClusterSystem.terminate(system);
      throw new ClusterSystem.ClusterStartException("only " + ClusterSystem.upMembers(system)
          + " of " + waitNodes + " nodes were up after 10 minutes");
    }
    return system;
  }
}
