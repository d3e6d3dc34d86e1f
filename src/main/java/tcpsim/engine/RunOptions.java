package tcpsim.engine;

import java.util.function.Predicate;
import tcpsim.report.TraceSink;
import tcpsim.tcp.Segment;

/**
 * Optional extras of a run.
 *
 * @param extraSink also receives every trace event in canonical order (e.g. a trace printer), or
 *     null
 * @param dropRule segments it matches are dropped in the network with the reason {@code
 *     filtered}, or null
 * @param progress updated after every window, or null
 */
public record RunOptions(TraceSink extraSink, Predicate<Segment> dropRule, Progress progress) {
  public static final RunOptions NONE = new RunOptions(null, null, null);

  public static RunOptions sink(TraceSink sink) {
    return new RunOptions(sink, null, null);
  }
}
