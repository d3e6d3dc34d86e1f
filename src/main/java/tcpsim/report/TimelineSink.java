package tcpsim.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tcpsim.tcp.Flags;
import tcpsim.tcp.TcpState;

/**
 * The run over time, in fixed intervals: how many endpoints are in each TCP state at the end of
 * each interval, and how many segments were sent, retransmitted, delivered and dropped during it.
 *
 * <p>Intervals start at virtual time 0 and all have the same length. Only intervals in which
 * something happened are stored, so a long quiet stretch (a 60 s TIME-WAIT) costs nothing. If
 * the run lasts longer than {@code maxIntervals} intervals, the interval length doubles (two
 * neighbouring intervals merge; exact, because intervals are aligned on 0) as often as needed, so
 * the caller does not have to know the run's duration in advance: {@link #adaptive()} starts at
 * 1 ms and ends with between {@code maxIntervals / 2} and {@code maxIntervals} intervals over the
 * run's span.
 *
 * <p>Two columns follow a listener under a SYN flood: {@code synDropped}, SYNs a listener dropped
 * because its SYN backlog was full (DROP events with reason {@code syn-backlog-full}), and
 * {@code cookiesSent}, SYN,ACKs a listener sent as SYN cookies. A cookie SYN,ACK is the one
 * SYN,ACK a listener sends under its own (negative) trace id rather than a half-open entry's, since
 * it keeps no entry (see {@code Listener.sendCookieSynAck}). Their totals equal the listeners'
 * {@code synDropped} and {@code cookiesSent} in report.json.
 *
 * <p>State counts follow the STATE events: a transition decrements its {@code from} state (unless
 * CLOSED or LISTEN) and increments its {@code to} state (unless CLOSED). LISTEN is not counted.
 *
 * <p>{@link #rows()} (and so {@code timeline.csv}) lists every interval in which something
 * happened, and after each one followed by a quiet stretch one more row for the first quiet
 * interval: activity 0 and the carried-forward state counts, which stay valid until the next
 * row. Read the state columns as a step function; rows are not evenly spaced.
 */
public final class TimelineSink implements TraceSink {
  /** The states that have a column, in column order (every state but CLOSED and LISTEN). */
  public static final List<TcpState> STATES = List.of(TcpState.SYN_SENT, TcpState.SYN_RECEIVED,
      TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2, TcpState.CLOSE_WAIT,
      TcpState.CLOSING, TcpState.LAST_ACK, TcpState.TIME_WAIT);

  public static final String CSV_HEADER = "t_ms,SYN_SENT,SYN_RECEIVED,ESTABLISHED,FIN_WAIT_1,"
      + "FIN_WAIT_2,CLOSE_WAIT,CLOSING,LAST_ACK,TIME_WAIT,sent,retransmitted,delivered,dropped,"
      + "synDropped,cookiesSent";

  public static final int DEFAULT_MAX_INTERVALS = 1000;
  private static final int[] COLUMN = new int[TcpState.values().length];

  static {
    java.util.Arrays.fill(COLUMN, -1);
    for (int i = 0; i < STATES.size(); i++) COLUMN[STATES.get(i).ordinal()] = i;
  }

  /**
   * One interval.
   *
   * @param startNs the interval's start, ns
   * @param states endpoints per state at the interval's end, in {@link #STATES} order
   * @param synDropped SYNs dropped because a listener's SYN backlog was full (also in dropped)
   * @param cookiesSent SYN,ACKs sent as SYN cookies (also in sent)
   */
  public record Row(long startNs, int[] states, long sent, long retransmitted, long delivered,
      long dropped, long duplicated, long synDropped, long cookiesSent) {
    public int count(TcpState s) {
      int c = COLUMN[s.ordinal()];
      return c < 0 ? 0 : states[c];
    }
  }

  private long intervalNs;
  private final int maxIntervals;
  private final int[] counts = new int[STATES.size()];
  private final int[] peaks = new int[STATES.size()];
  private final List<Row> rows = new ArrayList<>();
  // The interval being filled.
  private long current = -1;
  private long sent;
  private long retransmitted;
  private long delivered;
  private long dropped;
  private long duplicated;
  private long synDropped;
  private long cookiesSent;

  /** Intervals of {@code intervalNs}, doubled whenever the run spans more than 1000 of them. */
  public TimelineSink(long intervalNs) {
    this(intervalNs, DEFAULT_MAX_INTERVALS);
  }

  public TimelineSink(long intervalNs, int maxIntervals) {
    if (intervalNs <= 0) throw new IllegalArgumentException("interval must be > 0: " + intervalNs);
    if (maxIntervals < 2) throw new IllegalArgumentException("maxIntervals must be >= 2");
    this.intervalNs = intervalNs;
    this.maxIntervals = maxIntervals;
  }

  /** For a run of unknown length: 1 ms intervals, coarsened to at most 1000 over the run. */
  public static TimelineSink adaptive() {
    return new TimelineSink(1_000_000L, DEFAULT_MAX_INTERVALS);
  }

  /**
   * For a run expected to last about {@code expectedNs}: a round interval (1, 2 or 5 times a power
   * of ten ns) giving 200 to 500 intervals; still coarsened if the run lasts much longer.
   */
  public static TimelineSink forDuration(long expectedNs) {
    return new TimelineSink(niceInterval(expectedNs), DEFAULT_MAX_INTERVALS);
  }

  static long niceInterval(long expectedNs) {
    long target = Math.max(1, expectedNs / 500);
    long p = 1;
    while (true) {
      for (long m : new long[] {1, 2, 5}) {
        if (p * m >= target) return p * m;
      }
      if (p > Long.MAX_VALUE / 100) return p * 10;
      p *= 10;
    }
  }

  @Override
  public void accept(TraceEvent e) {
    long idx = Math.max(0, e.t()) / intervalNs;
    while (idx >= maxIntervals) { // the run outgrew the grid: double the interval
      coarsen();
      idx = Math.max(0, e.t()) / intervalNs;
    }
    if (idx != current) {
      flush();
      current = idx;
    }
    switch (e.kind()) {
      case SEND -> {
        sent++;
        if (e.retransmit()) retransmitted++;
        // Only a listener traces under a negative id, and its only SYN,ACK is a cookie's.
        if (e.origin() < 0 && e.flags() == (Flags.SYN | Flags.ACK)) cookiesSent++;
      }
      case RECV -> delivered++;
      case DROP -> {
        dropped++;
        if (e.reason() == DropReason.SYN_BACKLOG_FULL) synDropped++;
      }
      case DUP -> duplicated++;
      case STATE -> {
        if (e.from() != null && e.from() != TcpState.CLOSED && e.from() != TcpState.LISTEN) {
          int c = COLUMN[e.from().ordinal()];
          if (c >= 0) counts[c]--;
        }
        if (e.to() != null && e.to() != TcpState.CLOSED) {
          int c = COLUMN[e.to().ordinal()];
          if (c >= 0 && ++counts[c] > peaks[c]) peaks[c] = counts[c];
        }
      }
    }
  }

  private void flush() {
    if (current < 0) return;
    rows.add(new Row(current * intervalNs, counts.clone(), sent, retransmitted, delivered,
        dropped, duplicated, synDropped, cookiesSent));
    sent = retransmitted = delivered = dropped = duplicated = synDropped = cookiesSent = 0;
    current = -1;
  }

  private void coarsen() {
    flush();
    long next = intervalNs * 2;
    List<Row> merged = new ArrayList<>(rows.size());
    for (Row r : rows) {
      long start = (r.startNs() / next) * next;
      Row last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
      if (last != null && last.startNs() == start) {
        merged.set(merged.size() - 1, new Row(start, r.states(), last.sent() + r.sent(),
            last.retransmitted() + r.retransmitted(), last.delivered() + r.delivered(),
            last.dropped() + r.dropped(), last.duplicated() + r.duplicated(),
            last.synDropped() + r.synDropped(), last.cookiesSent() + r.cookiesSent()));
      } else {
        merged.add(new Row(start, r.states(), r.sent(), r.retransmitted(), r.delivered(),
            r.dropped(), r.duplicated(), r.synDropped(), r.cookiesSent()));
      }
    }
    rows.clear();
    rows.addAll(merged);
    intervalNs = next;
  }

  /** The interval length now (it may have grown since construction). */
  public long intervalNs() {
    return intervalNs;
  }

  /** The most endpoints that were in {@code s} at once (exact, not per interval). */
  public int peak(TcpState s) {
    int c = COLUMN[s.ordinal()];
    return c < 0 ? 0 : peaks[c];
  }

  /**
   * The rows to show: every interval with activity, plus one quiet row (zero activity, carried
   * state counts) right after each interval that is followed by a gap. Ends with the last active
   * interval's quiet follower, so state lines can be drawn as steps to the end.
   */
  public List<Row> rows() {
    List<Row> stored = new ArrayList<>(rows);
    if (current >= 0) {
      stored.add(new Row(current * intervalNs, counts.clone(), sent, retransmitted, delivered,
          dropped, duplicated, synDropped, cookiesSent));
    }
    List<Row> out = new ArrayList<>(stored.size() * 2);
    for (int i = 0; i < stored.size(); i++) {
      Row r = stored.get(i);
      out.add(r);
      long nextStart = r.startNs() + intervalNs;
      boolean gap = i + 1 == stored.size() || stored.get(i + 1).startNs() > nextStart;
      if (gap) out.add(new Row(nextStart, r.states(), 0, 0, 0, 0, 0, 0, 0));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * {@link #rows()} for a run that ended at {@code endNs}: a row starting after the end (only
   * ever the last quiet follower, one interval after the last active interval) starts at
   * {@code endNs} instead, so a chart's time axis stops where the run did.
   */
  public List<Row> rows(long endNs) {
    List<Row> all = rows();
    List<Row> out = new ArrayList<>(all.size());
    for (Row r : all) {
      if (r.startNs() > endNs) {
        long start = Math.max(endNs, out.isEmpty() ? 0 : out.get(out.size() - 1).startNs());
        r = new Row(start, r.states(), r.sent(), r.retransmitted(), r.delivered(), r.dropped(),
            r.duplicated(), r.synDropped(), r.cookiesSent());
      }
      out.add(r);
    }
    return Collections.unmodifiableList(out);
  }

  /** {@code timeline.csv}: {@link #CSV_HEADER}, then one line per {@link #rows()} entry. */
  public void writeCsv(Writer w) throws IOException {
    StringBuilder b = new StringBuilder(CSV_HEADER.length() + 2).append(CSV_HEADER).append('\n');
    w.write(b.toString());
    for (Row r : rows()) {
      b.setLength(0);
      b.append(formatMs(r.startNs()));
      for (int c : r.states()) b.append(',').append(c);
      b.append(',').append(r.sent()).append(',').append(r.retransmitted()).append(',')
          .append(r.delivered()).append(',').append(r.dropped()).append(',')
          .append(r.synDropped()).append(',').append(r.cookiesSent()).append('\n');
      w.write(b.toString());
    }
    w.flush();
  }

  /** The CSV as a string. */
  public String csv() {
    java.io.StringWriter w = new java.io.StringWriter();
    try {
      writeCsv(w);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Milliseconds from ns, exact, without trailing zeros: 1500000 -> "1.5", 2000000 -> "2". */
  static String formatMs(long ns) {
    return java.math.BigDecimal.valueOf(ns, 6).stripTrailingZeros().toPlainString();
  }
}
