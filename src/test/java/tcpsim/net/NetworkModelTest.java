package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.Segments.MS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

class NetworkModelTest {
  /** A link that does everything at once, with a queue small enough to overflow. */
  static final LinkConfig EVERYTHING = LinkConfig.ideal(LatencyModel.normal(20 * MS, 5 * MS, 2 * MS))
      .withLoss(LossModel.gilbertElliott(0.05, 0.3, 0.01, 0.8))
      .withDuplicate(0.05)
      .withReorder(0.1, 30 * MS)
      .withCorrupt(0.05)
      .withBandwidth(10_000_000, 30_000);

  record Result(List<Arrival> arrivals, List<TraceEvent> trace) {}

  static Result run(NetworkModel net, List<Segment> segments) {
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(segments, arrivals, trace);
    return new Result(arrivals, trace);
  }

  /** Several flows over several host pairs, bursty enough to fill the queues. */
  static List<Segment> workload() {
    List<Segment> out = new ArrayList<>();
    long origin = 100;
    for (int src = 0; src < 4; src++) {
      for (int dst = 4; dst < 6; dst++) {
        origin++;
        for (int i = 0; i < 400; i++) {
          long t = (i / 4) * 500_000L + (src == 0 ? 0 : 1000L * dst); // groups of 4 at equal time
          out.add(Segments.data(src, dst, origin, i, t, i % 3 == 0 ? 0 : 1460));
        }
      }
    }
    return out;
  }

  @Test
  void sameSeedGivesIdenticalResultsAndDifferentSeedDiffers() {
    Result a = run(new NetworkModel(7, EVERYTHING), workload());
    Result b = run(new NetworkModel(7, EVERYTHING), workload());
    assertEquals(a, b);
    Result c = run(new NetworkModel(8, EVERYTHING), workload());
    assertNotEquals(a.arrivals(), c.arrivals());
    assertNotEquals(a.trace(), c.trace());
  }

  @Test
  void resultDoesNotDependOnTheOrderOfTheInput() {
    Result reference = run(new NetworkModel(11, EVERYTHING), workload());
    for (long shuffleSeed = 1; shuffleSeed <= 5; shuffleSeed++) {
      List<Segment> shuffled = workload();
      Collections.shuffle(shuffled, new Random(shuffleSeed)); // only to scramble the test input
      assertEquals(reference, run(new NetworkModel(11, EVERYTHING), shuffled));
    }
    List<Segment> reversed = workload();
    Collections.reverse(reversed);
    assertEquals(reference, run(new NetworkModel(11, EVERYTHING), reversed));
  }

  /** State (Gilbert-Elliott, queues) carries from one window to the next exactly as in one batch. */
  @Test
  void consecutiveWindowsGiveTheSameResultAsOneBatch() {
    List<Segment> all = workload();
    Result whole = run(new NetworkModel(5, EVERYTHING), all);

    NetworkModel net = new NetworkModel(5, EVERYTHING);
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    long window = 2 * MS;
    for (long start = 0; start < 60 * MS; start += window) {
      List<Segment> batch = new ArrayList<>();
      for (Segment s : all) if (s.sentAt() >= start && s.sentAt() < start + window) batch.add(s);
      net.transmit(batch, arrivals, trace);
    }
    assertEquals(all.size(), net.stats().sent());
    assertEquals(whole, new Result(arrivals, trace));
  }

  @Test
  void rejectsABatchThatGoesBackInTime() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(MS));
    net.transmit(List.of(Segments.data(0, 1, 1, 0, 10 * MS, 0)), new ArrayList<>(),
        new ArrayList<>());
    net.transmit(List.of(Segments.data(0, 1, 1, 1, 10 * MS, 0)), new ArrayList<>(),
        new ArrayList<>()); // same time is fine
    assertThrows(IllegalArgumentException.class, () -> net.transmit(
        List.of(Segments.data(0, 1, 1, 2, 9 * MS, 0)), new ArrayList<>(), new ArrayList<>()));
  }

  @Test
  void everySegmentIsAccountedForAndEveryDropHasAReason() {
    NetworkModel net = new NetworkModel(3, EVERYTHING);
    List<Segment> segments = workload();
    Result r = run(net, segments);
    NetworkStats st = net.stats();

    List<TraceEvent> drops = new ArrayList<>();
    List<TraceEvent> dups = new ArrayList<>();
    for (TraceEvent e : r.trace()) {
      if (e.kind() == TraceEvent.Kind.DROP) drops.add(e);
      else if (e.kind() == TraceEvent.Kind.DUP) dups.add(e);
      else throw new AssertionError("unexpected event " + e);
    }
    // The lists balance: sent + duplicated = arrivals + drops.
    assertEquals(segments.size() + dups.size(), r.arrivals().size() + drops.size());
    // ... and so do the counters, which agree with the lists.
    assertTrue(st.balanced(), st.toString());
    assertEquals(segments.size(), st.sent());
    assertEquals(r.arrivals().size(), st.arrivals());
    assertEquals(dups.size(), st.duplicated());
    assertEquals(drops.size(), st.droppedTotal());
    assertEquals(r.arrivals().stream().filter(Arrival::corrupt).count(), st.corrupted());

    Map<DropReason, Integer> byReason = new HashMap<>();
    for (TraceEvent e : drops) {
      assertNotNull(e.reason(), "drop without a reason: " + e);
      assertEquals(1, e.sub());
      byReason.merge(e.reason(), 1, Integer::sum);
    }
    for (DropReason reason : DropReason.values())
      assertEquals(byReason.getOrDefault(reason, 0).longValue(), st.dropped(reason), reason.name());
    // This workload exercises all three kinds of network drop.
    assertTrue(st.dropped(DropReason.LOSS) > 0);
    assertTrue(st.dropped(DropReason.BURST_LOSS) > 0);
    assertTrue(st.dropped(DropReason.QUEUE_OVERFLOW) > 0);
    assertTrue(st.duplicated() > 0 && st.corrupted() > 0);

    // Each segment is either dropped once or arrives (once or twice), never both.
    Set<Long> dropped = new HashSet<>();
    for (TraceEvent e : drops) assertTrue(dropped.add(key(e.origin(), e.index())));
    for (Arrival a : r.arrivals())
      assertFalse(dropped.contains(key(a.segment().origin(), a.segment().emitIndex())));
  }

  private static long key(long origin, int index) {
    return origin * 1_000_000L + index;
  }

  @Test
  void arrivalsNeverBeatTheMinimumLatency() {
    List<LatencyModel> models = List.of(LatencyModel.constant(3 * MS),
        LatencyModel.uniform(2 * MS, 9 * MS), LatencyModel.normal(5 * MS, 4 * MS, 1 * MS),
        LatencyModel.pareto(4 * MS, 1.5, 200 * MS));
    for (LatencyModel m : models) {
      NetworkModel net = new NetworkModel(17, EVERYTHING.withLatency(m).withDuplicate(0.3));
      assertEquals(m.minimum(), net.lookahead());
      Result r = run(net, workload());
      for (Arrival a : r.arrivals())
        assertTrue(a.time() >= a.segment().sentAt() + m.minimum(), m + ": " + a);
    }
  }

  @Test
  void duplicationMakesCopyOneArrivalsAndDupEvents() {
    LinkConfig link = LinkConfig.ideal(LatencyModel.uniform(5 * MS, 6 * MS)).withDuplicate(1.0);
    NetworkModel net = new NetworkModel(2, link);
    List<Segment> segments = Segments.flow(0, 1, 9, 50, MS, 100);
    Result r = run(net, segments);

    assertEquals(100, r.arrivals().size());
    assertEquals(50, r.trace().size());
    for (int i = 0; i < 50; i++) {
      Arrival original = r.arrivals().get(2 * i);
      Arrival copy = r.arrivals().get(2 * i + 1);
      assertSame(segments.get(i), original.segment());
      assertSame(segments.get(i), copy.segment());
      assertEquals(0, original.copy());
      assertEquals(1, copy.copy());
      assertTrue(copy.time() >= segments.get(i).sentAt() + 5 * MS);
      TraceEvent dup = r.trace().get(i);
      assertEquals(TraceEvent.Kind.DUP, dup.kind());
      assertEquals(segments.get(i).sentAt(), dup.t());
      assertEquals(9, dup.origin());
      assertEquals(i, dup.index());
      assertEquals(2, dup.sub());
    }
    // The copy has its own latency sample: with 1 ms of jitter they should not all coincide.
    long differ = 0;
    for (int i = 0; i < 50; i++)
      if (r.arrivals().get(2 * i).time() != r.arrivals().get(2 * i + 1).time()) differ++;
    assertTrue(differ > 40);
    assertEquals(50, net.stats().duplicated());
    assertTrue(net.stats().balanced());
  }

  @Test
  void corruptionFlagsArrivalsWithoutDropping() {
    NetworkModel all = new NetworkModel(4, LinkConfig.ideal(MS).withCorrupt(1.0));
    Result r = run(all, Segments.flow(0, 1, 1, 100, MS, 10));
    assertEquals(100, r.arrivals().size());
    assertTrue(r.arrivals().stream().allMatch(Arrival::corrupt));
    assertTrue(r.trace().isEmpty(), "the receiver, not the network, traces checksum drops");
    assertEquals(100, all.stats().corrupted());
    assertEquals(0, all.stats().droppedTotal());

    NetworkModel some = new NetworkModel(4, LinkConfig.ideal(MS).withCorrupt(0.2));
    int n = 20_000;
    long corrupt = run(some, Segments.flow(0, 1, 1, n, 1000, 10)).arrivals().stream()
        .filter(Arrival::corrupt).count();
    assertEquals(0.2 * n, corrupt, 5 * Math.sqrt(n * 0.2 * 0.8));

    NetworkModel none = new NetworkModel(4, LinkConfig.ideal(MS));
    assertTrue(run(none, Segments.flow(0, 1, 1, 100, MS, 10)).arrivals().stream()
        .noneMatch(Arrival::corrupt));
  }

  @Test
  void reorderedSegmentsAreHeldBackAndOvertaken() {
    LinkConfig link = LinkConfig.ideal(10 * MS).withReorder(0.25, 5 * MS);
    NetworkModel net = new NetworkModel(6, link);
    int n = 2000;
    List<Segment> segments = Segments.flow(0, 1, 1, n, MS, 100);
    Result r = run(net, segments);
    int held = 0;
    for (Arrival a : r.arrivals()) {
      long delay = a.time() - a.segment().sentAt();
      assertTrue(delay == 10 * MS || delay == 15 * MS, "delay " + delay);
      if (delay == 15 * MS) held++;
    }
    assertEquals(0.25 * n, held, 5 * Math.sqrt(n * 0.25 * 0.75));
    // Sorted by arrival time, the segments are no longer in send order.
    List<Arrival> byTime = new ArrayList<>(r.arrivals());
    byTime.sort(Arrival::compare);
    int inversions = 0;
    for (int i = 1; i < byTime.size(); i++)
      if (byTime.get(i).segment().emitIndex() < byTime.get(i - 1).segment().emitIndex())
        inversions++;
    assertTrue(inversions > 0.1 * n, "only " + inversions + " overtakes");
  }

  /**
   * The per-segment stream is consumed in a fixed order, so switching on duplication and
   * corruption does not change which segments are lost or the original copies' arrival times.
   */
  @Test
  void unrelatedSettingsDoNotDisturbLossOrLatency() {
    LinkConfig base = LinkConfig.ideal(LatencyModel.normal(20 * MS, 5 * MS, 2 * MS))
        .withLoss(LossModel.bernoulli(0.1));
    List<Segment> segments = Segments.flow(0, 1, 1, 5000, MS, 100);
    Result plain = run(new NetworkModel(8, base), segments);
    Result extra = run(new NetworkModel(8, base.withDuplicate(0.5).withCorrupt(0.5)), segments);
    assertEquals(drops(plain), drops(extra));
    List<Long> plainTimes = plain.arrivals().stream().map(Arrival::time).toList();
    List<Long> extraTimes =
        extra.arrivals().stream().filter(a -> a.copy() == 0).map(Arrival::time).toList();
    assertEquals(plainTimes, extraTimes);
  }

  private static List<TraceEvent> drops(Result r) {
    return r.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.DROP).toList();
  }

  @Test
  void overridesApplyPerDirectionAndLookaheadIsTheSmallestMinimum() {
    LinkConfig slow = LinkConfig.ideal(50 * MS);
    NetworkModel net = NetworkModel.builder(1, slow)
        .link(0, 1, LinkConfig.ideal(LatencyModel.uniform(3 * MS, 4 * MS)))
        .linkBothWays(2, 3, LinkConfig.ideal(LatencyModel.pareto(7 * MS, 2, 90 * MS)))
        .build();
    assertEquals(3 * MS, net.lookahead());
    assertEquals(3 * MS, net.link(0, 1).latency().minimum());
    assertSame(slow, net.link(1, 0));
    assertEquals(net.link(2, 3), net.link(3, 2));
    assertEquals(7 * MS, net.link(3, 2).latency().minimum());

    Result r = run(net, List.of(Segments.data(0, 1, 1, 0, 0, 0), Segments.data(1, 0, 2, 0, 0, 0)));
    assertEquals(2, r.arrivals().size());
    for (Arrival a : r.arrivals()) {
      if (a.segment().srcHost() == 0) assertTrue(a.time() <= 4 * MS);
      else assertEquals(50 * MS, a.time());
    }
    assertEquals(50 * MS, new NetworkModel(1, slow).lookahead());
  }

  @Test
  void aGroupLinkWinsOverThePairLinkForItsConnectionsOnly() {
    // Groups: 0 owns connections 0..9 (no link of its own), 1 owns 10..19 (5 ms), end = 20.
    NetworkModel net = NetworkModel.builder(1, LinkConfig.ideal(50 * MS))
        .link(0, 1, LinkConfig.ideal(20 * MS))
        .groupLinks(new int[] {0, 10, 20},
            new LinkConfig[] {null, LinkConfig.ideal(5 * MS).withLoss(LossModel.bernoulli(1))})
        .build();
    assertEquals(5 * MS, net.lookahead());
    List<Segment> segments = new ArrayList<>();
    int index = 0;
    for (int conn : new int[] {0, 9, 10, 19, 20, -1}) {
      Segment d = Segments.data(0, 1, 7, index++, 0, 0);
      segments.add(new Segment(d.srcHost(), d.srcPort(), d.dstHost(), d.dstPort(), d.seq(),
          d.ack(), d.flags(), d.window(), d.len(), false, conn, d.origin(), d.emitIndex(), 0));
    }
    Result r = run(net, segments);
    // Group 1's connections (10, 19) take its lossy link; the rest the 0 -> 1 pair link.
    assertEquals(List.of(10, 19), drops(r).stream().map(e -> e.conn()).toList());
    assertEquals(List.of(0, 9, 20, -1),
        r.arrivals().stream().map(a -> a.segment().conn()).toList());
    for (Arrival a : r.arrivals()) assertEquals(20 * MS, a.time());
  }

  @Test
  void linkConfigValidatesItsRanges() {
    LinkConfig ok = LinkConfig.ideal(MS);
    assertThrows(IllegalArgumentException.class, () -> ok.withDuplicate(1.5));
    assertThrows(IllegalArgumentException.class, () -> ok.withCorrupt(-0.1));
    assertThrows(IllegalArgumentException.class, () -> ok.withReorder(Double.NaN, MS));
    assertThrows(IllegalArgumentException.class, () -> ok.withReorder(0.5, -1));
    assertThrows(IllegalArgumentException.class, () -> ok.withBandwidth(-1, 0));
    assertThrows(IllegalArgumentException.class, () -> ok.withBandwidth(1000, -1));
    assertThrows(IllegalArgumentException.class, () -> LossModel.bernoulli(2));
    assertThrows(IllegalArgumentException.class,
        () -> LossModel.gilbertElliott(0.1, 1.1, 0, 1));
    assertThrows(NullPointerException.class, () -> ok.withLoss(null));
    assertThrows(IllegalArgumentException.class, () -> LinkConfig.ideal(0));
  }
}
