package tcpsim.engine;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import tcpsim.cluster.ClusterMessage;
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
 */
public final class RunCollector {
  private RunCollector() {}

  public sealed interface Msg extends ClusterMessage {}

  /** One window's trace events and ended endpoints (segments are not included). */
  public record TraceBatch(Outbox out, long windows) implements Msg {}

  /** The run is over. */
  public record Finished(long endTime, long windows, long inFlight, List<ListenerStats> listeners,
      boolean cutByDuration, List<String> hostNodes, java.util.Map<String, Long> nodeHeapPeaks)
      implements Msg {}

  /** The run cannot go on. */
  public record Failed(String message) implements Msg {}

  static Behavior<Msg> create(TraceSink sink, Consumer<EndpointResult> results,
      Progress progress, CompletableFuture<Coordinator.Outcome> done) {
    long[] counts = new long[3]; // events, finished connections, last event time
    return Behaviors.receive(Msg.class)
        .onMessage(TraceBatch.class, b -> {
          consume(b.out(), sink, results, counts);
          if (progress != null) progress.update(counts[2], counts[0], b.windows(), counts[1]);
          return Behaviors.same();
        })
        .onMessage(Finished.class, f -> {
          done.complete(new Coordinator.Outcome(f.endTime(), f.windows(), f.inFlight(),
              f.listeners(), f.cutByDuration(), f.hostNodes(), f.nodeHeapPeaks()));
          return Behaviors.stopped();
        })
        .onMessage(Failed.class, f -> {
          done.completeExceptionally(new SimulationException(f.message()));
          return Behaviors.stopped();
        })
        .build();
  }

  /** Canonical order first: nothing downstream depends on which host answered first. */
  private static void consume(Outbox out, TraceSink sink, Consumer<EndpointResult> results,
      long[] counts) {
    out.trace.sort(TraceEvent::compare);
    for (TraceEvent e : out.trace) {
      counts[2] = Math.max(counts[2], e.t());
      sink.accept(e);
    }
    counts[0] += out.trace.size();
    out.results.sort((a, b) -> a.conn() != b.conn()
        ? Integer.compare(a.conn(), b.conn()) : Boolean.compare(a.client(), b.client()));
    for (EndpointResult r : out.results) {
      results.accept(r);
      if (r.client()) counts[1]++;
    }
  }
}
