package tcpsim.cluster;

import akka.actor.Address;
import akka.actor.typed.ActorSystem;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Leave;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;

/**
 * Worker JVMs on this machine for {@code --nodes N}: N-1 processes that run {@code tcpsim node}
 * and join the cluster through this JVM's node on loopback. They exit when the run ends —
 * normally by leaving the cluster, else when this JVM is gone (they watch its process id), and
 * as a last resort they are killed: no orphan processes.
 */
public final class LocalWorkers implements AutoCloseable {
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(60);
  private final ActorSystem<?> system;
  private final List<Process> processes = new ArrayList<>();
  private final Thread killOnExit;

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
      for (int i = 0; i < count; i++) workers.processes.add(workers.launch(port));
      if (!ClusterSystem.awaitMembers(system, count + 1, JOIN_TIMEOUT)) {
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

  private Process launch(int seedPort) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // Same heap and configuration as this JVM; not its profiler or debugger.
      if (!arg.startsWith("-XX:StartFlightRecording") && !arg.startsWith("-agentlib")
          && !arg.startsWith("-javaagent")) {
        cmd.add(arg);
      }
    }
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

  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  /** Ask every other member to leave, wait for the worker processes to exit, kill stragglers. */
  @Override
  public void close() {
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    for (Member m : (Iterable<Member>) () -> StreamSupport.stream(
        cluster.state().getMembers().spliterator(), false).iterator()) {
      if (!m.address().equals(self)) cluster.manager().tell(Leave.create(m.address()));
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
