package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import tcpsim.cluster.ClusterSystem;
import tcpsim.net.NetworkModel;
import tcpsim.report.RunResult;
import tcpsim.report.RunStats;
import tcpsim.report.TraceDigest;
import tcpsim.report.TraceSink;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Segment;
import tcpsim.workload.Workload;

/** Runs a scenario to the end on an actor system and returns what it produced. */
public final class Simulation {
  private static final AtomicLong RUNS = new AtomicLong();

  private Simulation() {}

  /** Run on a fresh single-node cluster, terminated afterwards. */
  public static RunResult run(Scenario scenario, RunOptions options) {
    ActorSystem<Void> system = ClusterSystem.startSingleNode("tcpsim");
    try {
      return run(system, scenario, options);
    } finally {
      system.terminate();
      try {
        system.getWhenTerminated().toCompletableFuture().get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // terminating anyway
      }
    }
  }

  /** Run on a fresh single-node cluster with an extra trace sink (or null). */
  public static RunResult run(Scenario scenario, TraceSink extraSink) {
    return run(scenario, RunOptions.sink(extraSink));
  }

  /** Run on an existing actor system (tests share one between runs). */
  public static RunResult run(ActorSystem<?> system, Scenario scenario, TraceSink extraSink) {
    return run(system, scenario, RunOptions.sink(extraSink));
  }

  /** Run on an existing actor system. */
  public static RunResult run(ActorSystem<?> system, Scenario scenario, RunOptions options) {
    long wallStart = System.nanoTime();
    Workload workload = new Workload(scenario);
    NetworkModel network = Networks.model(scenario);
    RunStats stats = new RunStats(workload.size(), scenario.listeners().size());
    TraceDigest digest = new TraceDigest();
    TraceSink extraSink = options.extraSink();
    TraceSink sink = extraSink == null
        ? e -> { digest.accept(e); stats.accept(e); }
        : e -> { digest.accept(e); stats.accept(e); extraSink.accept(e); };
    long run = RUNS.incrementAndGet();
    CompletableFuture<Coordinator.Outcome> done = new CompletableFuture<>();
    ActorRef<NodeScheduler.Msg> scheduler = system.systemActorOf(
        NodeScheduler.create(scenario, workload, network, options.dropRule(),
            done::completeExceptionally), "scheduler-" + run, Props.empty());
    system.systemActorOf(Coordinator.create(scheduler, network.lookahead(), scenario.duration(),
        sink, stats::result, done, options.progress()), "coordinator-" + run, Props.empty());
    Coordinator.Outcome outcome;
    try {
      outcome = done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the simulation ran", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SimulationException se) throw se;
      throw new SimulationException("the simulation failed: " + cause, cause);
    }
    long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
    return new RunResult(scenario, scenario.seed(), stats, digest.hex(), outcome.endTime(),
        wallMs, outcome.windows(), outcome.inFlight(), outcome.listeners(),
        outcome.cutByDuration());
  }
}
