package tcpsim.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.Adapter;
import akka.actor.typed.javadsl.Behaviors;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.engine.HostReply;
import tcpsim.engine.RunCollector;
import tcpsim.net.NetworkStats;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Flags;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpOptions;
import tcpsim.tcp.TcpState;

/**
 * The end of a run crosses from the coordinator's node to the collector's: RunCollector.Finished
 * goes through {@link EngineSerializer} and back unchanged, with each fault's counters. A host's
 * answer keeps its segments' and trace events' TCP options and windows.
 */
class EngineSerializerTest {
  static ActorSystem<Void> system;
  static Serialization serialization;

  @BeforeAll
  static void start() {
    // A local system is enough: the serializer only resolves actor references through it.
    system = ActorSystem.create(Behaviors.empty(), "serializer-test",
        ConfigFactory.parseString("akka.actor.provider = local").withFallback(ConfigFactory.load()));
    serialization = SerializationExtension.get(Adapter.toClassic(system));
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  static Object roundTrip(Object message) throws Exception {
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(EngineSerializer.class, serializer, "bound by application.conf");
    SerializerWithStringManifest s = (SerializerWithStringManifest) serializer;
    return s.fromBinary(s.toBinary(message), s.manifest(message));
  }

  static RunCollector.Finished finished(List<NetworkStats.FaultCounts> faults) {
    ListenerStats l = new ListenerStats(1, 80);
    l.synBacklogPeak = 16;
    l.synDropped = 7;
    l.acceptQueue = 1;
    l.acceptQueuePeak = 3;
    l.accepted = 99;
    l.synAckRetransmits = 4;
    l.resetsSent = 2;
    l.cookiesSent = 11;
    l.cookiesAccepted = 9;
    l.cookiesRejected = 1;
    l.listenDrops = 8;
    l.listenOverflows = 5;
    Map<String, Long> heaps = new TreeMap<>(Map.of("akka://a@h:1", 123L, "akka://a@h:2", 456L));
    return new RunCollector.Finished(61_075_000_000L, 1234, 5, List.of(l), true,
        Arrays.asList("akka://a@h:1", null, "akka://a@h:2"), heaps, faults);
  }

  @Test
  void finished_withFaultCounters_survivesTheRoundTrip() throws Exception {
    List<NetworkStats.FaultCounts> faults = List.of(
        new NetworkStats.FaultCounts(60, 60, 0, 0, 0, 0),
        new NetworkStats.FaultCounts(1218, 375, 12, 3, 21, 0),
        new NetworkStats.FaultCounts(0, 0, 0, 0, 0, 436),
        new NetworkStats.FaultCounts(Long.MAX_VALUE, 1L << 40, 7, 8, 9, 10));
    RunCollector.Finished sent = finished(faults);
    RunCollector.Finished got = (RunCollector.Finished) roundTrip(sent);
    assertEquals(faults, got.faultCounts());
    assertSame(sent, got);
  }

  @Test
  void finished_withoutFaults_survivesTheRoundTrip() throws Exception {
    RunCollector.Finished sent = finished(List.of());
    RunCollector.Finished got = (RunCollector.Finished) roundTrip(sent);
    assertEquals(List.of(), got.faultCounts());
    assertSame(sent, got);
  }

  @Test
  void hostDone_keepsTcpOptionsAndWindows_ofSegmentsAndTraceEvents() throws Exception {
    TcpOptions syn = TcpOptions.of(1460, true, true, 0xFFFFFFF0, 0, 7);
    TcpOptions ts = TcpOptions.timestamps(123, -2);
    TcpOptions mssOnly = TcpOptions.of(536, false, false, 0, 0, TcpOptions.NO_WSCALE);
    TcpOptions noTs = TcpOptions.of(1460, true, false, 0, 0, 14);
    Outbox out = new Outbox();
    int i = 0;
    for (TcpOptions o : java.util.Arrays.asList(syn, ts, mssOnly, noTs, null)) {
      Segment s = new Segment(1, 80, 0, 40000 + i, 1000 + i, 2000, Flags.SYN | Flags.ACK,
          64240 + i, 0, i % 2 == 0, 7, 3L, i, 1_000_000L * i, o);
      out.segments.add(s);
      out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, s.sentAt(), s.origin(), i, 1, s,
          DropReason.LOSS));
      i++;
    }
    out.trace.add(TraceEvent.state(5, 3L, 9, 7, 1, 80, 0, 40000, TcpState.LISTEN,
        TcpState.SYN_RECEIVED));
    HostReply.HostDone sent = new HostReply.HostDone(1, out, 42L, "node");
    HostReply.HostDone got = (HostReply.HostDone) roundTrip(sent);
    assertEquals(out.segments, got.out().segments);
    assertEquals(out.trace, got.out().trace);
    assertEquals(syn, got.out().trace.get(0).options());
    assertEquals(64240, got.out().trace.get(0).window());
    assertEquals(-1, got.out().trace.get(5).window());
  }

  /** Every field equal (ListenerStats has no equals: compared field by field). */
  static void assertSame(RunCollector.Finished a, RunCollector.Finished b) {
    assertEquals(a.endTime(), b.endTime());
    assertEquals(a.windows(), b.windows());
    assertEquals(a.inFlight(), b.inFlight());
    assertEquals(a.cutByDuration(), b.cutByDuration());
    assertEquals(a.hostNodes(), b.hostNodes());
    assertEquals(a.nodeHeapPeaks(), b.nodeHeapPeaks());
    assertEquals(a.faultCounts(), b.faultCounts());
    assertEquals(fields(a.listeners()), fields(b.listeners()));
  }

  static List<List<Long>> fields(List<ListenerStats> ls) {
    List<List<Long>> out = new ArrayList<>();
    for (ListenerStats l : ls) {
      out.add(List.of((long) l.host, (long) l.port, (long) l.synBacklogPeak, l.synDropped,
          (long) l.acceptQueue, (long) l.acceptQueuePeak, l.accepted, l.synAckRetransmits,
          l.resetsSent, l.cookiesSent, l.cookiesAccepted, l.cookiesRejected, l.listenDrops,
          l.listenOverflows));
    }
    return out;
  }
}
