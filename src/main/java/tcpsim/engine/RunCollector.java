package tcpsim.engine;

import akka.actor.Address;
import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import akka.cluster.typed.Unsubscribe;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tcpsim.cluster.ClusterMessage;
import tcpsim.net.NetworkStats;
import tcpsim.report.TraceEvent;
import tcpsim.report.TraceSink;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;

/**
 * Lives with the command that started a run, wherever the run's coordinator (a cluster
 * singleton) happens to be: it receives each window's trace and results, sorts the trace into
 * canonical order and feeds the run's sinks (digest, statistics, report files, a printed trace),
 * and completes the run when the coordinator says it is over — or failed.
 *
 * <p>It also keeps the run from hanging (docs/cluster.md, "When a node is lost"): it watches the
 * cluster, and when a node taking part in the run becomes unreachable, is downed or leaves, the
 * run fails at once with a message naming the node — the hosts living there are gone with their
 * state, so the windows they owe will never come. And a watchdog fails the run when nothing has
 * come from the coordinator for the stall timeout ({@code tcpsim.engine.stall-timeout}), whatever
 * the reason.
 */
public final class RunCollector extends AbstractBehavior<RunCollector.Msg> {

  public sealed interface Msg {}

  /** Messages from the run's coordinator, which may be on another node. */
  public sealed interface FromCoordinator extends Msg, ClusterMessage {}

  /** One window's trace events and ended endpoints (segments are not included); may be empty. */
  public record TraceBatch(Outbox out, long windows) implements FromCoordinator {}

  /**
   * The run is over.
   *
   * @param faultCounts what each scheduled fault did in the network, by fault index (the
   *     network model lives with the coordinator, so its counters travel with this message)
   */
  public record Finished(long endTime, long windows, long inFlight, List<ListenerStats> listeners,
      boolean cutByDuration, List<String> hostNodes, java.util.Map<String, Long> nodeHeapPeaks,
      List<NetworkStats.FaultCounts> faultCounts) implements FromCoordinator {}

  /** The run cannot go on. */
  public record Failed(String message) implements FromCoordinator {}

  private record MemberChanged(ClusterEvent.MemberEvent event) implements Msg {}

  private record ReachabilityChanged(ClusterEvent.ReachabilityEvent event) implements Msg {}

  private enum CheckStall implements Msg { INSTANCE }

  /**
   * What the collector needs to know about its run.
   *
   * @param name the run's name, for messages
   * @param nodes the addresses of the cluster nodes taking part ({@code Address.toString()})
   * @param stallTimeout wall-clock time without any word from the coordinator after which the
   *     run fails; zero switches the watchdog off
   */
  record Watch(String name, Set<String> nodes, Duration stallTimeout) {}

  private final Watch watch;
  private final TraceSink sink;
  private final Consumer<EndpointResult> results;
  private final Progress progress;
  private final CompletableFuture<Coordinator.Outcome> done;
  private final ActorRef<ClusterEvent.MemberEvent> memberAdapter;
  private final ActorRef<ClusterEvent.ReachabilityEvent> reachabilityAdapter;
  private long events;
  private long connectionsFinished;
  private long lastEventTime;
  private long windows;
  private long lastWord = System.nanoTime();

  static Behavior<Msg> create(Watch watch, TraceSink sink, Consumer<EndpointResult> results,
      Progress progress, CompletableFuture<Coordinator.Outcome> done) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new RunCollector(ctx, timers, watch, sink, results, progress, done)));
  }

  private RunCollector(ActorContext<Msg> ctx, TimerScheduler<Msg> timers, Watch watch,
      TraceSink sink, Consumer<EndpointResult> results, Progress progress,
      CompletableFuture<Coordinator.Outcome> done) {
    super(ctx);
    this.watch = watch;
    this.sink = sink;
    this.results = results;
    this.progress = progress;
    this.done = done;
    // The current state arrives first, as events: a node already unreachable fails the run now.
    Cluster cluster = Cluster.get(ctx.getSystem());
    memberAdapter = ctx.messageAdapter(ClusterEvent.MemberEvent.class, MemberChanged::new);
    reachabilityAdapter = ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class,
        ReachabilityChanged::new);
    cluster.subscriptions().tell(Subscribe.create(memberAdapter, ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(reachabilityAdapter,
        ClusterEvent.ReachabilityEvent.class));
    if (!watch.stallTimeout().isZero()) {
      // Wall clock, for liveness only: it never touches simulated time or the trace.
      Duration every = watch.stallTimeout().dividedBy(10);
      if (every.compareTo(Duration.ofSeconds(5)) > 0) every = Duration.ofSeconds(5);
      if (every.compareTo(Duration.ofMillis(100)) < 0) every = Duration.ofMillis(100);
      timers.startTimerWithFixedDelay(CheckStall.INSTANCE, every);
    }
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(TraceBatch.class, b -> {
          lastWord = System.nanoTime();
          windows = b.windows();
          consume(b.out());
          if (progress != null) {
            progress.update(lastEventTime, events, windows, connectionsFinished);
          }
          return this;
        })
        .onMessage(Finished.class, f -> {
          done.complete(new Coordinator.Outcome(f.endTime(), f.windows(), f.inFlight(),
              f.listeners(), f.cutByDuration(), f.hostNodes(), f.nodeHeapPeaks(),
              f.faultCounts()));
          return Behaviors.stopped();
        })
        .onMessage(Failed.class, f -> fail(f.message()))
        .onMessage(MemberChanged.class, m -> onMemberEvent(m.event()))
        .onMessage(ReachabilityChanged.class, m -> {
          if (m.event() instanceof ClusterEvent.UnreachableMember u) {
            return nodeLost(u.member().address(), "unreachable");
          }
          return this; // reachable again: too late, if it took part; else nothing to do
        })
        .onMessage(CheckStall.class, m -> checkStall())
        .onSignal(PostStop.class, s -> {
          Cluster cluster = Cluster.get(getContext().getSystem());
          cluster.subscriptions().tell(new Unsubscribe<>(memberAdapter));
          cluster.subscriptions().tell(new Unsubscribe<>(reachabilityAdapter));
          return this;
        })
        .build();
  }

  private Behavior<Msg> onMemberEvent(ClusterEvent.MemberEvent e) {
    if (e instanceof ClusterEvent.MemberDowned) return nodeLost(e.member().address(), "downed");
    if (e instanceof ClusterEvent.MemberLeft || e instanceof ClusterEvent.MemberExited) {
      return nodeLost(e.member().address(), "it left the cluster");
    }
    if (e instanceof ClusterEvent.MemberRemoved) {
      return nodeLost(e.member().address(), "removed from the cluster");
    }
    return this;
  }

  /**
   * A node of the run is gone, or as good as gone: its hosts' state cannot be recovered, and
   * sharding would restart them empty elsewhere once the node is removed. Fail now, clearly.
   */
  private Behavior<Msg> nodeLost(Address node, String how) {
    if (!watch.nodes().contains(node.toString())) return this;
    return fail(String.format(Locale.ROOT, "run %s: cluster node %s was lost (%s) at simulated "
        + "time %s; the run was abandoned (rerun it, or use batch --resume)", watch.name(),
        hostPort(node), how, seconds(lastEventTime)));
  }

  private Behavior<Msg> checkStall() {
    long silentNs = System.nanoTime() - lastWord;
    if (silentNs < watch.stallTimeout().toNanos()) return this;
    return fail(String.format(Locale.ROOT, "run %s: no progress for %d s (simulated time %s, "
        + "%d windows); the run was abandoned — is a cluster node stuck or overloaded? "
        + "(tcpsim.engine.stall-timeout = %s)", watch.name(), silentNs / 1_000_000_000L,
        seconds(lastEventTime), windows, watch.stallTimeout()));
  }

  private Behavior<Msg> fail(String message) {
    done.completeExceptionally(new SimulationException(message));
    return Behaviors.stopped();
  }

  static String hostPort(Address a) {
    return a.host().isDefined() && a.port().isDefined()
        ? a.host().get() + ":" + a.port().get() : a.toString();
  }

  private static String seconds(long ns) {
    return String.format(Locale.ROOT, "%.3f s", ns / 1e9);
  }

  /** Canonical order first: nothing downstream depends on which host answered first. */
  private void consume(Outbox out) {
    out.trace.sort(TraceEvent::compare);
    for (TraceEvent e : out.trace) {
      lastEventTime = Math.max(lastEventTime, e.t());
      sink.accept(e);
    }
    events += out.trace.size();
    out.results.sort((a, b) -> a.conn() != b.conn()
        ? Integer.compare(a.conn(), b.conn()) : Boolean.compare(a.client(), b.client()));
    for (EndpointResult r : out.results) {
      results.accept(r);
      if (r.client()) connectionsFinished++;
    }
  }
}
