package tcpsim.cli;

import akka.actor.typed.ActorSystem;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tcpsim.cluster.ClusterSystem;

/**
 * {@code tcpsim node}: a worker that joins a cluster and hosts its share of the simulated hosts
 * of every run until it is asked to leave (or its parent process, if given, ends).
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Join a tcpsim cluster as a worker node and serve runs until asked to leave.")
final class NodeCommand implements Callable<Integer> {
  @Option(names = "--join", required = true, paramLabel = "HOST:PORT",
      description = "a node of the cluster (this node's own --bind address starts a new cluster)")
  String join;

  @Option(names = "--bind", defaultValue = "127.0.0.1:0", paramLabel = "HOST:PORT",
      description = "address to listen on (default: ${DEFAULT-VALUE}, a free loopback port)")
  String bind;

  @Option(names = "--join-timeout", defaultValue = "30",
      description = "seconds to wait for the cluster (default: ${DEFAULT-VALUE})")
  int joinTimeoutSeconds;

  @Option(names = "--parent-pid", hidden = true,
      description = "leave when this process ends (set by run --nodes)")
  Long parentPid;

  @Override
  public Integer call() {
    HostPort seed;
    HostPort self;
    try {
      seed = HostPort.parse(join, "--join");
      self = HostPort.parse(bind, "--bind");
    } catch (IllegalArgumentException e) {
      System.err.println("tcpsim: " + e.getMessage());
      return Main.EXIT_BAD_INPUT;
    }
    ActorSystem<Void> system;
    try {
      system = seed.equals(self)
          ? ClusterSystem.startSeed(self.host(), self.port(), ConfigFactory.empty())
          : ClusterSystem.startNode(self.host(), self.port(), seed.host(), seed.port(),
              Duration.ofSeconds(joinTimeoutSeconds), ConfigFactory.empty());
    } catch (ClusterSystem.ClusterStartException e) {
      System.err.println("tcpsim node: " + e.getMessage());
      return Main.EXIT_FAILED;
    }
    System.err.printf("tcpsim node: member of the cluster at %s:%d, listening on port %d%n",
        seed.host(), seed.port(), ClusterSystem.port(system));
    if (parentPid != null) watchParent(system, parentPid);
    try {
      // Leaving the cluster (asked by the run, or downed) terminates the system.
      system.getWhenTerminated().toCompletableFuture().get();
    } catch (Exception e) {
      return Main.EXIT_FAILED;
    }
    return Main.EXIT_OK;
  }

  /** A worker started by {@code run --nodes} must not outlive the run's process. */
  private static void watchParent(ActorSystem<Void> system, long pid) {
    Thread t = new Thread(() -> {
      while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          return;
        }
      }
      system.terminate();
    }, "parent-watch");
    t.setDaemon(true);
    t.start();
  }
}
