package tcpsim.report;

/** Receives every trace event of a run, once, in canonical order. */
@FunctionalInterface
public interface TraceSink {
  void accept(TraceEvent event);
}
