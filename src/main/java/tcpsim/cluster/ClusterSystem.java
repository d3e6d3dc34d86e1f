package tcpsim.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;
import java.util.stream.StreamSupport;

/**
 * Starts the actor system every run uses: an Akka cluster node named "tcpsim", bound to
 * 127.0.0.1 unless told otherwise, with the host shard region and the node agent running. The
 * configuration comes from conf/application.conf (on the class path, or named by -Dconfig.file)
 * with overrides on top.
 */
public final class ClusterSystem {
  /** Every node of one cluster must use the same system name. */
  public static final String NAME = "tcpsim";

  private ClusterSystem() {}

  /** A single node that joins itself: the default, nothing to install. */
  public static ActorSystem<Void> startSingleNode(String name, Config overrides) {
    ActorSystem<Void> system = start(overrides);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    awaitUp(system, Duration.ofSeconds(30), "the cluster node did not come up");
    startAgent(system);
    return system;
  }

  public static ActorSystem<Void> startSingleNode(String name) {
    return startSingleNode(name, ConfigFactory.empty());
  }

  /**
   * The first node of a multi-node cluster, bound to {@code bindHost:bindPort} (0: any free
   * port): it joins itself, and the others join through it.
   */
  public static ActorSystem<Void> startSeed(String bindHost, int bindPort, Config overrides) {
    ActorSystem<Void> system = start(overrides.withFallback(bindConfig(bindHost, bindPort)));
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    awaitUp(system, Duration.ofSeconds(30), "the cluster node did not come up");
    startAgent(system);
    return system;
  }

  /** The port this node listens on. */
  public static int port(ActorSystem<?> system) {
    return (Integer) Cluster.get(system).selfMember().address().port().get();
  }

  /**
   * A node bound to {@code bindHost:bindPort} (0: any free port) that joins the cluster through
   * {@code seed} (its own address makes it the first node). Fails with a clear message if it is
   * not a member within {@code timeout}, terminating the system: no hang.
   */
  public static ActorSystem<Void> startNode(String bindHost, int bindPort, String seedHost,
      int seedPort, Duration timeout, Config overrides) {
    ActorSystem<Void> system = start(overrides.withFallback(bindConfig(bindHost, bindPort)));
    Address seed = new Address("akka", NAME, seedHost, seedPort);
    Cluster.get(system).manager().tell(new JoinSeedNodes(List.of(seed)));
    awaitUp(system, timeout, "could not join the cluster through " + seedHost + ":" + seedPort
        + " within " + timeout.toSeconds() + " s (is a tcpsim node listening there, and is the "
        + "port open?)");
    startAgent(system);
    return system;
  }

  private static Config bindConfig(String host, int port) {
    return ConfigFactory.parseString(
        "akka.remote.artery.canonical.hostname = \"" + host + "\"\n"
            + "akka.remote.artery.canonical.port = " + port + "\n"
            + "akka.remote.artery.bind.hostname = \"" + host + "\"\n");
  }

  private static ActorSystem<Void> start(Config overrides) {
    HeapWatch.start();
    Config config = overrides.withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), NAME, config);
    HostSharding.init(system);
    return system;
  }

  /**
   * The node agent registers with the cluster receptionist, which only lists services of
   * members: start it once this node is Up.
   */
  private static void startAgent(ActorSystem<Void> system) {
    system.systemActorOf(NodeAgent.create(), "node-agent", Props.empty());
  }

  /** How many members are Up, this node included. */
  public static int upMembers(ActorSystem<?> system) {
    return (int) StreamSupport.stream(Cluster.get(system).state().getMembers().spliterator(), false)
        .filter(m -> m.status() == MemberStatus.up()).count();
  }

  /**
   * The members that keep the cluster from being settled — unreachable, or not Up (joining,
   * leaving, downed but not yet removed) — as "host:port (why)", sorted; empty when every
   * member is Up and reachable.
   */
  public static List<String> unsettledMembers(ActorSystem<?> system) {
    Cluster cluster = Cluster.get(system);
    java.util.Set<Member> unreachable = cluster.state().getUnreachable();
    return StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
        .filter(m -> m.status() != MemberStatus.up() || unreachable.contains(m))
        .map(m -> m.address().host().getOrElse(() -> "?") + ":"
            + m.address().port().getOrElse(() -> 0) + " ("
            + (unreachable.contains(m) ? "unreachable, " : "")
            + m.status().toString().toLowerCase(java.util.Locale.ROOT) + ")")
        .sorted().toList();
  }

  /** Wall-clock wait until {@code n} members are Up; false on timeout. */
  public static boolean awaitMembers(ActorSystem<?> system, int n, Duration timeout) {
    return pollUntil(() -> upMembers(system) >= n, timeout);
  }

  /**
   * Wall-clock polling for cluster bookkeeping (membership, gossip) — never for simulated
   * time: true once {@code condition} holds, false if {@code timeout} passes first.
   */
  public static boolean pollUntil(BooleanSupplier condition, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) return false;
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ClusterStartException("interrupted while waiting for the cluster");
      }
    }
    return true;
  }

  public static void terminate(ActorSystem<?> system) {
    system.terminate();
    try {
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      // terminating anyway
    }
  }

  /** Wall-clock wait for this node to become Up: start-up only, never simulated time. */
  private static void awaitUp(ActorSystem<Void> system, Duration timeout, String failure) {
    Cluster cluster = Cluster.get(system);
    if (!pollUntil(() -> cluster.selfMember().status() == MemberStatus.up(), timeout)) {
      terminate(system);
      throw new ClusterStartException(failure);
    }
  }

  /** A node could not start or join; the message says why, for the user. */
  public static final class ClusterStartException extends RuntimeException {
    public ClusterStartException(String message) {
      super(message);
    }
  }
}
