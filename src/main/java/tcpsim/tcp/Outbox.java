package tcpsim.tcp;

import java.util.ArrayList;
import java.util.List;
import tcpsim.report.TraceEvent;

/**
 * What one emitter (an endpoint, or a host's listener and closed ports) produced during one time
 * window: segments to put on the wire, trace events, and ended endpoints. The engine collects
 * these and forwards them; nothing in here is ever dropped without being counted.
 */
public final class Outbox {
  public final List<Segment> segments = new ArrayList<>();
  public final List<TraceEvent> trace = new ArrayList<>();
  public final List<EndpointResult> results = new ArrayList<>(0);

  public void addAll(Outbox other) {
    segments.addAll(other.segments);
    trace.addAll(other.trace);
    results.addAll(other.results);
  }

  public boolean isEmpty() {
    return segments.isEmpty() && trace.isEmpty() && results.isEmpty();
  }
}
