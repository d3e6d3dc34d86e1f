package tcpsim.net;

import tcpsim.report.DropReason;

/**
 * Counters of one {@link NetworkModel}: what went in, what came out, and why the rest did not.
 *
 * <p>The network's share of invariant 4 ("nothing silently lost") is the balance
 * {@code sent + duplicated == arrivals + dropped}: every segment handed to the network either
 * produces arrivals (one, or two when duplicated) or is dropped with a reason. Corrupted copies
 * count as arrivals here — they do reach the destination host, whose checksum check then drops
 * them (reason {@code CHECKSUM}) — and are also counted in {@link #corrupted()}.
 *
 * <p>Not thread-safe, like the model it belongs to. Stats of several models (one per cluster
 * node) can be summed with {@link #add}.
 */
public final class NetworkStats {
  private long sent;
  private long arrivals;
  private long duplicated;
  private long corrupted;
  private final long[] dropped = new long[DropReason.values().length];

  /** Segments handed to the network. */
  public long sent() {
    return sent;
  }

  /** Arrivals produced (originals and duplicates, corrupt or not). */
  public long arrivals() {
    return arrivals;
  }

  /** Extra copies made by duplication. */
  public long duplicated() {
    return duplicated;
  }

  /** Arrivals flagged corrupt. */
  public long corrupted() {
    return corrupted;
  }

  /** Segments the network dropped for {@code reason}. */
  public long dropped(DropReason reason) {
    return dropped[reason.ordinal()];
  }

  /** Segments the network dropped, all reasons. */
  public long droppedTotal() {
    long sum = 0;
    for (long d : dropped) sum += d;
    return sum;
  }

  /** Whether {@code sent + duplicated == arrivals + dropped}. */
  public boolean balanced() {
    return sent + duplicated == arrivals + droppedTotal();
  }

  /** Adds another model's counters to these (to total the nodes of a cluster). */
  public void add(NetworkStats other) {
    sent += other.sent;
    arrivals += other.arrivals;
    duplicated += other.duplicated;
    corrupted += other.corrupted;
    for (int i = 0; i < dropped.length; i++) dropped[i] += other.dropped[i];
  }

  /** An independent copy of the current values. */
  public NetworkStats copy() {
    NetworkStats c = new NetworkStats();
    c.add(this);
    return c;
  }

  void countSent() {
    sent++;
  }

  void countArrival(boolean corrupt) {
    arrivals++;
    if (corrupt) corrupted++;
  }

  void countDuplicate() {
    duplicated++;
  }

  void countDrop(DropReason reason) {
    dropped[reason.ordinal()]++;
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append("sent=").append(sent).append(" arrivals=").append(arrivals)
        .append(" duplicated=").append(duplicated).append(" corrupted=").append(corrupted);
    for (DropReason r : DropReason.values()) {
      if (dropped[r.ordinal()] != 0) b.append(" drop.").append(r.label()).append('=')
          .append(dropped[r.ordinal()]);
    }
    return b.toString();
  }
}
