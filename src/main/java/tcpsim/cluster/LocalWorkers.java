package tcpsim.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Down;
import akka.cluster.typed.Leave;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.StreamSupport;

/**
 * Worker JVMs on this machine for {@code --nodes N}: N-1 processes that run {@code tcpsim node}
 * and join the cluster through this JVM's node on loopback. They exit when the run ends —
 * normally by leaving the cluster, else when this JVM is gone (they watch its process id), and
 * as a last resort they are killed: no orphan processes.
 *
 * <p>Such a cluster exists to serve this JVM's command, so losing a worker must never cost this
 * node its membership: the split brain resolver keeps the oldest node (this one, the seed) even
 * when it is alone ({@link #CLUSTER_CONFIG}). And a worker whose process ends while the cluster
 * is in use is downed at once — its JVM is certainly gone, no need to wait for the failure
 * detector — so a run it took part in fails within a second (docs/cluster.md).
 */
public final class LocalWorkers implements AutoCloseable {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
  /** Worker i carries this role with its index, so that its process can be matched to its member. */
  private static final String ROLE = "tcpsim-worker-";

  /**
   * Settings of a cluster of this JVM and its workers (the same on every node, as the split
   * brain resolver requires): keep the oldest node, this one, whatever happens.
   */
  public static final Map<String, String> CLUSTER_SETTINGS = Map.of(
      "akka.cluster.split-brain-resolver.active-strategy", "keep-oldest",
      "akka.cluster.split-brain-resolver.keep-oldest.down-if-alone", "off",
      // How long sharding keeps a removed node's shards before placing them elsewhere (by
      // default the resolver's stable-after, 20 s): a guard for persistent entities on the far
      // side of a network partition. Nothing here is persistent, and on one machine a lost
      // worker is a dead JVM, so the next run need not wait that long.
      "akka.cluster.down-removal-margin", "2s");

  /** {@link #CLUSTER_SETTINGS} as configuration, for this JVM's node. */
  public static final Config CLUSTER_CONFIG = ConfigFactory.parseMap(CLUSTER_SETTINGS);

  private final ActorSystem<?> system;
  private final List<Process> processes = new ArrayList<>();
  private final Thread killOnExit;
  private final AtomicBoolean closing = new AtomicBoolean();
  /** A worker's process ended while the cluster was in use. */
  private final AtomicBoolean lost = new AtomicBoolean();

  private LocalWorkers(ActorSystem<?> system) {
    this.system = system;
    this.killOnExit = new Thread(this::kill, "tcpsim-workers-cleanup");
    Runtime.getRuntime().addShutdownHook(killOnExit);
  }

  /**
   * Start {@code count} workers that join {@code system}'s node, and wait until all are Up.
   *
   * @throws ClusterSystem.ClusterStartException if they do not join in time (they are stopped)
   */
  public static LocalWorkers start(ActorSystem<?> system, int count) {
    LocalWorkers workers = new LocalWorkers(system);
    int port = ClusterSystem.port(system);
    try {
      for (int i = 0; i < count; i++) {
        Process p = workers.launch(port, i);
        workers.processes.add(p);
        int index = i;
        p.onExit().thenAccept(exited -> workers.exited(index, exited));
      }
      // A worker that died while joining will not join: say so now, not after the timeout.
      ClusterSystem.pollUntil(() -> ClusterSystem.upMembers(system) >= count + 1
          || workers.processes.stream().anyMatch(p -> !p.isAlive()), JOIN_TIMEOUT);
      for (Process p : workers.processes) {
        if (!p.isAlive()) {
          throw new ClusterSystem.ClusterStartException("worker JVM " + p.pid()
              + " exited with code " + p.exitValue() + " before the cluster was complete; "
              + "see its messages above");
        }
      }
      if (ClusterSystem.upMembers(system) < count + 1) {
        throw new ClusterSystem.ClusterStartException("only " + ClusterSystem.upMembers(system)
            + " of " + (count + 1) + " nodes joined within " + JOIN_TIMEOUT.toSeconds()
            + " s; see the workers' messages above");
      }
    } catch (RuntimeException e) {
      workers.close();
      throw e;
    }
    return workers;
  }

  private Process launch(int seedPort, int index) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Same heap and configuration as this JVM; not its profiler or debugger.
      if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib")
          && !arg.startsWith("-javaagent")) {
        cmd.add(arg);
      }
    }
    CLUSTER_SETTINGS.forEach((key, value) -> cmd.add("-D" + key + "=" + value));
    cmd.add("-Dakka.cluster.roles.0=" + ROLE + index);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("tcpsim.cli.Main");
    cmd.add("node");
    cmd.add("--join");
    cmd.add("127.0.0.1:" + seedPort);
    cmd.add("--parent-pid");
    cmd.add(Long.toString(ProcessHandle.current().pid()));
    try {
      return new ProcessBuilder(cmd)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT)
          .start();
    } catch (java.io.IOException e) {
      throw new ClusterSystem.ClusterStartException("cannot start a worker JVM: " + e.getMessage());
    }
  }

  /**
   * Worker {@code index}'s process ended. Unless we are closing, that is a crash (or a kill):
   * down its member now, so that a run it took part in fails at once and the cluster is whole
   * again for the next one.
   */
  private void exited(int index, Process process) {
    if (closing.get()) return;
    lost.set(true);
    Cluster cluster = Cluster.get(system);
    for (Member m : cluster.state().getMembers()) {
      if (m.hasRole(ROLE + index) && m.status() != MemberStatus.down()
          && m.status() != MemberStatus.removed()) {
        System.err.printf("tcpsim: worker JVM %d (node %s:%s) exited with code %d; it is taken "
            + "out of the cluster%n", process.pid(), m.address().host().getOrElse(() -> "?"),
            m.address().port().getOrElse(() -> 0), process.exitValue());
        cluster.manager().tell(new Down(m.address()));
      }
    }
  }

  /** Whether every worker is still an Up member (not downed, say, after it hung). */
  private boolean allWorkersUp(Cluster cluster) {
    for (int i = 0; i < processes.size(); i++) {
      String role = ROLE + i;
      boolean up = StreamSupport.stream(cluster.state().getMembers().spliterator(), false)
          .anyMatch(m -> m.hasRole(role) && m.status() == MemberStatus.up());
      if (!up) return false;
    }
    return true;
  }

  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** Ask every other member to leave, wait for the worker processes to exit, kill stragglers. */
  @Override
  public void close() {
    closing.set(true);
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    // After a worker was lost, leaving gracefully stalls (every node must see the lost one
    // go, which takes the failure detector's pause): nothing here is worth a graceful exit, so
    // the workers are stopped at once, and this node — ending with the command — downs itself,
    // which makes its own shutdown skip the handovers that would wait for the dead.
    boolean damaged = lost.get() || !allWorkersUp(cluster);
    for (Member m : (Iterable<Member>) () -> StreamSupport.stream(
        cluster.state().getMembers().spliterator(), false).iterator()) {
      if (m.address().equals(self)) continue;
      cluster.manager().tell(damaged ? new Down(m.address()) : Leave.create(m.address()));
    }
    if (damaged) {
      kill();
      cluster.manager().tell(new Down(self));
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    for (Process p : processes) {
      long left = deadline - System.nanoTime();
      try {
        if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) p.destroyForcibly();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(killOnExit);
    } catch (IllegalStateException e) {
      // already shutting down: the hook runs anyway
    }
  }

  private void kill() {
    for (Process p : processes) {
      if (p.isAlive()) p.destroyForcibly();
    }
  }

  /** The class path entry of this program, for messages. */
  static String jar() {
    return new File(System.getProperty("java.class.path").split(File.pathSeparator)[0]).getName();
  }
}
