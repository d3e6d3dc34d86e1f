package tcpsim.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Keeps the events of one connection (by default connection 0) for the HTML report's sequence
 * diagram. Bounded: after {@code limit} events it stops recording and remembers that it was
 * truncated (and how many events it skipped).
 */
public final class SequenceSample implements TraceSink {
  public static final int DEFAULT_LIMIT = 1000;

  private final int conn;
  private final int limit;
  private final List<TraceEvent> events = new ArrayList<>();
  private long skipped;

  /** Connection 0, at most {@value #DEFAULT_LIMIT} events. */
  public SequenceSample() {
    this(0, DEFAULT_LIMIT);
  }

  public SequenceSample(int conn) {
    this(conn, DEFAULT_LIMIT);
  }

  public SequenceSample(int conn, int limit) {
    if (limit < 1) throw new IllegalArgumentException("limit must be >= 1: " + limit);
    this.conn = conn;
    this.limit = limit;
  }

  @Override
  public void accept(TraceEvent e) {
    if (e.conn() != conn) return;
    if (events.size() < limit) {
      events.add(e);
    } else {
      skipped++;
    }
  }

  public int conn() {
    return conn;
  }

  public int limit() {
    return limit;
  }

  /** The recorded events, in trace order. */
  public List<TraceEvent> events() {
    return Collections.unmodifiableList(events);
  }

  /** Whether events of the connection came after the limit and were not kept. */
  public boolean truncated() {
    return skipped > 0;
  }

  /** How many events of the connection were not kept. */
  public long skipped() {
    return skipped;
  }
}
