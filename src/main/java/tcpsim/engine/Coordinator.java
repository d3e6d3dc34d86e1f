package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import tcpsim.report.TraceEvent;
import tcpsim.report.TraceSink;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Tcb;

/**
 * Advances virtual time in conservative windows (DESIGN.md): each window is [T, T+L) where T is
 * the earliest pending event anywhere and L the lookahead, the smallest one-way latency. Nothing
 * sent inside a window can arrive inside it, so every node may process its window independently,
 * and idle stretches cost nothing because T jumps straight to the next event.
 *
 * <p>After each window it sorts the window's trace into canonical order and feeds the sinks
 * (digest, statistics, a filtered trace); the order never depends on which actor answered first.
 */
final class Coordinator extends AbstractBehavior<Coordinator.Msg> {

  sealed interface Msg {}

  private record FromScheduler(NodeScheduler.WindowDone done) implements Msg {}

  private record FromFinish(NodeScheduler.RunFinished finished) implements Msg {}

  /** What the coordinator hands back when the run is over. */
  record Outcome(long endTime, long windows, long inFlight,
      List<tcpsim.tcp.ListenerStats> listeners, boolean cutByDuration, List<String> hostNodes) {}

  private final ActorRef<NodeScheduler.Msg> scheduler;
  private final long lookahead;
  private final long duration;
  private final TraceSink sink;
  private final java.util.function.Consumer<EndpointResult> results;
  private final CompletableFuture<Outcome> done;
  private final ActorRef<NodeScheduler.WindowDone> windowAdapter;
  private long windows;
  private long events;
  private long finished;
  private final Progress progress;
  private long lastEventTime;
  private boolean cut;

  static Behavior<Msg> create(ActorRef<NodeScheduler.Msg> scheduler, long lookahead,
      long duration, TraceSink sink, java.util.function.Consumer<EndpointResult> results,
      CompletableFuture<Outcome> done, Progress progress) {
    return Behaviors.setup(ctx ->
        new Coordinator(ctx, scheduler, lookahead, duration, sink, results, done, progress));
  }

  private Coordinator(ActorContext<Msg> ctx, ActorRef<NodeScheduler.Msg> scheduler,
      long lookahead, long duration, TraceSink sink,
      java.util.function.Consumer<EndpointResult> results, CompletableFuture<Outcome> done,
      Progress progress) {
    super(ctx);
    this.progress = progress;
    if (lookahead <= 0) throw new IllegalArgumentException("lookahead must be positive");
    this.scheduler = scheduler;
    this.lookahead = lookahead;
    this.duration = duration;
    this.sink = sink;
    this.results = results;
    this.done = done;
    this.windowAdapter = ctx.messageAdapter(NodeScheduler.WindowDone.class, FromScheduler::new);
    scheduler.tell(new NodeScheduler.Start(windowAdapter));
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(FromScheduler.class, m -> onWindowDone(m.done()))
        .onMessage(FromFinish.class, m -> onFinished(m.finished()))
        .build();
  }

  private Behavior<Msg> onWindowDone(NodeScheduler.WindowDone w) {
    long next = w.nextEventTime();
    if (next != Tcb.NEVER_TIME && next < duration) {
      // Start the next window first, then sort and digest this one's trace while the hosts
      // work: the trace only feeds the sinks, never the simulation.
      windows++;
      scheduler.tell(new NodeScheduler.RunWindow(next, Math.min(duration, next + lookahead),
          windowAdapter));
      consume(w.out().trace, w.out().results);
      return this;
    }
    consume(w.out().trace, w.out().results);
    cut = next != Tcb.NEVER_TIME;
    long end = cut ? duration : lastEventTime;
    scheduler.tell(new NodeScheduler.FinishRun(end,
        getContext().messageAdapter(NodeScheduler.RunFinished.class, FromFinish::new)));
    return this;
  }

  private void consume(List<TraceEvent> trace, List<EndpointResult> endpointResults) {
    trace.sort(TraceEvent::compare);
    for (TraceEvent e : trace) {
      lastEventTime = Math.max(lastEventTime, e.t());
      sink.accept(e);
    }
    events += trace.size();
    endpointResults.sort((a, b) -> a.conn() != b.conn()
        ? Integer.compare(a.conn(), b.conn()) : Boolean.compare(a.client(), b.client()));
    endpointResults.forEach(results);
    for (EndpointResult r : endpointResults) if (r.client()) finished++;
    if (progress != null) progress.update(lastEventTime, events, windows, finished);
  }

  private Behavior<Msg> onFinished(NodeScheduler.RunFinished f) {
    consume(f.out().trace, f.out().results);
    long end = cut ? duration : lastEventTime;
    done.complete(new Outcome(end, windows, f.inFlight(), f.listeners(), cut, f.hostNodes()));
    return Behaviors.stopped();
  }
}
