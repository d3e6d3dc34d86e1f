package tcpsim.cluster;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Behaviors;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.time.Instant;

/**
 * Starts the actor system every run uses: an Akka cluster, by default a single node that joins
 * itself, bound to 127.0.0.1. The configuration comes from conf/application.conf (on the class
 * path, or named by -Dconfig.file) with {@code overrides} on top.
 */
public final class ClusterSystem {
  private ClusterSystem() {}

  public static ActorSystem<Void> startSingleNode(String name, Config overrides) {
    Config config = overrides.withFallback(ConfigFactory.load());
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), name, config);
    Cluster cluster = Cluster.get(system);
    cluster.manager().tell(Join.create(cluster.selfMember().address()));
    awaitUp(system, Duration.ofSeconds(30));
    return system;
  }

  public static ActorSystem<Void> startSingleNode(String name) {
    return startSingleNode(name, ConfigFactory.empty());
  }

  /** Wall-clock wait for the node to become Up: start-up only, never simulated time. */
  private static void awaitUp(ActorSystem<Void> system, Duration timeout) {
    Cluster cluster = Cluster.get(system);
    Instant deadline = Instant.now().plus(timeout);
    while (cluster.selfMember().status() != MemberStatus.up()) {
      if (Instant.now().isAfter(deadline)) {
        system.terminate();
        throw new IllegalStateException("the cluster node did not come up within " + timeout);
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the cluster node", e);
      }
    }
  }
}
