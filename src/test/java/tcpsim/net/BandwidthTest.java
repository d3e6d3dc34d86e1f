package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.Segments.MS;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

class BandwidthTest {
  /** (1460 + 40) bytes · 8 bits at 1 Mbit/s = 12 ms. */
  private static final long SERIALIZATION = 12 * MS;
  private static final long LATENCY = 10 * MS;

  private static List<Segment> burst(int n, long at) {
    List<Segment> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(Segments.data(0, 1, 1, i, at, 1460));
    return out;
  }

  @Test
  void serializationTimeRoundsUp() {
    assertEquals(SERIALIZATION, NetworkModel.serializationNanos(1500, 1_000_000));
    assertEquals(1_714_286, NetworkModel.serializationNanos(1500, 7_000_000)); // 1714285.7
    assertEquals(320, NetworkModel.serializationNanos(40, 1_000_000_000));
  }

  @Test
  void aBurstLeavesSpacedByTheSerializationTime() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(LATENCY).withBandwidth(1_000_000, 0));
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(burst(10, 0), arrivals, trace);
    assertEquals(10, arrivals.size());
    assertTrue(trace.isEmpty());
    for (int i = 0; i < 10; i++) {
      Arrival a = arrivals.get(i);
      assertEquals(i, a.segment().emitIndex());
      assertEquals(LATENCY + (i + 1) * SERIALIZATION, a.time());
    }
  }

  @Test
  void segmentsPacedBelowTheRateNeverQueue() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(LATENCY).withBandwidth(1_000_000, 3000));
    List<Arrival> arrivals = new ArrayList<>();
    net.transmit(Segments.flow(0, 1, 1, 100, 13 * MS, 1460), arrivals, new ArrayList<>());
    assertEquals(100, arrivals.size());
    for (Arrival a : arrivals)
      assertEquals(a.segment().sentAt() + SERIALIZATION + LATENCY, a.time());
  }

  @Test
  void aFullQueueDropsWithQueueOverflow() {
    // Room for 5 segments of 1500 bytes on the wire (waiting or being serialized).
    NetworkModel net =
        new NetworkModel(1, LinkConfig.ideal(LATENCY).withBandwidth(1_000_000, 7500));
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(burst(10, 0), arrivals, trace);

    assertEquals(5, arrivals.size());
    for (int i = 0; i < 5; i++) assertEquals(i, arrivals.get(i).segment().emitIndex());
    assertEquals(5, trace.size());
    for (int i = 0; i < 5; i++) {
      TraceEvent e = trace.get(i);
      assertEquals(TraceEvent.Kind.DROP, e.kind());
      assertEquals(DropReason.QUEUE_OVERFLOW, e.reason());
      assertEquals(5 + i, e.index());
      assertEquals(0, e.t());
      assertEquals(1, e.sub());
    }
    assertEquals(5, net.stats().dropped(DropReason.QUEUE_OVERFLOW));
    assertTrue(net.stats().balanced());

    // One serialization later the first segment has left: exactly one more fits.
    List<Arrival> later = new ArrayList<>();
    List<TraceEvent> laterTrace = new ArrayList<>();
    List<Segment> next = new ArrayList<>();
    for (int i = 0; i < 2; i++) next.add(Segments.data(0, 1, 1, 10 + i, SERIALIZATION, 1460));
    net.transmit(next, later, laterTrace);
    assertEquals(1, later.size());
    assertEquals(LATENCY + 6 * SERIALIZATION, later.get(0).time());
    assertEquals(1, laterTrace.size());

    // Once the queue has drained everything fits again.
    List<Arrival> drained = new ArrayList<>();
    net.transmit(burst(0, 0), drained, new ArrayList<>());
    List<Segment> after = new ArrayList<>();
    for (int i = 0; i < 5; i++) after.add(Segments.data(0, 1, 1, 20 + i, 100 * MS, 1460));
    net.transmit(after, drained, new ArrayList<>());
    assertEquals(5, drained.size());
  }

  @Test
  void eachDirectedPairHasItsOwnQueue() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(LATENCY).withBandwidth(1_000_000, 0));
    List<Segment> segments = new ArrayList<>();
    segments.add(Segments.data(0, 1, 1, 0, 0, 1460));
    segments.add(Segments.data(1, 0, 2, 0, 0, 1460));
    segments.add(Segments.data(0, 2, 3, 0, 0, 1460));
    segments.add(Segments.data(0, 1, 4, 0, 0, 1460)); // shares 0 -> 1 with origin 1: waits
    List<Arrival> arrivals = new ArrayList<>();
    net.transmit(segments, arrivals, new ArrayList<>());
    for (Arrival a : arrivals) {
      long expected = a.segment().origin() == 4 ? 2 * SERIALIZATION : SERIALIZATION;
      assertEquals(LATENCY + expected, a.time(), "origin " + a.segment().origin());
    }
  }

  @Test
  void unlimitedBandwidthAddsNoDelay() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(LATENCY));
    List<Arrival> arrivals = new ArrayList<>();
    net.transmit(burst(10, 5 * MS), arrivals, new ArrayList<>());
    for (Arrival a : arrivals) assertEquals(5 * MS + LATENCY, a.time());
  }
}
