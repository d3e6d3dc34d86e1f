package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.Segments.MS;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tcpsim.net.NetworkModelTest.Result;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

/**
 * Each fault kind changes exactly what it should, for exactly the segments sent in [at, until):
 * probes are sent just before {@code at}, at {@code at}, just before {@code until} and at
 * {@code until}; only the middle two are affected.
 */
class NetworkFaultsTest {
  static final long AT = 100 * MS;
  static final long UNTIL = 200 * MS;
  static final long LATENCY = 10 * MS;
  /** Send times of the probes, and whether each lies in [AT, UNTIL). */
  static final long[] TIMES = {AT - 1, AT, UNTIL - 1, UNTIL};
  static final boolean[] INSIDE = {false, true, true, false};

  static NetworkModel model(LinkConfig link, Fault... faults) {
    return NetworkModel.builder(7, link).faults(new FaultSchedule(List.of(faults))).build();
  }

  static NetworkModel model(Fault... faults) {
    return model(LinkConfig.ideal(LATENCY), faults);
  }

  static Fault during(Fault.Target target, Fault.Effect effect) {
    return new Fault(AT, UNTIL, target, effect);
  }

  /** One probe from {@code src} to {@code dst} at each of {@link #TIMES}, emit index = position. */
  static List<Segment> probes(int src, int dst, long origin) {
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < TIMES.length; i++) out.add(Segments.data(src, dst, origin, i, TIMES[i], 100));
    return out;
  }

  static Result run(NetworkModel net, List<Segment> segments) {
    return NetworkModelTest.run(net, segments);
  }

  @SafeVarargs
  static List<Segment> all(List<Segment>... parts) {
    List<Segment> out = new ArrayList<>();
    for (List<Segment> p : parts) out.addAll(p);
    return out;
  }

  static List<Arrival> arrivalsOf(Result r, long origin, int index) {
    return r.arrivals().stream()
        .filter(a -> a.segment().origin() == origin && a.segment().emitIndex() == index).toList();
  }

  static List<TraceEvent> events(Result r, TraceEvent.Kind kind, long origin, int index) {
    return r.trace().stream()
        .filter(e -> e.kind() == kind && e.origin() == origin && e.index() == index).toList();
  }

  /** The probes of {@code origin} inside [AT, UNTIL) are dropped for {@code reason}, the others arrive. */
  static void assertDroppedExactlyInside(Result r, long origin, DropReason reason) {
    for (int i = 0; i < TIMES.length; i++) {
      List<TraceEvent> drops = events(r, TraceEvent.Kind.DROP, origin, i);
      List<Arrival> arrivals = arrivalsOf(r, origin, i);
      if (INSIDE[i]) {
        assertEquals(1, drops.size(), "probe sent at " + TIMES[i] + " should be dropped");
        assertEquals(reason, drops.get(0).reason());
        assertEquals(TIMES[i], drops.get(0).t());
        assertTrue(arrivals.isEmpty());
      } else {
        assertTrue(drops.isEmpty(), "probe sent at " + TIMES[i] + " should not be dropped");
        assertEquals(1, arrivals.size());
        assertEquals(TIMES[i] + LATENCY, arrivals.get(0).time());
      }
    }
  }

  static void assertUntouched(Result r, long origin) {
    for (int i = 0; i < TIMES.length; i++) {
      assertTrue(events(r, TraceEvent.Kind.DROP, origin, i).isEmpty());
      List<Arrival> arrivals = arrivalsOf(r, origin, i);
      assertEquals(1, arrivals.size());
      assertEquals(TIMES[i] + LATENCY, arrivals.get(0).time());
      assertFalse(arrivals.get(0).corrupt());
    }
  }

  // --- drops -------------------------------------------------------------------------------

  @Test
  void partition_dropsBothDirectionsBetweenItsHosts_sentInAtUntil() {
    NetworkModel net = model(during(new Fault.Between(0, 1), new Fault.Partition()));
    Result r = run(net, all(probes(0, 1, 10), probes(1, 0, 11), probes(2, 1, 12)));
    assertDroppedExactlyInside(r, 10, DropReason.PARTITION);
    assertDroppedExactlyInside(r, 11, DropReason.PARTITION);
    assertUntouched(r, 12);
    assertEquals(4, net.stats().dropped(DropReason.PARTITION));
    assertEquals(new NetworkStats.FaultCounts(4, 4, 0, 0, 0, 0), net.stats().fault(0));
    assertTrue(net.stats().balanced());
  }

  @Test
  void blackhole_dropsOneDirectionOnly() {
    NetworkModel net = model(during(new Fault.FromTo(0, 1), new Fault.Blackhole()));
    Result r = run(net, all(probes(0, 1, 10), probes(1, 0, 11)));
    assertDroppedExactlyInside(r, 10, DropReason.BLACKHOLE);
    assertUntouched(r, 11);
    assertEquals(new NetworkStats.FaultCounts(2, 2, 0, 0, 0, 0), net.stats().fault(0));
  }

  @Test
  void crash_dropsEverySegmentFromOrToTheHost_andExposesItsInterval() {
    Fault crash = during(new Fault.Host(1), new Fault.Crash());
    NetworkModel net = model(crash);
    Result r = run(net, all(probes(0, 1, 10), probes(1, 2, 11), probes(0, 2, 12)));
    assertDroppedExactlyInside(r, 10, DropReason.HOST_DOWN);
    assertDroppedExactlyInside(r, 11, DropReason.HOST_DOWN);
    assertUntouched(r, 12);

    FaultSchedule schedule = new FaultSchedule(List.of(crash));
    assertEquals(List.of(new FaultSchedule.Interval(AT, UNTIL)), schedule.crashesOf(1));
    assertEquals(List.of(), schedule.crashesOf(0));
    assertFalse(schedule.isDown(1, AT - 1));
    assertTrue(schedule.isDown(1, AT));
    assertTrue(schedule.isDown(1, UNTIL - 1));
    assertFalse(schedule.isDown(1, UNTIL));
  }

  @Test
  void overlappingCrashesOfOneHost_areRejected_adjacentOnesAreNot() {
    Fault first = during(new Fault.Host(1), new Fault.Crash());
    Fault overlapping = new Fault(UNTIL - 1, UNTIL + 5, new Fault.Host(1), new Fault.Crash());
    Fault adjacent = new Fault(UNTIL, UNTIL + 5, new Fault.Host(1), new Fault.Crash());
    assertThrows(IllegalArgumentException.class,
        () -> new FaultSchedule(List.of(first, overlapping)));
    assertEquals(2, new FaultSchedule(List.of(adjacent, first)).crashesOf(1).size());
    assertEquals(AT, new FaultSchedule(List.of(adjacent, first)).crashesOf(1).get(0).at());
  }

  @Test
  void faultRecords_checkTheirTargetsAndTimes() {
    assertThrows(IllegalArgumentException.class,
        () -> new Fault(AT, UNTIL, new Fault.All(), new Fault.Crash()));
    assertThrows(IllegalArgumentException.class,
        () -> new Fault(AT, UNTIL, new Fault.Between(0, 1), new Fault.Blackhole()));
    assertThrows(IllegalArgumentException.class,
        () -> new Fault(AT, UNTIL, new Fault.FromTo(0, 1), new Fault.Partition()));
    assertThrows(IllegalArgumentException.class,
        () -> new Fault(AT, AT, new Fault.All(), new Fault.Partition()));
    assertThrows(IllegalArgumentException.class,
        () -> new Fault(AT, UNTIL, new Fault.All(), new Fault.Reset(Fault.ResetSeq.EXACT)));
    assertThrows(IllegalArgumentException.class, () -> new Fault.Loss(1.5));
  }

  @Test
  void lossSpikeOfOne_losesExactlyTheSegmentsSentDuringIt() {
    NetworkModel net = model(during(new Fault.All(), new Fault.Loss(1)));
    Result r = run(net, probes(0, 1, 10));
    assertDroppedExactlyInside(r, 10, DropReason.FAULT_LOSS);
    assertEquals(new NetworkStats.FaultCounts(2, 2, 0, 0, 0, 0), net.stats().fault(0));
  }

  @Test
  void lossSpike_losesItsShare_andTheLinkLossStillApplies() {
    LinkConfig lossy = LinkConfig.ideal(LATENCY).withLoss(LossModel.bernoulli(0.1));
    NetworkModel net = model(lossy, new Fault(0, UNTIL, new Fault.All(), new Fault.Loss(0.5)));
    List<Segment> segments = Segments.flow(0, 1, 10, 10_000, 10_000, 100); // all in [0, 100 ms)
    run(net, segments);
    NetworkStats st = net.stats();
    assertEquals(1000, st.dropped(DropReason.LOSS), 150); // the link first: 10%
    assertEquals(4500, st.dropped(DropReason.FAULT_LOSS), 250); // then half of the other 90%
    assertEquals(st.dropped(DropReason.FAULT_LOSS), st.fault(0).dropped());
    assertEquals(10_000, st.fault(0).matched());
    assertTrue(st.balanced());
  }

  // --- delays ------------------------------------------------------------------------------

  @Test
  void latency_delaysTheSegmentsSentDuringIt_byItsExtra() {
    NetworkModel net = model(during(new Fault.FromTo(0, 1), new Fault.Latency(50 * MS)));
    Result r = run(net, all(probes(0, 1, 10), probes(1, 0, 11)));
    for (int i = 0; i < TIMES.length; i++) {
      long expected = TIMES[i] + LATENCY + (INSIDE[i] ? 50 * MS : 0);
      assertEquals(expected, arrivalsOf(r, 10, i).get(0).time(), "probe " + i);
    }
    assertUntouched(r, 11);
    assertEquals(new NetworkStats.FaultCounts(2, 0, 2, 0, 0, 0), net.stats().fault(0));
  }

  @Test
  void jitter_addsAUniformDelayFromZeroToItsMaximum() {
    long max = 5 * MS;
    NetworkModel net = model(during(new Fault.All(), new Fault.Jitter(max)));
    List<Segment> segments = new ArrayList<>(probes(0, 1, 10));
    for (int i = 0; i < 2000; i++) segments.add(Segments.data(0, 1, 20, i, AT + i * 10_000, 100));
    Result r = run(net, segments);
    assertEquals(TIMES[0] + LATENCY, arrivalsOf(r, 10, 0).get(0).time());
    assertEquals(TIMES[3] + LATENCY, arrivalsOf(r, 10, 3).get(0).time());
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Arrival a : r.arrivals()) {
      if (a.segment().origin() != 20) continue;
      long extra = a.time() - a.segment().sentAt() - LATENCY;
      assertTrue(extra >= 0 && extra <= max, "extra " + extra);
      lo = Math.min(lo, extra);
      hi = Math.max(hi, extra);
    }
    assertTrue(lo < max / 50 && hi > max - max / 50, "spread " + lo + ".." + hi);
    assertEquals(0, NetworkModel.jitter(0, max));
    assertEquals(max, NetworkModel.jitter(Math.nextDown(1.0), max));
  }

  @Test
  void reorderOfOne_holdsBackTheSegmentsSentDuringIt_byItsDelay() {
    NetworkModel net = model(during(new Fault.All(), new Fault.Reorder(1, 30 * MS)));
    Result r = run(net, probes(0, 1, 10));
    for (int i = 0; i < TIMES.length; i++) {
      long expected = TIMES[i] + LATENCY + (INSIDE[i] ? 30 * MS : 0);
      assertEquals(expected, arrivalsOf(r, 10, i).get(0).time(), "probe " + i);
    }
    assertEquals(2, net.stats().fault(0).delayed());
  }

  @Test
  void bandwidthCut_serializesAtTheCutRate_andOverflowsItsQueue() {
    // (1460 + 40) bytes at 1 Mbit/s: 12 ms each; a queue of 3000 bytes holds two.
    NetworkModel net = model(during(new Fault.All(), new Fault.Bandwidth(1_000_000, 3000)));
    List<Segment> segments = new ArrayList<>();
    for (int i = 0; i < TIMES.length; i++) segments.add(Segments.data(0, 1, 10, i, TIMES[i], 1460));
    for (int i = 0; i < 3; i++) segments.add(Segments.data(0, 1, 20, i, AT + 50 * MS, 1460));
    Result r = run(net, segments);
    assertEquals(TIMES[0] + LATENCY, arrivalsOf(r, 10, 0).get(0).time());
    assertEquals(AT + 12 * MS + LATENCY, arrivalsOf(r, 10, 1).get(0).time());
    assertEquals(UNTIL - 1 + 12 * MS + LATENCY, arrivalsOf(r, 10, 2).get(0).time());
    assertEquals(UNTIL + LATENCY, arrivalsOf(r, 10, 3).get(0).time()); // the cut is over
    assertEquals(AT + 62 * MS + LATENCY, arrivalsOf(r, 20, 0).get(0).time());
    assertEquals(AT + 74 * MS + LATENCY, arrivalsOf(r, 20, 1).get(0).time());
    assertEquals(DropReason.FAULT_QUEUE_OVERFLOW, events(r, TraceEvent.Kind.DROP, 20, 2).get(0).reason());
    assertEquals(new NetworkStats.FaultCounts(5, 1, 4, 0, 0, 0), net.stats().fault(0));
  }

  @Test
  void bandwidthCut_keepsALowerLinkRate() {
    LinkConfig slow = LinkConfig.ideal(LATENCY).withBandwidth(500_000, 0); // 24 ms per segment
    NetworkModel net = model(slow, during(new Fault.All(), new Fault.Bandwidth(1_000_000,
        Fault.Bandwidth.LINK_QUEUE)));
    Result r = run(net, List.of(Segments.data(0, 1, 10, 0, AT, 1460)));
    assertEquals(AT + 24 * MS + LATENCY, r.arrivals().get(0).time());
  }

  // --- copies ------------------------------------------------------------------------------

  @Test
  void duplicateOfOne_addsACopy_toTheSegmentsSentDuringIt() {
    NetworkModel net = model(during(new Fault.All(), new Fault.Duplicate(1)));
    Result r = run(net, probes(0, 1, 10));
    for (int i = 0; i < TIMES.length; i++) {
      List<Arrival> arrivals = arrivalsOf(r, 10, i);
      List<TraceEvent> dups = events(r, TraceEvent.Kind.DUP, 10, i);
      if (INSIDE[i]) {
        assertEquals(2, arrivals.size());
        assertEquals(1, arrivals.get(1).copy());
        assertEquals(TIMES[i] + LATENCY, arrivals.get(1).time());
        assertEquals(1, dups.size());
        assertEquals(2, dups.get(0).sub());
        assertEquals(TIMES[i], dups.get(0).t());
      } else {
        assertEquals(1, arrivals.size());
        assertTrue(dups.isEmpty());
      }
    }
    assertEquals(2, net.stats().duplicated());
    assertEquals(2, net.stats().fault(0).duplicated());
    assertTrue(net.stats().balanced());
  }

  @Test
  void faultCopiesAreNumberedAfterTheLinksCopy() {
    LinkConfig dup = LinkConfig.ideal(LATENCY).withDuplicate(1);
    NetworkModel net = model(dup, during(new Fault.All(), new Fault.Duplicate(1)));
    Result r = run(net, List.of(Segments.data(0, 1, 10, 0, AT, 100)));
    assertEquals(List.of(0, 1, 2), r.arrivals().stream().map(Arrival::copy).toList());
    assertEquals(List.of(2, 3), r.trace().stream().map(TraceEvent::sub).toList());
  }

  @Test
  void corruptOfOne_damagesTheCopiesSentDuringIt() {
    NetworkModel net = model(during(new Fault.All(), new Fault.Corrupt(1)));
    Result r = run(net, probes(0, 1, 10));
    for (int i = 0; i < TIMES.length; i++) {
      assertEquals(INSIDE[i], arrivalsOf(r, 10, i).get(0).corrupt(), "probe " + i);
    }
    assertEquals(2, net.stats().corrupted());
    assertEquals(2, net.stats().fault(0).corrupted());
  }

  // --- accounting and determinism ----------------------------------------------------------

  /** One fault of each kind (but reset) over {@link NetworkModelTest#workload()}'s 50 ms. */
  static List<Fault> everyKind() {
    return List.of(
        new Fault(40 * MS, 45 * MS, new Fault.Between(0, 4), new Fault.Partition()),
        new Fault(45 * MS, 50 * MS, new Fault.FromTo(1, 5), new Fault.Blackhole()),
        new Fault(0, 200 * MS, new Fault.All(), new Fault.Loss(0.1)),
        new Fault(10 * MS, 40 * MS, new Fault.Host(2), new Fault.Latency(7 * MS)),
        new Fault(10 * MS, 40 * MS, new Fault.All(), new Fault.Jitter(3 * MS)),
        new Fault(20 * MS, 45 * MS, new Fault.All(), new Fault.Duplicate(0.2)),
        new Fault(20 * MS, 45 * MS, new Fault.Host(3), new Fault.Reorder(0.3, 20 * MS)),
        new Fault(0, 50 * MS, new Fault.All(), new Fault.Corrupt(0.1)),
        new Fault(30 * MS, 40 * MS, new Fault.Host(0), new Fault.Bandwidth(2_000_000, 10_000)),
        new Fault(5 * MS, 30 * MS, new Fault.Host(5), new Fault.Crash()));
  }

  @Test
  void everyFaultAtOnce_keepsTheBalance_andItsCountersAddUp() {
    NetworkModel net = model(NetworkModelTest.EVERYTHING, everyKind().toArray(new Fault[0]));
    Result r = run(net, NetworkModelTest.workload());
    NetworkStats st = net.stats();
    assertTrue(st.balanced(), st.toString());
    assertEquals(r.arrivals().size(), st.arrivals());
    assertEquals(st.droppedTotal(),
        r.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.DROP).count());
    assertEquals(st.duplicated(),
        r.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.DUP).count());
    long faultDrops = 0;
    long faultDuplicates = 0;
    for (int i = 0; i < 10; i++) {
      faultDrops += st.fault(i).dropped();
      faultDuplicates += st.fault(i).duplicated();
    }
    long byFaultReasons = 0;
    for (DropReason d : DropReason.values()) if (d.fromFault()) byFaultReasons += st.dropped(d);
    assertEquals(byFaultReasons, faultDrops);
    for (DropReason d : List.of(DropReason.PARTITION, DropReason.BLACKHOLE, DropReason.HOST_DOWN,
        DropReason.FAULT_LOSS, DropReason.FAULT_QUEUE_OVERFLOW)) {
      assertTrue(st.dropped(d) > 0, d + " in " + st);
    }
    assertTrue(faultDuplicates > 0 && faultDuplicates < st.duplicated(), st.toString());
    for (int i = 0; i < 10; i++) assertTrue(st.fault(i).matched() > 0, "fault " + i);
    for (Arrival a : r.arrivals()) {
      assertTrue(a.time() >= a.segment().sentAt() + net.lookahead());
    }
  }

  @Test
  void withFaults_theResultDoesNotDependOnTheInputOrder() {
    List<Segment> segments = NetworkModelTest.workload();
    Result reference = run(model(NetworkModelTest.EVERYTHING, everyKind().toArray(new Fault[0])),
        segments);
    List<Segment> shuffled = new ArrayList<>(segments);
    Collections.shuffle(shuffled, new Random(3)); // only to scramble the test input
    Result again = run(model(NetworkModelTest.EVERYTHING, everyKind().toArray(new Fault[0])),
        shuffled);
    assertEquals(reference, again);
  }

  @Test
  void noFaults_orFaultsThatMatchNothing_giveExactlyTheResultOfAModelWithoutFaults() {
    List<Segment> segments = NetworkModelTest.workload();
    Result before = NetworkModelTest.run(new NetworkModel(42, NetworkModelTest.EVERYTHING),
        segments);
    Result none = run(NetworkModel.builder(42, NetworkModelTest.EVERYTHING)
        .faults(FaultSchedule.NONE).build(), segments);
    assertEquals(before, none);
    List<Fault> elsewhere = List.of(
        new Fault(0, 10_000 * MS, new Fault.Host(99), new Fault.Partition()),
        new Fault(0, 10_000 * MS, new Fault.FromTo(4, 0), new Fault.Loss(1)), // no 4 -> 0 traffic
        new Fault(10_000 * MS, 20_000 * MS, new Fault.All(), new Fault.Latency(MS)));
    Result unmatched = run(NetworkModel.builder(42, NetworkModelTest.EVERYTHING)
        .faults(new FaultSchedule(elsewhere)).build(), segments);
    assertEquals(before, unmatched);
  }

  @Test
  void aFault_leavesTheLinksOwnDecisionsAlone_outsideWhatItChanges() {
    // A latency fault on every segment moves each arrival by exactly its extra: the link's
    // loss, queue, latency samples, reordering, corruption and duplication stay the same.
    List<Segment> segments = NetworkModelTest.workload();
    Result before = NetworkModelTest.run(new NetworkModel(42, NetworkModelTest.EVERYTHING),
        segments);
    Result later = run(NetworkModel.builder(42, NetworkModelTest.EVERYTHING).faults(
        new FaultSchedule(List.of(new Fault(0, Long.MAX_VALUE, new Fault.All(),
            new Fault.Latency(3 * MS))))).build(), segments);
    assertEquals(before.trace(), later.trace());
    assertEquals(before.arrivals().size(), later.arrivals().size());
    for (int i = 0; i < before.arrivals().size(); i++) {
      Arrival a = before.arrivals().get(i);
      Arrival b = later.arrivals().get(i);
      assertEquals(new Arrival(a.time() + 3 * MS, a.segment(), a.copy(), a.corrupt()), b);
    }
  }

  @Test
  void theCursorFollowsOverlappingFaultsThroughTime() {
    FaultSchedule s = new FaultSchedule(List.of(
        new Fault(10, 30, new Fault.All(), new Fault.Partition()),
        new Fault(20, 40, new Fault.All(), new Fault.Loss(0.5)),
        new Fault(25, 25, new Fault.All(), new Fault.Reset(Fault.ResetSeq.EXACT)),
        new Fault(0, 5, new Fault.All(), new Fault.Corrupt(0.5))));
    FaultSchedule.Cursor c = s.cursor();
    assertEquals("[3]", java.util.Arrays.toString(c.activeAt(0)));
    assertEquals("[]", java.util.Arrays.toString(c.activeAt(5)));
    assertEquals("[0]", java.util.Arrays.toString(c.activeAt(19)));
    assertEquals("[0, 1]", java.util.Arrays.toString(c.activeAt(25)));
    assertEquals("[1]", java.util.Arrays.toString(c.activeAt(30)));
    assertEquals("[]", java.util.Arrays.toString(c.activeAt(40)));
    assertEquals(25, s.wakeTimes()[0]);
    assertEquals(1, s.wakeTimes().length);
  }

  // --- reset injection ---------------------------------------------------------------------

  static final long RESET_AT = 1000 * MS;
  static final int CLIENT = 0;
  static final int SERVER = 1;
  static final int CLIENT_PORT = 40000;
  static final int CLIENT_ISS = 1000;
  static final int SERVER_ISS = 5000;

  /** Connection 5's handshake and 100 bytes of request, the way its endpoints would send them. */
  static List<Segment> connection5() {
    long client = 10; // conn 5 << 1
    long server = 11;
    return List.of(
        new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS, 0, tcpsim.tcp.Flags.SYN, 65535,
            0, false, 5, client, 0, 0),
        new Segment(SERVER, 80, CLIENT, CLIENT_PORT, SERVER_ISS, CLIENT_ISS + 1,
            tcpsim.tcp.Flags.SYN | tcpsim.tcp.Flags.ACK, 65535, 0, false, 5, server, 0, 10 * MS),
        new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS + 1, SERVER_ISS + 1,
            tcpsim.tcp.Flags.ACK, 65535, 100, false, 5, client, 1, 20 * MS));
  }

  static NetworkModel resetModel(Fault.Target target, Fault.ResetSeq seq) {
    return model(new Fault(RESET_AT, RESET_AT, target, new Fault.Reset(seq)));
  }

  /** Transmits {@code before} in the window [0, 30 ms), then the window containing the reset. */
  static Result runToReset(NetworkModel net, List<Segment> before) {
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(before, 0, 30 * MS, arrivals, trace);
    arrivals.clear();
    trace.clear();
    net.transmit(List.of(), RESET_AT, RESET_AT + LATENCY, arrivals, trace);
    return new Result(arrivals, trace);
  }

  @Test
  void exactReset_betweenTwoHosts_resetsBothEnds_withTheObservedNextSequenceNumbers() {
    NetworkModel net = resetModel(new Fault.Between(CLIENT, SERVER), Fault.ResetSeq.EXACT);
    Result r = runToReset(net, connection5());
    long origin = FaultSchedule.injectionOrigin(0);
    int rstAck = tcpsim.tcp.Flags.RST | tcpsim.tcp.Flags.ACK;
    // Pretending to be the client, towards the server: the client's SND.NXT (after 100 bytes).
    Segment toServer = new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS + 101,
        SERVER_ISS + 1, rstAck, 0, 0, false, 5, origin, 0, RESET_AT);
    Segment toClient = new Segment(SERVER, 80, CLIENT, CLIENT_PORT, SERVER_ISS + 1,
        CLIENT_ISS + 1, rstAck, 0, 0, false, 5, origin, 1, RESET_AT);
    assertEquals(List.of(new Arrival(RESET_AT + LATENCY, toServer, 0, false),
        new Arrival(RESET_AT + LATENCY, toClient, 0, false)), r.arrivals());
    assertEquals(2, r.trace().size());
    for (TraceEvent e : r.trace()) {
      assertEquals(TraceEvent.Kind.SEND, e.kind());
      assertEquals(RESET_AT, e.t());
      assertEquals(origin, e.origin());
      assertEquals(5, e.conn());
    }
    assertEquals(2, net.stats().fault(0).resetsInjected());
    assertEquals(5, net.stats().sent()); // three segments and two RSTs
    assertTrue(net.stats().balanced());
  }

  @Test
  void inWindowReset_isOnePastTheExactSequenceNumber() {
    NetworkModel net = resetModel(new Fault.FromTo(SERVER, CLIENT), Fault.ResetSeq.IN_WINDOW);
    Result r = runToReset(net, connection5());
    assertEquals(1, r.arrivals().size()); // from -> to: pretends to be the server, resets the client
    Segment rst = r.arrivals().get(0).segment();
    assertEquals(SERVER, rst.srcHost());
    assertEquals(CLIENT, rst.dstHost());
    assertEquals(SERVER_ISS + 2, rst.seq());
  }

  @Test
  void reset_skipsConnectionsOnWhichAnRstWasSeen_andConnectionsNotMatchingItsTarget() {
    List<Segment> segments = new ArrayList<>(connection5());
    segments.add(new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS + 101, 0,
        tcpsim.tcp.Flags.RST, 0, 0, false, 5, 10, 2, 25 * MS));
    assertTrue(runToReset(resetModel(new Fault.All(), Fault.ResetSeq.EXACT), segments)
        .arrivals().isEmpty());
    // The client's RST goes the other way than the fault's target: it still ends the connection.
    assertTrue(runToReset(resetModel(new Fault.FromTo(SERVER, CLIENT), Fault.ResetSeq.EXACT),
        segments).arrivals().isEmpty());
    assertTrue(runToReset(resetModel(new Fault.Host(7), Fault.ResetSeq.EXACT), connection5())
        .arrivals().isEmpty());
  }

  @Test
  void reset_seesWhatWasSentBeforeItsTime_notWhatIsSentAtIt() {
    NetworkModel net = resetModel(new Fault.FromTo(CLIENT, SERVER), Fault.ResetSeq.EXACT);
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(connection5(), 0, 30 * MS, arrivals, trace);
    arrivals.clear();
    Segment justBefore = new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS + 101,
        SERVER_ISS + 1, tcpsim.tcp.Flags.ACK, 65535, 50, false, 5, 10, 2, RESET_AT - 1);
    Segment atTheReset = new Segment(CLIENT, CLIENT_PORT, SERVER, 80, CLIENT_ISS + 151,
        SERVER_ISS + 1, tcpsim.tcp.Flags.ACK, 65535, 50, false, 5, 10, 3, RESET_AT);
    net.transmit(List.of(atTheReset, justBefore), RESET_AT - 1, RESET_AT - 1 + LATENCY, arrivals,
        trace);
    Segment rst = arrivals.stream().filter(a -> a.segment().rst()).findFirst().orElseThrow()
        .segment();
    assertEquals(CLIENT_ISS + 151, rst.seq());
    // Trace order of the window: the probe before, the RST, the probe at the reset's time.
    assertEquals(3, arrivals.size());
    assertEquals(List.of(2, 0, 3), arrivals.stream().map(a -> a.segment().emitIndex()).toList());
  }

  @Test
  void aSkippedResetWindow_isAnError() {
    NetworkModel net = resetModel(new Fault.All(), Fault.ResetSeq.EXACT);
    net.transmit(connection5(), 0, 30 * MS, new ArrayList<>(), new ArrayList<>());
    assertThrows(IllegalStateException.class, () -> net.transmit(List.of(), RESET_AT + 1,
        RESET_AT + 1 + LATENCY, new ArrayList<>(), new ArrayList<>()));
  }

  @Test
  void theTransmitWithoutAWindow_neverInjects() {
    NetworkModel net = resetModel(new Fault.All(), Fault.ResetSeq.EXACT);
    List<Arrival> arrivals = new ArrayList<>();
    net.transmit(connection5(), arrivals, new ArrayList<>());
    net.transmit(List.of(Segments.data(2, 3, 1, 0, 2 * RESET_AT, 10)), arrivals,
        new ArrayList<>());
    assertEquals(4, arrivals.size());
    assertNull(arrivals.stream().filter(a -> a.segment().rst()).findFirst().orElse(null));
    assertNotEquals(0, net.stats().sent());
  }
}
