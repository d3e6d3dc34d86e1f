package tcpsim.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The faults of one run, in the order the scenario lists them: a fault's position here is its
 * index everywhere else (per-fault counters in {@link NetworkStats#fault}, the origin of the
 * RSTs it injects).
 *
 * <p>Immutable and cheap to share. The network walks it with a {@link Cursor}, which keeps the
 * set of faults active at the current time, so that a segment sent while no fault is active
 * costs one comparison, and one sent during a fault costs a time check and then a target check
 * per active fault.
 *
 * <p><b>What the host side needs</b>: {@link #crashesOf(int)} — the intervals during which a
 * host is down (the network only drops segments to and from it sent meanwhile, reason
 * {@code host-down}; endpoints vanishing and fresh state on restart are the host's part).
 *
 * <p><b>Reset injection</b> ({@link Fault.Reset}, RFC 5961 §3): at the fault's {@code at} the
 * network injects, for every connection matching the target that it has seen carry traffic, an
 * RST in each matching direction, pretending to be that direction's sender. So
 * {@code {from: A, to: B}} pretends to be A and resets B; {@code {between: [A, B]}},
 * {@code {host: X}} and {@code all} reset both ends. See {@link NetworkModel} for the sequence
 * numbers and timing.
 */
public final class FaultSchedule {
  /** A run without faults. */
  public static final FaultSchedule NONE = new FaultSchedule(List.of());

  /**
   * Origins of segments the network injects: {@code INJECTION_ORIGIN_BASE + fault index}. Far
   * from every other origin space: endpoints use {@code conn << 1 | side} (>= 0), listeners
   * {@code -1 - (host << 16) - port} (>= about -2^47), hosts {@code Long.MIN_VALUE + host}.
   */
  public static final long INJECTION_ORIGIN_BASE = Long.MIN_VALUE + (1L << 48);

  /** A half-open interval {@code [at, until)} of simulated time, ns. */
  public record Interval(long at, long until) {
    public boolean contains(long t) {
      return t >= at && t < until;
    }
  }

  private final List<Fault> faults;
  private final Fault[] byIndex;
  /** Fault indices sorted by start time (ties by index); resets excluded (they match nothing). */
  private final int[] byStart;
  /** Indices of reset faults sorted by (at, index): the order of injection. */
  private final int[] resets;
  private final long[] resetTimes;

  public FaultSchedule(List<Fault> faults) {
    this.faults = List.copyOf(faults);
    this.byIndex = this.faults.toArray(new Fault[0]);
    List<Integer> spans = new ArrayList<>();
    List<Integer> resetList = new ArrayList<>();
    for (int i = 0; i < byIndex.length; i++) {
      if (byIndex[i].effect() instanceof Fault.Reset) resetList.add(i);
      else spans.add(i);
    }
    Comparator<Integer> byAt = Comparator.<Integer>comparingLong(i -> byIndex[i].at())
        .thenComparingInt(i -> i);
    spans.sort(byAt);
    resetList.sort(byAt);
    this.byStart = spans.stream().mapToInt(Integer::intValue).toArray();
    this.resets = resetList.stream().mapToInt(Integer::intValue).toArray();
    TreeSet<Long> times = new TreeSet<>();
    for (int i : resets) times.add(byIndex[i].at());
    this.resetTimes = times.stream().mapToLong(Long::longValue).toArray();
    for (int h : hostsWithCrashes()) checkCrashesDoNotOverlap(h);
  }

  public List<Fault> faults() {
    return faults;
  }

  public boolean isEmpty() {
    return byIndex.length == 0;
  }

  public int size() {
    return byIndex.length;
  }

  public Fault get(int index) {
    return byIndex[index];
  }

  /** The origin of segments injected by fault {@code index}. */
  public static long injectionOrigin(int index) {
    return INJECTION_ORIGIN_BASE + index;
  }

  /** The intervals during which {@code host} is down, by start time; they never overlap. */
  public List<Interval> crashesOf(int host) {
    List<Interval> out = new ArrayList<>();
    for (int i : byStart) {
      Fault f = byIndex[i];
      if (f.effect() instanceof Fault.Crash && ((Fault.Host) f.target()).host() == host) {
        out.add(new Interval(f.at(), f.until()));
      }
    }
    return out;
  }

  /** Whether {@code host} is down at {@code t} (inside one of its crash intervals). */
  public boolean isDown(int host, long t) {
    for (Interval i : crashesOf(host)) if (i.contains(t)) return true;
    return false;
  }

  /**
   * Times at which the network must act on its own (inject RSTs), ascending, distinct. The
   * engine's scheduler must run a window containing each of them even if nothing else happens.
   */
  public long[] wakeTimes() {
    return resetTimes.clone();
  }

  /** Indices of reset faults in injection order: by time, then by index. */
  int[] resetsInOrder() {
    return resets;
  }

  private int[] hostsWithCrashes() {
    return Arrays.stream(byIndex).filter(f -> f.effect() instanceof Fault.Crash)
        .mapToInt(f -> ((Fault.Host) f.target()).host()).distinct().toArray();
  }

  private void checkCrashesDoNotOverlap(int host) {
    List<Interval> c = crashesOf(host);
    for (int k = 1; k < c.size(); k++) {
      if (c.get(k).at() < c.get(k - 1).until()) {
        throw new IllegalArgumentException("crashes of host " + host + " overlap: " + c.get(k - 1)
            + " and " + c.get(k));
      }
    }
  }

  /** A walk through the schedule in non-decreasing time: the faults active at each instant. */
  Cursor cursor() {
    return new Cursor();
  }

  final class Cursor {
    private static final int[] NONE_ACTIVE = new int[0];
    /** Next position in {@code byStart} not yet started. */
    private int next;
    /** Active fault indices in schedule order. */
    private int[] active = NONE_ACTIVE;
    /** Until this time (exclusive) the active set cannot change. */
    private long stableUntil;
    private long last = Long.MIN_VALUE;

    private Cursor() {
      stableUntil = byStart.length == 0 ? Long.MAX_VALUE : byIndex[byStart[0]].at();
    }

    /**
     * Indices (ascending) of the faults active at {@code t}, that is with {@code at <= t <
     * until}; times must not decrease from call to call. The array is shared: do not modify.
     */
    int[] activeAt(long t) {
      if (t < stableUntil) {
        if (t < last) throw new IllegalArgumentException("time went back: " + t + " < " + last);
        last = t;
        return active;
      }
      last = t;
      List<Integer> now = new ArrayList<>();
      for (int i : active) if (byIndex[i].until() > t) now.add(i);
      while (next < byStart.length && byIndex[byStart[next]].at() <= t) {
        int i = byStart[next++];
        if (byIndex[i].until() > t) now.add(i);
      }
      now.sort(null);
      active = now.isEmpty() ? NONE_ACTIVE : now.stream().mapToInt(Integer::intValue).toArray();
      long change = next < byStart.length ? byIndex[byStart[next]].at() : Long.MAX_VALUE;
      for (int i : active) change = Math.min(change, byIndex[i].until());
      stableUntil = change;
      return active;
    }
  }
}
