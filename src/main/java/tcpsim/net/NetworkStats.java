package tcpsim.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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
 * <p>Per scheduled fault (by its index in the {@link FaultSchedule}) it also counts what the
 * fault did, {@link #fault(int)}: "the partition from 5 s to 7 s dropped 120 segments". Those
 * counts are a breakdown, not extra traffic: a segment a fault dropped is in
 * {@code dropped(PARTITION)} and in that fault's {@code dropped}; an RST a fault injected is in
 * {@code sent} and {@code arrivals} and in its {@code resetsInjected}.
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
  /** Per fault index: the {@link FaultCounts} fields in their order. */
  private long[][] faults = new long[0][];

  /**
   * What one scheduled fault did.
   *
   * @param matched segments sent during the fault that matched its target (each once, whatever
   *     happened to it; for a reset, 0)
   * @param dropped segments it dropped (partition, blackhole, crash, loss spike, or the full
   *     queue of a bandwidth cut)
   * @param delayed arrivals it made later (extra latency, jitter above 0, a reorder hold, the
   *     queue and serialization of a bandwidth cut)
   * @param duplicated extra copies it made
   * @param corrupted arrivals it damaged
   * @param resetsInjected RSTs it injected
   */
  public record FaultCounts(long matched, long dropped, long delayed, long duplicated,
      long corrupted, long resetsInjected) {
    static final int MATCHED = 0, DROPPED = 1, DELAYED = 2, DUPLICATED = 3, CORRUPTED = 4,
        RESETS = 5, FIELDS = 6;
  }

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

  /** How many faults have counters: one more than the highest fault index counted so far. */
  public int faultCount() {
    return faults.length;
  }

  /** What fault {@code index} of the schedule did (all zero if it never acted). */
  public FaultCounts fault(int index) {
    long[] c = index < faults.length ? faults[index] : new long[FaultCounts.FIELDS];
    return new FaultCounts(c[FaultCounts.MATCHED], c[FaultCounts.DROPPED],
        c[FaultCounts.DELAYED], c[FaultCounts.DUPLICATED], c[FaultCounts.CORRUPTED],
        c[FaultCounts.RESETS]);
  }

  /**
   * A snapshot of the counters of faults {@code 0..count-1}, in index order: every fault of a
   * schedule of {@code count} faults, all zero for one that never acted. This is what the run's
   * result carries from the network to report.json.
   */
  public List<FaultCounts> faultCounts(int count) {
    List<FaultCounts> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) out.add(fault(i));
    return List.copyOf(out);
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
    for (int f = 0; f < other.faults.length; f++) {
      for (int k = 0; k < FaultCounts.FIELDS; k++) faultCounters(f)[k] += other.faults[f][k];
    }
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

  /** Adds one to field {@code field} (a {@link FaultCounts} constant) of fault {@code index}. */
  void countFault(int index, int field) {
    faultCounters(index)[field]++;
  }

  private long[] faultCounters(int index) {
    if (index >= faults.length) {
      int old = faults.length;
      faults = Arrays.copyOf(faults, index + 1);
      for (int f = old; f < faults.length; f++) faults[f] = new long[FaultCounts.FIELDS];
    }
    return faults[index];
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
    for (int f = 0; f < faults.length; f++) b.append(" fault[").append(f).append("]=").append(fault(f));
    return b.toString();
  }
}
