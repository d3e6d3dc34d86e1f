package tcpsim.net;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

/**
 * The link model: turns the segments sent during one time window into arrivals at their
 * destination hosts, dropped segments (with a reason and a trace event) and duplicates.
 *
 * <h2>Determinism</h2>
 *
 * <p>The result must not depend on threads, cluster nodes or the order in which actor messages
 * arrived (DESIGN.md, invariant 2). Three rules ensure it:
 *
 * <ol>
 *   <li>Each batch is first sorted into the canonical order (sentAt, origin, emitIndex), a key
 *       fixed by the emitters alone; the order of the input list is irrelevant.
 *   <li>Every random decision about a segment comes from its own {@link RandomStream}, derived
 *       statelessly from (scenario seed, flow id, origin, emitIndex). The stream is consumed in a
 *       fixed order — six uniforms (Gilbert-Elliott transition, loss, reorder, corruption,
 *       duplication, corruption of the duplicate), then the latency sample, then the duplicate's
 *       latency sample — and all six uniforms are drawn whether used or not. So changing, say,
 *       the duplication probability does not change which segments are lost or their latencies.
 *   <li>The only state carried from segment to segment — the Gilbert-Elliott state of each flow
 *       and the bottleneck queue of each directed host pair — is keyed by the source host, so it
 *       lives on the node that hosts the source, and is advanced in canonical order, batch after
 *       batch in time order. The one exception, only with reset faults, is the reset tracker
 *       ({@link ResetInjector}), which follows both directions of a connection: with one
 *       network per node it would have to see both ends' segments (today one network serves the
 *       whole run).
 * </ol>
 *
 * <h2>Order of effects for one segment</h2>
 *
 * <ol>
 *   <li>Loss (Bernoulli or Gilbert-Elliott): a DROP trace event at {@code sentAt} with reason
 *       {@code LOSS} or {@code BURST_LOSS}.
 *   <li>Bottleneck (if the link has a bandwidth): a FIFO per directed host pair. The segment
 *       waits until the link is free, then takes {@code (len + 40) · 8 / bps} seconds to
 *       serialize (40 bytes for the IPv4 and TCP headers). If the bytes already queued (waiting
 *       or being serialized) plus its own would exceed the queue limit, it is dropped with
 *       {@code QUEUE_OVERFLOW} (tail drop, as a router's FIFO does).
 *   <li>Propagation: one latency sample, counted from the end of serialization.
 *   <li>Reordering: with the link's probability the segment is held back by the extra reorder
 *       delay, so segments sent after it can overtake it.
 *   <li>Corruption: with the link's probability the arrival is flagged corrupt. The receiver
 *       discards it after its checksum check and traces that drop; the network does not.
 *   <li>Duplication: with the link's probability a second copy ({@code copy = 1}) arrives after
 *       its own latency sample (the copy takes the same bottleneck slot but is neither reordered
 *       nor lost; it may be corrupted independently). A DUP trace event is emitted at
 *       {@code sentAt}.
 * </ol>
 *
 * <h2>Scheduled faults</h2>
 *
 * <p>With a {@link FaultSchedule} ({@link Builder#faults}), a segment sent during a fault
 * ({@code at <= sentAt < until}) whose source and destination hosts match the fault's target
 * also goes through the fault's effect. The pipeline above becomes, in this order:
 *
 * <ol>
 *   <li>Partition, blackhole, crash: the segment is dropped before it reaches the link (reason
 *       {@code PARTITION}, {@code BLACKHOLE} or {@code HOST_DOWN}; if several match, the first
 *       in the schedule names it). The link sees nothing: no random draws, no Gilbert-Elliott
 *       step, no queue slot.
 *   <li>The link's loss, then each loss fault ({@code FAULT_LOSS}).
 *   <li>Bottleneck: a bandwidth fault lowers the rate of the pair's queue to the fault's (or
 *       keeps the link's if lower; the lowest of several faults wins) and may set its byte
 *       limit; a full queue then drops with {@code FAULT_QUEUE_OVERFLOW}.
 *   <li>Propagation and the link's reordering, then every latency fault's extra delay, every
 *       jitter fault's uniform 0..J, and every reorder fault's hold.
 *   <li>The link's corruption, or any corrupt fault's.
 *   <li>The link's duplication, then each duplicate fault's: an extra copy with its own
 *       latency sample (and the link's corruption chance), delayed and corrupted by the faults
 *       like every copy, neither lost nor reordered. Copies are numbered 1, 2, ... in this
 *       order; the DUP trace event of copy {@code k} has sub {@code k + 1}.
 * </ol>
 *
 * <p>Random draws of faults never touch the link's stream: each fault draws from its own
 * stream, derived from (seed, flow id, origin, emitIndex, fault index), in a fixed order — loss:
 * one uniform; reorder: one; jitter and corrupt: one per copy, in copy order; duplicate: one
 * uniform, then the copy's latency sample, then the copy's link-corruption uniform. So a
 * scenario without faults gives exactly the trace it gave before faults existed, and adding a
 * fault changes no other fault's decisions. Per fault, {@link NetworkStats#fault} counts what
 * it did.
 *
 * <p>Reset faults act at their time rather than on segments: {@link #transmit(List, long, long,
 * List, List)} injects the RSTs of a reset due in its window (the engine's scheduler wakes at
 * {@link FaultSchedule#wakeTimes()}), after the segments sent before the reset's time and
 * before those sent at or after it. An injected RST has origin {@link
 * FaultSchedule#injectionOrigin} of its fault, emit index 0, 1, ... per fault, a SEND trace
 * event (sub 0) at the fault's time, and arrives after one latency sample of the link from the
 * pretended sender to the receiver (drawn from the stream a segment with its key would use);
 * nothing else of the link model or of other faults applies to it. See {@link ResetInjector}.
 *
 * <p>Every arrival time is at least {@code sentAt + latency.minimum()} of its link, hence at
 * least {@code sentAt + lookahead()}: nothing lands inside the window it was sent in. (Faults
 * only add delay, never remove it.)
 *
 * <p>Trace events use the segment's own key: origin = {@code segment.origin()}, index =
 * {@code segment.emitIndex()}, sub 1 for DROP and sub 2 for DUP (the sender's SEND event has sub
 * 0), so they sort right after the SEND they belong to.
 *
 * <p>One instance per network actor; not thread-safe.
 */
public final class NetworkModel {
  /** Salt of the fault streams' ids, so that they never coincide with a segment's link stream. */
  private static final long FAULT_STREAM = 0x6661756C74L; // "fault"

  /** Bytes of IPv4 (20) and TCP (20) headers added to the payload on the wire. */
  public static final int HEADER_BYTES = 40;

  /** The canonical processing order of segments: send time, then the emitter's stable key. */
  public static final Comparator<Segment> CANONICAL =
      Comparator.comparingLong(Segment::sentAt).thenComparing(Segment::compareOrder);

  /** A directed host pair: a link configuration for it applies from {@code src} to {@code dst}. */
  public record HostPair(int src, int dst) {
    public HostPair reversed() {
      return new HostPair(dst, src);
    }
  }

  /** A bottleneck: a directed host pair, and the group if the group has its own link, else -1. */
  private record QueueKey(int src, int dst, int group) {}

  /** One direction of a TCP connection: the key of the Gilbert-Elliott state. */
  private record Flow(int srcHost, int srcPort, int dstHost, int dstPort) {}

  private final long seed;
  private final LinkConfig defaults;
  private final HashMap<Long, LinkConfig> overrides = new HashMap<>();
  /** Connection ids where each client group starts (ascending), and each group's link or null. */
  private final int[] groupFirstConn;
  private final LinkConfig[] groupLinks;
  private final long lookahead;
  private final NetworkStats stats = new NetworkStats();
  private final FaultSchedule faults;
  /** Walks the faults in time order; null when there are none (then nothing checks them). */
  private final FaultSchedule.Cursor faultCursor;
  /** Null when the schedule has no reset fault. */
  private final ResetInjector resets;

  /** Flows whose Gilbert-Elliott chain is in the Bad state; all others are Good. */
  private final HashSet<Flow> badFlows = new HashSet<>();
  /** Bottleneck queues of directed host pairs (and groups on their own link). */
  private final HashMap<QueueKey, Bottleneck> queues = new HashMap<>();
  /** Latest send time processed so far; batches must come in time order. */
  private long clock = Long.MIN_VALUE;
  private int pruneAt = 1024;

  /**
   * @param seed the scenario seed
   * @param defaults the configuration of every link without an override
   * @param overrides configurations of particular directed host pairs
   */
  public NetworkModel(long seed, LinkConfig defaults, Map<HostPair, LinkConfig> overrides) {
    this(seed, defaults, overrides, new int[0], new LinkConfig[0]);
  }

  /**
   * @param groupFirstConn the first connection id of each client group, strictly ascending
   *     (connection ids are numbered in group order), then one past the last group's last id
   * @param groupLinks the link of each group's connections (both directions), or null for none;
   *     it wins over a host-pair override, since a group is the narrower target
   */
  public NetworkModel(long seed, LinkConfig defaults, Map<HostPair, LinkConfig> overrides,
      int[] groupFirstConn, LinkConfig[] groupLinks) {
    this(seed, defaults, overrides, groupFirstConn, groupLinks, FaultSchedule.NONE);
  }

  /** @param faults the run's scheduled faults ({@link FaultSchedule#NONE} for none) */
  public NetworkModel(long seed, LinkConfig defaults, Map<HostPair, LinkConfig> overrides,
      int[] groupFirstConn, LinkConfig[] groupLinks, FaultSchedule faults) {
    if (groupFirstConn.length != groupLinks.length + (groupLinks.length == 0 ? 0 : 1))
      throw new IllegalArgumentException("need one first connection id per group link, and the end");
    this.seed = seed;
    this.defaults = Objects.requireNonNull(defaults, "default link config");
    long min = defaults.latency().minimum();
    for (Map.Entry<HostPair, LinkConfig> e : overrides.entrySet()) {
      LinkConfig c = Objects.requireNonNull(e.getValue(), "link config of " + e.getKey());
      this.overrides.put(pairKey(e.getKey().src(), e.getKey().dst()), c);
      min = Math.min(min, c.latency().minimum());
    }
    for (LinkConfig c : groupLinks) {
      if (c != null) min = Math.min(min, c.latency().minimum());
    }
    this.groupFirstConn = groupFirstConn.clone();
    this.groupLinks = groupLinks.clone();
    this.lookahead = min;
    this.faults = Objects.requireNonNull(faults, "fault schedule");
    this.faultCursor = faults.isEmpty() ? null : faults.cursor();
    this.resets = ResetInjector.needed(faults) ? new ResetInjector(faults) : null;
  }

  /** A network where every link has the configuration {@code defaults}. */
  public NetworkModel(long seed, LinkConfig defaults) {
    this(seed, defaults, Map.of());
  }

  public static Builder builder(long seed, LinkConfig defaults) {
    return new Builder(seed, defaults);
  }

  /** Collects per-pair overrides; a later setting of the same direction replaces an earlier one. */
  public static final class Builder {
    private final long seed;
    private final LinkConfig defaults;
    private final Map<HostPair, LinkConfig> overrides = new LinkedHashMap<>();
    private int[] groupFirstConn = new int[0]; // with the end id appended
    private LinkConfig[] groupLinks = new LinkConfig[0];
    private FaultSchedule faults = FaultSchedule.NONE;

    private Builder(long seed, LinkConfig defaults) {
      this.seed = seed;
      this.defaults = defaults;
    }

    /** The link from {@code srcHost} to {@code dstHost} (that direction only). */
    public Builder link(int srcHost, int dstHost, LinkConfig config) {
      overrides.put(new HostPair(srcHost, dstHost), Objects.requireNonNull(config));
      return this;
    }

    /** The same configuration for both directions between hosts {@code a} and {@code b}. */
    public Builder linkBothWays(int a, int b, LinkConfig config) {
      link(a, b, config);
      return link(b, a, config);
    }

    /**
     * Links of client groups: group {@code g} owns connection ids from {@code firstConn[g]} up
     * to {@code firstConn[g + 1]} (so {@code firstConn} has one more entry than {@code links},
     * the end); {@code links[g]} is its link, or null for none.
     */
    public Builder groupLinks(int[] firstConn, LinkConfig[] links) {
      this.groupFirstConn = firstConn;
      this.groupLinks = links;
      return this;
    }

    /** The run's scheduled faults (see the class comment for how they apply). */
    public Builder faults(FaultSchedule schedule) {
      this.faults = Objects.requireNonNull(schedule);
      return this;
    }

    public NetworkModel build() {
      return new NetworkModel(seed, defaults, overrides, groupFirstConn, groupLinks, faults);
    }
  }

  /** The configuration of the link from {@code srcHost} to {@code dstHost}. */
  public LinkConfig link(int srcHost, int dstHost) {
    LinkConfig c = overrides.get(pairKey(srcHost, dstHost));
    return c != null ? c : defaults;
  }

  /** The link a segment takes: its connection's group link, else its host pair's link. */
  private LinkConfig link(Segment s) {
    return link(s, groupWithLink(s.conn()));
  }

  /** {@link #link(Segment)} when the segment's {@code group} (or -1) is already known. */
  private LinkConfig link(Segment s, int group) {
    return group >= 0 ? groupLinks[group] : link(s.srcHost(), s.dstHost());
  }

  /** The group of connection {@code conn} if that group has its own link, else -1. */
  private int groupWithLink(int conn) {
    if (groupLinks.length == 0 || conn < groupFirstConn[0] || conn >= groupFirstConn[groupLinks.length])
      return -1; // not a client group's connection (e.g. a reset from a closed port)
    int i = Arrays.binarySearch(groupFirstConn, 0, groupLinks.length, conn);
    int g = i >= 0 ? i : -i - 2; // groups are never empty, so first ids strictly increase
    return groupLinks[g] != null ? g : -1;
  }

  /**
   * The smallest latency any link can produce: the engine's conservative window length. A
   * segment sent at {@code t} arrives no earlier than {@code t + lookahead()}.
   */
  public long lookahead() {
    return lookahead;
  }

  /** The scheduled faults this model applies. */
  public FaultSchedule faults() {
    return faults;
  }

  /** The live counters of this model. */
  public NetworkStats stats() {
    return stats;
  }

  /** A stable id of the flow direction (source host and port to destination host and port). */
  public static long flowId(Segment s) {
    return RandomStream.mix(s.srcHost(), s.srcPort(), s.dstHost(), s.dstPort());
  }

  /**
   * Serialization time of {@code bytes} at {@code bitsPerSecond}, in ns, rounded up so that a
   * link never carries more than its rate.
   */
  public static long serializationNanos(long bytes, long bitsPerSecond) {
    long bitNanos = bytes * 8 * 1_000_000_000L;
    return (bitNanos + bitsPerSecond - 1) / bitsPerSecond;
  }

  /**
   * Applies the link model to all segments sent in one time window, without injecting the RSTs
   * of reset faults (use {@link #transmit(List, long, long, List, List)} for those).
   *
   * <p>Arrivals are appended to {@code arrivals} and trace events (DROP, DUP) to {@code trace},
   * in canonical segment order (original before duplicate) — not in arrival-time order; sort
   * with {@link Arrival#compare} if needed. Batches must be passed in time order: a segment sent
   * earlier than one of a previous batch is rejected, since the per-flow and per-link state has
   * already moved past it.
   *
   * @param sent the segments sent in the window, in any order; not modified
   * @throws IllegalArgumentException if {@code sent} goes back in time
   */
  public void transmit(List<Segment> sent, List<Arrival> arrivals, List<TraceEvent> trace) {
    transmit(sent, Long.MIN_VALUE, Long.MIN_VALUE, arrivals, trace);
  }

  /**
   * {@link #transmit(List, List, List)} for the window {@code [windowStart, windowEnd)}, which
   * also injects the RSTs of every reset fault due in the window (a SEND trace event for each,
   * and its arrival). The caller must run a window containing every time of {@link
   * FaultSchedule#wakeTimes()}, in order.
   *
   * @throws IllegalStateException if a reset fault's time lies before {@code windowStart} (a
   *     window that should have contained it was skipped)
   */
  public void transmit(List<Segment> sent, long windowStart, long windowEnd,
      List<Arrival> arrivals, List<TraceEvent> trace) {
    List<Segment> ordered = sent;
    if (!sent.isEmpty()) {
      ordered = new ArrayList<>(sent);
      ordered.sort(CANONICAL);
      long first = ordered.get(0).sentAt();
      if (first < clock)
        throw new IllegalArgumentException("segments must be transmitted in time order: got one"
            + " sent at " + first + " ns after one sent at " + clock + " ns");
    }
    for (Segment s : ordered) {
      // A reset at time T sees the segments sent before T, not those sent at T.
      while (resets != null && resets.nextAt() <= s.sentAt() && resets.nextAt() < windowEnd) {
        injectResets(windowStart, arrivals, trace);
      }
      boolean intact = transmitOne(s, arrivals, trace);
      if (resets != null) resets.observe(s, intact);
    }
    while (resets != null && resets.nextAt() < windowEnd) {
      injectResets(windowStart, arrivals, trace);
    }
    if (ordered.isEmpty()) return;
    clock = ordered.get(ordered.size() - 1).sentAt();
    pruneIdleQueues();
  }

  /** Injects the RSTs of the next reset fault (due in the window starting at windowStart). */
  private void injectResets(long windowStart, List<Arrival> arrivals, List<TraceEvent> trace) {
    if (resets.nextAt() < windowStart) {
      throw new IllegalStateException("the reset fault #" + resets.nextFault() + " at "
          + resets.nextAt() + " ns lies before the window starting at " + windowStart
          + " ns: the scheduler must wake at FaultSchedule.wakeTimes()");
    }
    int fault = resets.nextFault();
    for (Segment rst : resets.injectNext()) {
      stats.countSent();
      trace.add(TraceEvent.segment(TraceEvent.Kind.SEND, rst.sentAt(), rst.origin(),
          rst.emitIndex(), 0, rst, null));
      RandomStream r =
          new RandomStream(seed, RandomStream.mix(flowId(rst), rst.origin(), rst.emitIndex()));
      arrivals.add(new Arrival(rst.sentAt() + link(rst).latency().sample(r), rst, 0, false));
      stats.countArrival(false);
      stats.countFault(fault, NetworkStats.FaultCounts.RESETS);
    }
  }

  /** Returns whether a copy of the segment arrives uncorrupted. */
  private boolean transmitOne(Segment s, List<Arrival> arrivals, List<TraceEvent> trace) {
    stats.countSent();
    FaultHits hits = faultCursor == null ? null : matchFaults(s);
    if (hits != null && hits.dropper >= 0) {
      dropByFault(s, hits.dropper, hits.dropReason, trace);
      return false;
    }
    int group = groupWithLink(s.conn());
    LinkConfig link = link(s, group);
    RandomStream r = new RandomStream(seed, RandomStream.mix(flowId(s), s.origin(), s.emitIndex()));
    // Fixed draw order, all drawn whatever the configuration (see the class comment).
    double uState = r.nextDouble();
    double uLoss = r.nextDouble();
    double uReorder = r.nextDouble();
    double uCorrupt = r.nextDouble();
    double uDuplicate = r.nextDouble();
    double uDuplicateCorrupt = r.nextDouble();

    DropReason lost = loss(link.loss(), s, uState, uLoss);
    if (lost != null) {
      drop(s, lost, trace);
      return false;
    }
    if (hits != null) {
      int spike = hits.lossSpike();
      if (spike >= 0) {
        dropByFault(s, spike, DropReason.FAULT_LOSS, trace);
        return false;
      }
    }

    long departure = s.sentAt();
    Fault.Bandwidth cut = hits == null ? null : hits.cut;
    if (link.bandwidthBps() > 0 || cut != null) {
      departure = enqueue(s, link, group, cut);
      if (departure < 0) {
        if (cut != null) dropByFault(s, hits.cutFault, DropReason.FAULT_QUEUE_OVERFLOW, trace);
        else drop(s, DropReason.QUEUE_OVERFLOW, trace);
        return false;
      }
      if (cut != null) stats.countFault(hits.cutFault, NetworkStats.FaultCounts.DELAYED);
    }

    long arrival = departure + link.latency().sample(r);
    if (uReorder < link.reorderProbability()) arrival += link.reorderDelay();
    boolean corrupt = uCorrupt < link.corruptProbability();
    if (hits != null) {
      arrival += hits.extraDelay() + hits.reorderHold();
      corrupt |= hits.corrupts();
    }
    arrivals.add(new Arrival(arrival, s, 0, corrupt));
    stats.countArrival(corrupt);
    boolean intact = !corrupt;
    int copies = 1;

    if (uDuplicate < link.duplicateProbability()) {
      stats.countDuplicate();
      trace.add(TraceEvent.segment(TraceEvent.Kind.DUP, s.sentAt(), s.origin(), s.emitIndex(), 2,
          s, null));
      long copyArrival = departure + link.latency().sample(r);
      boolean copyCorrupt = uDuplicateCorrupt < link.corruptProbability();
      if (hits != null) {
        copyArrival += hits.extraDelay();
        copyCorrupt |= hits.corrupts();
      }
      arrivals.add(new Arrival(copyArrival, s, copies++, copyCorrupt));
      stats.countArrival(copyCorrupt);
      intact |= !copyCorrupt;
    }
    if (hits != null) {
      for (int k = 0; k < hits.n; k++) {
        if (!(hits.fault(k).effect() instanceof Fault.Duplicate d)) continue;
        RandomStream fr = hits.stream(k);
        if (!(fr.nextDouble() < d.probability())) continue;
        int index = hits.index[k];
        stats.countDuplicate();
        stats.countFault(index, NetworkStats.FaultCounts.DUPLICATED);
        trace.add(TraceEvent.segment(TraceEvent.Kind.DUP, s.sentAt(), s.origin(), s.emitIndex(),
            copies + 1, s, null));
        long copyArrival = departure + link.latency().sample(fr);
        boolean copyCorrupt = fr.nextDouble() < link.corruptProbability();
        copyArrival += hits.extraDelay();
        copyCorrupt |= hits.corrupts();
        arrivals.add(new Arrival(copyArrival, s, copies++, copyCorrupt));
        stats.countArrival(copyCorrupt);
        intact |= !copyCorrupt;
      }
    }
    return intact;
  }

  /** The faults that apply to {@code s} (active at its send time, target matching), or null. */
  private FaultHits matchFaults(Segment s) {
    int[] active = faultCursor.activeAt(s.sentAt());
    if (active.length == 0) return null;
    int[] matched = null;
    int n = 0;
    for (int i : active) {
      Fault f = faults.get(i);
      if (!f.target().matches(s.srcHost(), s.dstHost())) continue;
      if (f.effect() instanceof Fault.Filter rule && !rule.matches(s.flags(), s.len())) continue;
      if (matched == null) matched = new int[active.length];
      matched[n++] = i;
      stats.countFault(i, NetworkStats.FaultCounts.MATCHED);
    }
    return n == 0 ? null : new FaultHits(s, matched, n);
  }

  private void dropByFault(Segment s, int fault, DropReason reason, List<TraceEvent> trace) {
    stats.countFault(fault, NetworkStats.FaultCounts.DROPPED);
    drop(s, reason, trace);
  }

  /**
   * The faults that apply to one segment, and their random streams. Methods that apply to
   * copies ({@link #extraDelay}, {@link #corrupts}) are called once per copy, in copy order.
   */
  private final class FaultHits {
    final Segment segment;
    final int[] index;
    final int n;
    private final RandomStream[] streams;
    /** The first dropping fault (partition, blackhole, crash), or -1; and its reason. */
    int dropper = -1;
    DropReason dropReason;
    /** The bandwidth cut with the lowest rate, or null; and its index. */
    Fault.Bandwidth cut;
    int cutFault = -1;

    FaultHits(Segment segment, int[] index, int n) {
      this.segment = segment;
      this.index = index;
      this.n = n;
      this.streams = new RandomStream[n];
      for (int k = 0; k < n && dropper < 0; k++) {
        Fault.Effect e = fault(k).effect();
        if (e instanceof Fault.Partition) dropReason = DropReason.PARTITION;
        else if (e instanceof Fault.Blackhole) dropReason = DropReason.BLACKHOLE;
        else if (e instanceof Fault.Crash) dropReason = DropReason.HOST_DOWN;
        else if (e instanceof Fault.Filter) dropReason = DropReason.FILTERED;
        if (dropReason != null) dropper = index[k];
      }
      for (int k = 0; k < n; k++) {
        if (fault(k).effect() instanceof Fault.Bandwidth b
            && (cut == null || b.bitsPerSecond() < cut.bitsPerSecond())) {
          cut = b;
          cutFault = index[k];
        }
      }
    }

    Fault fault(int k) {
      return faults.get(index[k]);
    }

    /** The k-th matching fault's own stream for this segment. */
    RandomStream stream(int k) {
      if (streams[k] == null) {
        streams[k] = new RandomStream(seed, RandomStream.mix(flowId(segment), segment.origin(),
            segment.emitIndex(), FAULT_STREAM, index[k]));
      }
      return streams[k];
    }

    /** The index of the first loss fault that loses the segment, or -1. */
    int lossSpike() {
      for (int k = 0; k < n; k++) {
        if (fault(k).effect() instanceof Fault.Loss l && stream(k).nextDouble() < l.probability())
          return index[k];
      }
      return -1;
    }

    /** Extra delay of the next copy: every latency fault's, plus a draw per jitter fault. */
    long extraDelay() {
      long extra = 0;
      for (int k = 0; k < n; k++) {
        long d = 0;
        Fault.Effect e = fault(k).effect();
        if (e instanceof Fault.Latency l) d = l.extra();
        else if (e instanceof Fault.Jitter j) d = jitter(stream(k).nextDouble(), j.max());
        if (d > 0) {
          extra += d;
          stats.countFault(index[k], NetworkStats.FaultCounts.DELAYED);
        }
      }
      return extra;
    }

    /** The hold of the original by reorder faults (copies are never reordered). */
    long reorderHold() {
      long hold = 0;
      for (int k = 0; k < n; k++) {
        if (fault(k).effect() instanceof Fault.Reorder o
            && stream(k).nextDouble() < o.probability() && o.delay() > 0) {
          hold += o.delay();
          stats.countFault(index[k], NetworkStats.FaultCounts.DELAYED);
        }
      }
      return hold;
    }

    /** Whether a corrupt fault damages the next copy (one draw per corrupt fault). */
    boolean corrupts() {
      boolean corrupt = false;
      for (int k = 0; k < n; k++) {
        if (fault(k).effect() instanceof Fault.Corrupt c
            && stream(k).nextDouble() < c.probability()) {
          corrupt = true;
          stats.countFault(index[k], NetworkStats.FaultCounts.CORRUPTED);
        }
      }
      return corrupt;
    }
  }

  /** A uniform integer in 0..max from a uniform double in [0, 1). */
  static long jitter(double u, long max) {
    return Math.min(max, (long) (u * (max + 1.0)));
  }

  /** The reason the segment is lost, or null if it is not; advances the flow's GE chain. */
  private DropReason loss(LossModel model, Segment s, double uState, double uLoss) {
    if (model instanceof LossModel.Bernoulli b) {
      return uLoss < b.p() ? DropReason.LOSS : null;
    }
    if (model instanceof LossModel.GilbertElliott ge) {
      // Only Bad flows are stored: a flow absent from the set is Good, the chain's start state.
      // The segment sees the current state, then the chain moves (once per segment).
      Flow flow = new Flow(s.srcHost(), s.srcPort(), s.dstHost(), s.dstPort());
      boolean bad = badFlows.contains(flow);
      boolean lost = uLoss < (bad ? ge.lossInBad() : ge.lossInGood());
      boolean nextBad = ge.next(bad, uState);
      if (nextBad && !bad) badFlows.add(flow);
      if (!nextBad && bad) badFlows.remove(flow);
      if (!lost) return null;
      return bad ? DropReason.BURST_LOSS : DropReason.LOSS;
    }
    return null;
  }

  private void drop(Segment s, DropReason reason, List<TraceEvent> trace) {
    stats.countDrop(reason);
    trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, s.sentAt(), s.origin(), s.emitIndex(), 1,
        s, reason));
  }

  /**
   * Puts the segment through its bottleneck — its host pair's, or, on a group's own link, the
   * group's share of that pair — and returns the time its last bit leaves, or -1 if dropped.
   */
  private long enqueue(Segment s, LinkConfig link, int group, Fault.Bandwidth cut) {
    long rate = link.bandwidthBps();
    long limit = link.queueLimitBytes();
    if (cut != null) { // the same queue, drained more slowly while the cut lasts
      rate = rate > 0 ? Math.min(rate, cut.bitsPerSecond()) : cut.bitsPerSecond();
      if (cut.queueLimitBytes() != Fault.Bandwidth.LINK_QUEUE) limit = cut.queueLimitBytes();
    }
    QueueKey key = new QueueKey(s.srcHost(), s.dstHost(), group);
    Bottleneck q = queues.computeIfAbsent(key, k -> new Bottleneck());
    long now = s.sentAt();
    q.release(now);
    long bytes = (long) s.len() + HEADER_BYTES;
    if (limit > 0 && q.backlog + bytes > limit) return -1;
    long start = Math.max(now, q.busyUntil);
    long done = start + serializationNanos(bytes, rate);
    q.busyUntil = done;
    if (limit > 0) q.push(done, bytes);
    return done;
  }

  /**
   * Forgets bottlenecks that are idle at the current time (an idle queue behaves exactly like a
   * new one), so that many short-lived host pairs do not accumulate. Runs only when the map has
   * doubled since the last pruning, so it costs O(1) amortised per segment.
   */
  private void pruneIdleQueues() {
    if (queues.size() <= pruneAt) return;
    long now = clock;
    queues.values().removeIf(q -> q.busyUntil <= now);
    pruneAt = Math.max(1024, 2 * queues.size());
  }

  private static long pairKey(int srcHost, int dstHost) {
    return ((long) srcHost << 32) | (dstHost & 0xFFFFFFFFL);
  }

  /**
   * The FIFO in front of a bandwidth-limited link: when the link is next free, and (only when
   * the queue has a byte limit) the segments not yet fully serialized, as (finish time, bytes)
   * in a ring buffer.
   */
  private static final class Bottleneck {
    long busyUntil = Long.MIN_VALUE;
    long backlog;
    long[] finish = new long[8];
    long[] bytes = new long[8];
    int head;
    int size;

    /** Removes the segments whose last bit has left by {@code now}. */
    void release(long now) {
      while (size > 0 && finish[head] <= now) {
        backlog -= bytes[head];
        head = (head + 1) % finish.length;
        size--;
      }
    }

    void push(long done, long n) {
      if (size == finish.length) grow();
      int tail = (head + size) % finish.length;
      finish[tail] = done;
      bytes[tail] = n;
      size++;
      backlog += n;
    }

    private void grow() {
      long[] f = new long[finish.length * 2];
      long[] b = new long[bytes.length * 2];
      for (int i = 0; i < size; i++) {
        f[i] = finish[(head + i) % finish.length];
        b[i] = bytes[(head + i) % bytes.length];
      }
      finish = f;
      bytes = b;
      head = 0;
    }
  }
}
