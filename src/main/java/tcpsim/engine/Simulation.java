package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Props;
import akka.actor.typed.javadsl.AskPattern;
import akka.actor.typed.receptionist.Receptionist;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import com.typesafe.config.Config;
import akka.cluster.sharding.ShardRegion.ClusterShardingStats;
import akka.cluster.sharding.typed.ClusterShardingQuery;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import tcpsim.cluster.ClusterSystem;
import tcpsim.cluster.HostSharding;
import tcpsim.cluster.NodeAgent;
import tcpsim.cluster.RunRegistry;
import tcpsim.cluster.ScenarioSource;
import tcpsim.report.RunResult;
import tcpsim.report.RunStats;
import tcpsim.report.TraceDigest;
import tcpsim.report.TraceSink;
import tcpsim.scenario.Scenario;
import tcpsim.workload.Workload;

/**
 * Runs a scenario to the end on an actor system (a cluster of one or more nodes) and returns
 * what it produced. The run's coordinator and scheduler live on the node that calls this; its
 * hosts are sharded over every node of the cluster.
 */
public final class Simulation {
  private static final AtomicLong RUNS = new AtomicLong();
  /** Wall-clock patience for cluster bookkeeping (never for simulated time). */
  private static final Duration NODE_TIMEOUT = Duration.ofSeconds(30);
  private static final String STALL_TIMEOUT = "tcpsim.engine.stall-timeout";
  private static final Duration DEFAULT_STALL_TIMEOUT = Duration.ofSeconds(120);
  private static final String STABLE_AFTER = "akka.cluster.split-brain-resolver.stable-after";
  private static final String HEARTBEAT_PAUSE =
      "akka.cluster.failure-detector.acceptable-heartbeat-pause";

  private Simulation() {}

  /** Run on a fresh single-node cluster, terminated afterwards. */
  public static RunResult run(Scenario scenario, RunOptions options) {
    ActorSystem<Void> system = ClusterSystem.startSingleNode("tcpsim");
    try {
      return run(system, scenario, options);
    } finally {
      ClusterSystem.terminate(system);
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

  /** Run a scenario built in this JVM (it cannot be shipped to other nodes). */
  public static RunResult run(ActorSystem<?> system, Scenario scenario, RunOptions options) {
    return run(system, new ScenarioSource.InProcess(scenario), options);
  }

  /** Run on an existing actor system, every node of its cluster taking part. */
  public static RunResult run(ActorSystem<?> system, ScenarioSource source, RunOptions options) {
    long wallStart = System.nanoTime();
    Scenario scenario = source.load();
    Workload workload = new Workload(scenario);
    String runId = Cluster.get(system).selfMember().address().port().getOrElse(() -> 0)
        + "-" + RUNS.incrementAndGet();
    List<ActorRef<NodeAgent.Msg>> agents = findAgents(system);
    if (options.dropRule() != null) {
      RunRegistry.get(system).putDropRule(runId, options.dropRule());
    }
    try {
      List<NodeAgent.Prepared> nodes = prepareNodes(system, agents, runId, source);
      return runPrepared(system, runId, scenario, workload, options, nodes, wallStart);
    } finally {
      for (ActorRef<NodeAgent.Msg> agent : agents) agent.tell(new NodeAgent.EndRun(runId));
    }
  }

  private static RunResult runPrepared(ActorSystem<?> system, String runId, Scenario scenario,
      Workload workload, RunOptions options, List<NodeAgent.Prepared> nodes, long wallStart) {
    int[] groupOf = new int[workload.size()];
    for (int conn = 0; conn < groupOf.length; conn++) groupOf[conn] = workload.groupOf(conn);
    RunStats stats = new RunStats(workload.size(), scenario.listeners().size(), groupOf,
        scenario.groups().stream().map(Scenario.ClientGroup::name).toList(),
        scenario.attackSpan()).trackFaults(scenario);
    TraceDigest digest = new TraceDigest();
    TraceSink extraSink = options.extraSink();
    TraceSink sink = extraSink == null
        ? e -> { digest.accept(e); stats.accept(e); }
        : e -> { digest.accept(e); stats.accept(e); extraSink.accept(e); };
    CompletableFuture<Coordinator.Outcome> done = new CompletableFuture<>();
    // The collector fails the run when one of these nodes is lost, or when the run stalls.
    RunCollector.Watch watch = new RunCollector.Watch(scenario.name(),
        nodes.stream().map(NodeAgent.Prepared::node).collect(Collectors.toSet()),
        stallTimeout(system));
    ActorRef<RunCollector.Msg> collector = system.systemActorOf(
        RunCollector.create(watch, sink, stats::result, options.progress(), done),
        "collector-" + runId, Props.empty());
    // The coordinator is the run's cluster singleton; it may live on another node.
    NodeAgent.coordinatorOf(system, runId).tell(new Coordinator.Begin(nodes, collector.narrow()));
    Coordinator.Outcome outcome;
    try {
      outcome = done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulationException("interrupted while the simulation ran", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof SimulationException se) throw se;
      throw new SimulationException("the simulation failed: " + cause, cause);
    }
    long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
    return new RunResult(scenario, scenario.seed(), stats, digest.hex(), outcome.endTime(),
        wallMs, outcome.windows(), outcome.inFlight(), outcome.listeners(),
        outcome.cutByDuration(), nodes.size(), outcome.hostNodes(), outcome.nodeHeapPeaks(),
        outcome.faultCounts());
  }

  /** How long a run may go without a word from its coordinator: {@code tcpsim.engine.stall-timeout}. */
  static Duration stallTimeout(ActorSystem<?> system) {
    Config config = system.settings().config();
    return config.hasPath(STALL_TIMEOUT) ? config.getDuration(STALL_TIMEOUT)
        : DEFAULT_STALL_TIMEOUT;
  }

  /**
   * A node lost by an earlier run stays a member until it is removed: unreachable until the
   * split brain resolver downs it, then down until every other node has seen that. Until then
   * its agent may still be listed and sharding may still place hosts there, so a run started
   * now would wait for a dead node. Wait until the cluster has settled (every member Up and
   * reachable), with a message if that takes longer than the resolver and the failure
   * detector should.
   */
  private static void awaitSettledCluster(ActorSystem<?> system) {
    Config config = system.settings().config();
    Duration patience = NODE_TIMEOUT.plus(setting(config, STABLE_AFTER))
        .plus(setting(config, HEARTBEAT_PAUSE));
    if (!ClusterSystem.pollUntil(() -> ClusterSystem.unsettledMembers(system).isEmpty(),
        patience)) {
      throw new SimulationException("cluster node(s) "
          + String.join(", ", ClusterSystem.unsettledMembers(system))
          + " still not Up after " + patience.toSeconds() + " s; a run cannot start until a "
          + "lost node is removed (see docs/cluster.md, \"When a node is lost\")");
    }
  }

  private static Duration setting(Config config, String path) {
    return config.hasPath(path) ? config.getDuration(path) : Duration.ZERO;
  }

  /** Every node's agent: one per Up member, as the receptionist lists them. */
  private static List<ActorRef<NodeAgent.Msg>> findAgents(ActorSystem<?> system) {
    awaitSettledCluster(system);
    // The receptionist learns of other nodes' agents by gossip: poll until all are listed.
    List<Set<ActorRef<NodeAgent.Msg>>> agents = new ArrayList<>(List.of(Set.of()));
    int[] members = new int[1];
    boolean listed = ClusterSystem.pollUntil(() -> {
      members[0] = ClusterSystem.upMembers(system);
      agents.set(0, await(AskPattern.<Receptionist.Command, Receptionist.Listing>ask(
          system.receptionist(), r -> Receptionist.find(NodeAgent.KEY, r),
          Duration.ofSeconds(5), system.scheduler())).getServiceInstances(NodeAgent.KEY));
      return members[0] > 0 && agents.get(0).size() >= members[0];
    }, NODE_TIMEOUT);
    if (!listed) {
      throw new SimulationException("only " + agents.get(0).size() + " of " + members[0]
          + " cluster nodes registered within " + NODE_TIMEOUT.toSeconds() + " s");
    }
    // Shards are placed on the regions the shard coordinator knows when a host is first
    // addressed: wait until every node's region has registered, or hosts would crowd onto few.
    // After a node was lost, the coordinator keeps its region (and its shards) for
    // akka.cluster.down-removal-margin after it was removed: wait for that too, or hosts could
    // be placed on a dead node.
    int[] regions = new int[1];
    Duration patience = NODE_TIMEOUT.plus(setting(system.settings().config(), STABLE_AFTER));
    if (!ClusterSystem.pollUntil(() -> (regions[0] = shardRegions(system)) == members[0],
        patience)) {
      throw new SimulationException("only " + regions[0] + " of " + members[0]
          + " nodes' shard regions registered within " + patience.toSeconds() + " s");
    }
    return new ArrayList<>(agents.get(0));
  }


  /** Have every node load the scenario; returns each node's part of the run once all are ready. */
  private static List<NodeAgent.Prepared> prepareNodes(ActorSystem<?> system,
      List<ActorRef<NodeAgent.Msg>> agents, String runId, ScenarioSource source) {
    List<CompletableFuture<NodeAgent.Prepared>> answers = new ArrayList<>();
    for (ActorRef<NodeAgent.Msg> agent : agents) {
      answers.add(AskPattern.<NodeAgent.Msg, NodeAgent.Prepared>ask(agent,
          r -> new NodeAgent.PrepareRun(runId, source, r), NODE_TIMEOUT, system.scheduler())
          .toCompletableFuture());
    }
    List<NodeAgent.Prepared> nodes = new ArrayList<>();
    for (CompletableFuture<NodeAgent.Prepared> answer : answers) {
      NodeAgent.Prepared p = await(answer);
      if (p.error() != null) {
        throw new SimulationException("node " + p.node() + " could not load the scenario: "
            + p.error());
      }
      nodes.add(p);
    }
    // Node order must not depend on the receptionist's: sort by address.
    nodes.sort(java.util.Comparator.comparing(NodeAgent.Prepared::node));
    return nodes;
  }

  /**
   * How many nodes' shard regions the shard coordinator knows; 0 while it cannot tell — as
   * long as a lost node's region is still registered (it never answers), or while the
   * coordinator retries a write that needed the lost node.
   */
  private static int shardRegions(ActorSystem<?> system) {
    try {
      ClusterShardingStats stats = AskPattern.<ClusterShardingQuery, ClusterShardingStats>ask(
          ClusterSharding.get(system).shardState(),
          r -> new GetClusterShardingStats(HostSharding.HOST, Duration.ofSeconds(3), r),
          Duration.ofSeconds(5), system.scheduler()).toCompletableFuture()
          .get(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      return stats.getRegions().size();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulationException("interrupted while preparing the cluster nodes", e);
    } catch (ExecutionException | TimeoutException e) {
      return 0;
    }
  }

  private static <T> T await(java.util.concurrent.CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(NODE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SimulationException("interrupted while preparing the cluster nodes", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new SimulationException("a cluster node did not answer: " + e, e);
    }
  }
}
