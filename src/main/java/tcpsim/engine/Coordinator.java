package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.function.Predicate;
import tcpsim.cluster.ClusterMessage;
import tcpsim.cluster.NodeAgent;
import tcpsim.cluster.RunRegistry;
import tcpsim.net.FaultSchedule;
import tcpsim.net.NetworkModel;
import tcpsim.net.NetworkStats;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Segment;
import tcpsim.tcp.Tcb;

/**
 * A run's coordinator, a cluster singleton (one per run, on the cluster's oldest node). It
 * advances virtual time in conservative windows (DESIGN.md): each window is [T, T+L) where T is
 * the earliest pending event anywhere and L the lookahead, the smallest one-way latency. Nothing
 * sent inside a window can arrive inside it, so every node may process its window independently,
 * and idle stretches cost nothing because T jumps straight to the next event.
 *
 * <p>It owns the run's scheduler (and through it the network model) and forwards each window's
 * trace to the run's {@link RunCollector}, on the node of the command that started the run.
 */
public final class Coordinator extends AbstractBehavior<Coordinator.Msg> {
  private static final long HEARTBEAT_NS = 1_000_000_000L;

  public sealed interface Msg {}

  /** Start the run: every node is prepared; trace and results go to {@code collector}. */
  public record Begin(List<NodeAgent.Prepared> nodes, ActorRef<RunCollector.FromCoordinator> collector)
      implements Msg, ClusterMessage {}

  private record FromScheduler(NodeScheduler.WindowDone done) implements Msg {}

  private record FromFinish(NodeScheduler.RunFinished finished) implements Msg {}

  private record SchedulerFailed(String message) implements Msg {}

  /** What a run reports when it is over. */
  record Outcome(long endTime, long windows, long inFlight, List<ListenerStats> listeners,
      boolean cutByDuration, List<String> hostNodes, java.util.Map<String, Long> nodeHeapPeaks,
      List<NetworkStats.FaultCounts> faultCounts) {}

  private final String runId;
  private ActorRef<NodeScheduler.Msg> scheduler;
  private ActorRef<RunCollector.FromCoordinator> collector;
  private ActorRef<NodeScheduler.WindowDone> windowAdapter;
  private long lookahead;
  /**
   * Times at which a window must begin: when a host crashes or comes back. A crash takes every
   * endpoint of the host at once, so it must not fall inside a window the endpoints have
   * already run past. Sorted; {@link #nextBarrier} is the first not yet passed.
   */
  private long[] barriers = new long[0];
  private int nextBarrier;
  private long duration;
  private long windows;
  private long lastEventTime;
  /** When the collector last heard from this coordinator (wall clock, for its watchdog). */
  private long lastToCollector = System.nanoTime();
  private boolean cut;

  /** The singleton's behaviour for run {@code runId}; it waits for {@link Begin}. */
  public static Behavior<Msg> create(String runId) {
    return Behaviors.setup(ctx -> new Coordinator(ctx, runId));
  }

  private Coordinator(ActorContext<Msg> ctx, String runId) {
    super(ctx);
    this.runId = runId;
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Begin.class, this::onBegin)
        .onMessage(FromScheduler.class, m -> onWindowDone(m.done()))
        .onMessage(FromFinish.class, m -> onFinished(m.finished()))
        .onMessage(SchedulerFailed.class, m -> {
          collector.tell(new RunCollector.Failed(m.message()));
          return Behaviors.stopped();
        })
        .build();
  }

  private Behavior<Msg> onBegin(Begin b) {
    if (scheduler != null) return this; // a duplicate (the proxy may resend after a handover)
    collector = b.collector();
    RunRegistry.LoadedRun run = RunRegistry.get(getContext().getSystem()).find(runId);
    if (run == null) return Behaviors.stopped(); // abandoned (stalled, a node lost) before it began
    NetworkModel network = Networks.model(run.scenario());
    lookahead = network.lookahead();
    barriers = crashBarriers(run.scenario());
    duration = run.scenario().duration();
    @SuppressWarnings("unchecked")
    Predicate<Segment> dropRule = (Predicate<Segment>) run.localDropRule();
    ActorRef<Msg> self = getContext().getSelf();
    scheduler = getContext().spawn(NodeScheduler.create(run.scenario(), run.workload(), b.nodes(),
        network, dropRule, failure -> self.tell(new SchedulerFailed(failure.getMessage()))),
        "scheduler");
    windowAdapter = getContext().messageAdapter(NodeScheduler.WindowDone.class, FromScheduler::new);
    scheduler.tell(new NodeScheduler.Start(windowAdapter));
    return this;
  }

  private Behavior<Msg> onWindowDone(NodeScheduler.WindowDone w) {
    long next = w.nextEventTime();
    if (next != Tcb.NEVER_TIME && next < duration) {
      // Start the next window first, then pass this one's trace on while the hosts work.
      windows++;
      while (nextBarrier < barriers.length && barriers[nextBarrier] <= next) nextBarrier++;
      long end = Math.min(duration, next + lookahead);
      if (nextBarrier < barriers.length) end = Math.min(end, barriers[nextBarrier]);
      scheduler.tell(new NodeScheduler.RunWindow(next, end, windowAdapter));
      forward(w.out());
      return this;
    }
    forward(w.out());
    cut = next != Tcb.NEVER_TIME;
    long end = cut ? duration : lastEventTime;
    scheduler.tell(new NodeScheduler.FinishRun(end,
        getContext().messageAdapter(NodeScheduler.RunFinished.class, FromFinish::new)));
    return this;
  }

  /** Every crash and restart time of every host, sorted, without repeats. */
  static long[] crashBarriers(Scenario scenario) {
    FaultSchedule faults = scenario.faultSchedule();
    java.util.TreeSet<Long> times = new java.util.TreeSet<>();
    for (int h = 0; h < scenario.hosts().size(); h++) {
      for (FaultSchedule.Interval c : faults.crashesOf(h)) {
        times.add(c.at());
        times.add(c.until());
      }
    }
    return times.stream().mapToLong(Long::longValue).toArray();
  }

  private void forward(Outbox out) {
    for (TraceEvent e : out.trace) lastEventTime = Math.max(lastEventTime, e.t());
    // Windows that produced nothing are not sent, except now and then: the collector's stall
    // watchdog must hear that windows still go by (a wall-clock heartbeat, not part of the run).
    long now = System.nanoTime();
    if (!out.trace.isEmpty() || !out.results.isEmpty() || now - lastToCollector >= HEARTBEAT_NS) {
      collector.tell(new RunCollector.TraceBatch(out, windows));
      lastToCollector = now;
    }
  }

  private Behavior<Msg> onFinished(NodeScheduler.RunFinished f) {
    forward(f.out());
    long end = cut ? duration : lastEventTime;
    collector.tell(new RunCollector.Finished(end, windows, f.inFlight(), f.listeners(), cut,
        f.hostNodes(), f.nodeHeapPeaks(), f.faultCounts()));
    return Behaviors.stopped();
  }
}
