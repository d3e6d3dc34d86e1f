package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tcpsim.report.RunStats.GroupFigures;
import tcpsim.report.RunStats.SegmentKind;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.Outcome.Category;

/** The per-kind retransmission counters and the per-group figures, from synthetic input. */
class RunStatsFiguresTest {
  static final long MS = 1_000_000L;

  private static int index;

  private static TraceEvent send(int flags, int len, boolean retransmit) {
    return new TraceEvent(index * MS, 0, index++, 0, TraceEvent.Kind.SEND, 0, 0, 1000, 1, 80,
        flags, 1, 1, len, retransmit, null, null, null);
  }

  @Test
  void segmentKind_classifiesByFlagsAndLength() {
    assertEquals(SegmentKind.SYN, SegmentKind.of(Flags.SYN, 0));
    assertEquals(SegmentKind.SYN_ACK, SegmentKind.of(Flags.SYN | Flags.ACK, 0));
    assertEquals(SegmentKind.DATA, SegmentKind.of(Flags.ACK, 100));
    assertEquals(SegmentKind.DATA, SegmentKind.of(Flags.ACK | Flags.PSH, 1));
    assertEquals(SegmentKind.DATA, SegmentKind.of(Flags.ACK | Flags.FIN, 50), "FIN on data");
    assertEquals(SegmentKind.FIN, SegmentKind.of(Flags.ACK | Flags.FIN, 0));
    assertEquals(SegmentKind.RST, SegmentKind.of(Flags.RST, 0));
    assertEquals(SegmentKind.RST, SegmentKind.of(Flags.RST | Flags.ACK, 0));
    assertEquals(SegmentKind.ACK, SegmentKind.of(Flags.ACK, 0));
    assertEquals(SegmentKind.ACK, SegmentKind.of(0, 0));
  }

  @Test
  void retransmissionsByKind_countsOnlyRetransmittedSends() {
    RunStats s = new RunStats(1, 1);
    int[][] sends = { // flags, len, how many retransmitted copies
      {Flags.SYN, 0, 3},
      {Flags.SYN | Flags.ACK, 0, 2},
      {Flags.ACK, 1460, 5},
      {Flags.ACK | Flags.FIN, 0, 1},
      {Flags.ACK | Flags.FIN, 10, 1},
      {Flags.RST, 0, 1},
      {Flags.ACK, 0, 4},
    };
    for (int[] k : sends) {
      s.accept(send(k[0], k[1], false)); // the original, never counted
      for (int i = 0; i < k[2]; i++) s.accept(send(k[0], k[1], true));
    }
    // Retransmit flags on other kinds of event are not sends.
    s.accept(new TraceEvent(index * MS, 0, index++, 0, TraceEvent.Kind.RECV, 0, 0, 1000, 1, 80,
        Flags.SYN, 1, 1, 0, true, null, null, null));
    s.accept(new TraceEvent(index * MS, 0, index++, 0, TraceEvent.Kind.DROP, 0, 0, 1000, 1, 80,
        Flags.SYN, 1, 1, 0, true, DropReason.values()[0], null, null));

    Map<SegmentKind, Long> m = s.retransmissionsByKind();
    assertEquals(List.of(SegmentKind.values()), List.copyOf(m.keySet()), "every kind, in order");
    assertEquals(3L, m.get(SegmentKind.SYN));
    assertEquals(2L, m.get(SegmentKind.SYN_ACK));
    assertEquals(6L, m.get(SegmentKind.DATA));
    assertEquals(1L, m.get(SegmentKind.FIN));
    assertEquals(1L, m.get(SegmentKind.RST));
    assertEquals(4L, m.get(SegmentKind.ACK));
    assertEquals(17L, s.retransmitted());
    assertEquals(s.retransmitted(), m.values().stream().mapToLong(Long::longValue).sum());
  }

  @Test
  void retransmissionsByKind_allZeroWithoutRetransmissions() {
    RunStats s = new RunStats(1, 1);
    s.accept(send(Flags.SYN, 0, false));
    assertEquals(SegmentKind.values().length, s.retransmissionsByKind().size());
    assertTrue(s.retransmissionsByKind().values().stream().allMatch(v -> v == 0L));
  }

  @Test
  void groups_splitOutcomesAndHandshakes() {
    // Connections 0..2 in group "a", 3..5 in group "b".
    RunStats s = new RunStats(6, 1, new int[] {0, 0, 0, 1, 1, 1}, List.of("a", "b"));
    // a: closed (20 ms), closed on the client but reset on the server (30 ms), syn timeout.
    s.result(new EndpointResult(0, true, Outcome.CLOSED, 0, 20 * MS, 100 * MS));
    s.result(new EndpointResult(0, false, Outcome.CLOSED, 10 * MS, 30 * MS, 90 * MS));
    s.result(new EndpointResult(1, true, Outcome.CLOSED, 0, 30 * MS, 100 * MS));
    s.result(new EndpointResult(1, false, Outcome.RESET, 10 * MS, 40 * MS, 90 * MS));
    s.result(new EndpointResult(2, true, Outcome.SYN_TIMEOUT, 0, -1, 60_000 * MS));
    // b: reset (40 ms), open (50 ms), refused; and a server endpoint of no connection.
    s.result(new EndpointResult(3, true, Outcome.RESET, 0, 40 * MS, 200 * MS));
    s.result(new EndpointResult(4, true, Outcome.OPEN, 0, 50 * MS, 300 * MS));
    s.result(new EndpointResult(5, true, Outcome.REFUSED, 0, -1, 20 * MS));
    s.result(new EndpointResult(-1, false, Outcome.RESET, 0, -1, 20 * MS));

    List<GroupFigures> g = s.groups();
    assertEquals(2, g.size());
    GroupFigures a = g.get(0);
    assertEquals("a", a.name());
    assertEquals(3, a.attempted());
    assertEquals(2, a.established());
    assertEquals(Map.of(Category.CLOSED, 1L, Category.RESET, 1L, Category.FAILED, 1L,
        Category.OPEN, 0L), a.categories());
    assertEquals(2, a.handshake().getTotalCount());
    assertEquals(30.0, RunStats.msFromMicros(a.handshake().getMaxValue()));
    GroupFigures b = g.get(1);
    assertEquals("b", b.name());
    assertEquals(3, b.attempted());
    assertEquals(2, b.established());
    assertEquals(Map.of(Category.CLOSED, 0L, Category.RESET, 1L, Category.FAILED, 1L,
        Category.OPEN, 1L), b.categories());
    assertEquals(2, b.handshake().getTotalCount());
    assertEquals(40.0, RunStats.msFromMicros(b.handshake().getMinValue()));

    // The groups add up to the whole.
    assertEquals(s.attempted(), a.attempted() + b.attempted());
    assertEquals(s.established(), a.established() + b.established());
    assertEquals(s.handshake().getTotalCount(),
        a.handshake().getTotalCount() + b.handshake().getTotalCount());
    for (Category c : Category.values()) {
      long global = s.outcomes().entrySet().stream().filter(e -> e.getKey().category() == c)
          .mapToLong(Map.Entry::getValue).sum();
      assertEquals(global, a.categories().get(c) + b.categories().get(c), c.name());
    }
  }

  @Test
  void groups_notAttemptedConnectionsCountNowhere() {
    RunStats s = new RunStats(3, 1, new int[] {0, 1, 1}, List.of("x", "y"));
    s.result(new EndpointResult(1, true, Outcome.CLOSED, 0, 20 * MS, 100 * MS));
    List<GroupFigures> g = s.groups();
    assertEquals(0, g.get(0).attempted());
    assertEquals(0, g.get(0).handshake().getTotalCount());
    assertTrue(g.get(0).categories().values().stream().allMatch(v -> v == 0L));
    assertEquals(1, g.get(1).attempted());
    assertEquals(1L, g.get(1).categories().get(Category.CLOSED));
  }

  @Test
  void groups_emptyWithTheOldConstructor_andRejectBadInput() {
    assertEquals(List.of(), new RunStats(2, 1).groups());
    assertThrows(IllegalArgumentException.class,
        () -> new RunStats(2, 1, new int[] {0}, List.of("a")));
    assertThrows(IllegalArgumentException.class,
        () -> new RunStats(2, 1, new int[] {0, 1}, List.of("a")));
  }
}
