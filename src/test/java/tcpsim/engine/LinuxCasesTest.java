package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import akka.actor.typed.ActorSystem;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;

/**
 * The reference cases of docs/linux-profile.md §8, run from scenarios/linux/: every segment on
 * the wire (time, direction, flags as tcpdump prints them, sequence and acknowledgement numbers
 * relative to the client's ISN x and the server's ISN y, payload length) and the states of both
 * sides, as the specification derives them from the Linux 6.12 sources.
 */
class LinuxCasesTest {
  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(String name) throws Exception {
    return SimulationFixture.run(system,
        ScenarioLoader.load(Path.of("scenarios/linux/" + name + ".yaml")), null);
  }

  /**
   * Connection 0's segments as sent: {@code "0.002 C>S P. x+1 y+1 100"}. Relative numbers once
   * the ISN they count from is known (x from the client's SYN, y from the server's SYN-ACK);
   * an ACK field of a segment without ACK, and any number before its ISN is known, absolute.
   */
  static List<String> wire(SimulationFixture f) {
    List<String> out = new ArrayList<>();
    Long x = null;
    Long y = null;
    for (TraceEvent e : f.sends(0)) {
      boolean fromClient = e.srcHost() == 0;
      long seq = Integer.toUnsignedLong(e.seq());
      long ack = Integer.toUnsignedLong(e.ack());
      if (fromClient && x == null && (e.flags() & Flags.SYN) != 0) x = seq;
      if (!fromClient && y == null && (e.flags() & Flags.SYN) != 0) y = seq;
      String s = rel(seq, fromClient ? x : y, fromClient ? "x" : "y");
      String a = (e.flags() & Flags.ACK) == 0 ? String.valueOf(ack)
          : rel(ack, fromClient ? y : x, fromClient ? "y" : "x");
      out.add(String.format("%.3f %s %s %s %s %d", e.t() / 1e9, fromClient ? "C>S" : "S>C",
          tcpdumpFlags(e.flags()), s, a, e.len()));
    }
    return out;
  }

  private static String rel(long value, Long base, String name) {
    if (base == null) return String.valueOf(value);
    long d = (value - base) & 0xFFFFFFFFL;
    return d == 0 ? name : name + "+" + d;
  }

  /** tcpdump's flag letters: S, F, P, R, then '.' for ACK. */
  static String tcpdumpFlags(int flags) {
    StringBuilder b = new StringBuilder();
    if ((flags & Flags.SYN) != 0) b.append('S');
    if ((flags & Flags.FIN) != 0) b.append('F');
    if ((flags & Flags.PSH) != 0) b.append('P');
    if ((flags & Flags.RST) != 0) b.append('R');
    if ((flags & Flags.ACK) != 0) b.append('.');
    return b.toString();
  }

  /** Segments 1-8 of §8.1, which §8.2, §8.3 and §8.7 share. */
  private static final List<String> REQUEST_REPLY_SHUTDOWN = List.of(
      "0.000 C>S S x 0 0",
      "0.001 S>C S. y x+1 0",
      "0.002 C>S . x+1 y+1 0",
      "0.002 C>S P. x+1 y+1 100",
      "0.003 S>C . y+1 x+101 0",
      "0.003 S>C P. y+1 x+101 100",
      "0.004 C>S . x+101 y+101 0",
      "0.004 C>S F. x+101 y+101 0");

  private static List<String> plus(List<String> a, String... b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(List.of(b));
    return out;
  }

  @Test
  void classic_8_1() throws Exception {
    SimulationFixture f = run("classic");
    assertEquals(plus(REQUEST_REPLY_SHUTDOWN,
        "0.005 S>C P. y+101 x+102 50",
        "0.005 S>C F. y+151 x+102 0",
        "0.006 C>S . x+102 y+151 0",
        "0.006 C>S . x+102 y+152 0"), wire(f));
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1",
        "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->TIME_WAIT", "TIME_WAIT->CLOSED"),
        f.transitions(0, 0));
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
        "ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"),
        f.transitions(0, 1));
    assertEquals(60_006_000_000L, f.timeOf(0, 0, "CLOSED")); // TIME-WAIT: exactly 60 s
    assertEquals(7_000_000L, f.timeOf(0, 1, "CLOSED"));

    // The handshake's options and windows as Linux sends them (§1.1-1.3).
    List<TraceEvent> s = f.sends(0);
    int c = s.get(0).options().tsVal();
    int sv = s.get(1).options().tsVal() - 1; // the SYN,ACK leaves at 1 ms
    assertEquals("mss 1460,sackOK,TS val " + Integer.toUnsignedString(c)
        + " ecr 0,nop,wscale 7", s.get(0).options().tcpdump());
    assertEquals("mss 1460,sackOK,TS val " + Integer.toUnsignedString(sv + 1) + " ecr "
        + Integer.toUnsignedString(c) + ",nop,wscale 7", s.get(1).options().tcpdump());
    assertEquals(List.of(64240, 65160, 502, 502, 509, 509, 502, 502, 509, 509, 502, 502),
        s.stream().map(TraceEvent::window).toList());
    // From the third segment on: only the timestamps, TSval = each side's ms clock + offset.
    for (TraceEvent e : s.subList(2, s.size())) {
      assertEquals(12, e.options().length(), e.toString());
      assertEquals((e.srcHost() == 0 ? c : sv) + (int) (e.t() / 1_000_000L), e.options().tsVal());
    }
    assertEquals(100, s.get(3).len()); // 100 bytes fit in one segment of MSS 1448
  }

  @Test
  void classicServerPause_8_2_theFinsAckComesFromTheDelayedAckTimer() throws Exception {
    SimulationFixture f = run("classic-server-pause");
    assertEquals(plus(REQUEST_REPLY_SHUTDOWN,
        "0.045 S>C . y+101 x+102 0", // 40 ms after the FIN arrived (ping-pong: no quick ACK)
        "0.505 S>C P. y+101 x+102 50",
        "0.505 S>C F. y+151 x+102 0",
        "0.506 C>S . x+102 y+151 0",
        "0.506 C>S . x+102 y+152 0"), wire(f));
    assertEquals(46_000_000L, f.timeOf(0, 0, "FIN_WAIT_2"));
    assertEquals(60_506_000_000L, f.timeOf(0, 0, "CLOSED"));
    assertEquals(0, f.result.stats().retransmitted(), "the FIN is ACKed before its 202 ms RTO");
  }

  @Test
  void clientClose_8_3_dataAfterCloseIsAnsweredWithRsts() throws Exception {
    SimulationFixture f = run("client-close");
    assertEquals(plus(REQUEST_REPLY_SHUTDOWN,
        "0.005 S>C P. y+101 x+102 50",
        "0.005 S>C F. y+151 x+102 0",
        "0.006 C>S R x+102 0 0",  // data after close(): <SEQ=SEG.ACK><CTL=RST>
        "0.006 C>S R x+102 0 0"), wire(f)); // the FIN finds no socket: the closed-port answer
    // The 50 bytes ACK the client's FIN (FIN-WAIT-2) and bring data after close(): gone.
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1",
        "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->CLOSED"), f.transitions(0, 0));
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
        "ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"),
        f.transitions(0, 1));
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0));
    assertEquals(0, f.result.stats().statePeak(tcpsim.tcp.TcpState.TIME_WAIT));
  }

  @Test
  void synTimeout_8_4_fourLinearRetransmissionsThenDoubling_failureAt131s() throws Exception {
    SimulationFixture f = run("syn-timeout");
    List<String> expected = new ArrayList<>();
    for (int t : new int[] {0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67}) {
      expected.add(String.format("%d.000 C>S S x 0 0", t));
    }
    assertEquals(expected, wire(f));
    assertEquals(131_000_000_000L, f.timeOf(0, 0, "CLOSED"));
    assertEquals(Outcome.SYN_TIMEOUT, f.result.stats().connectionOutcome(0));
  }

  @Test
  void synackTimeout_8_5_theRequestExpiresSilently_laterDataIsReset() throws Exception {
    SimulationFixture f = run("synack-timeout");
    List<String> expected = new ArrayList<>(List.of(
        "0.000 C>S S x 0 0", "0.001 S>C S. y x+1 0", "0.002 C>S . x+1 y+1 0"));
    for (int t : new int[] {1, 3, 7, 15, 31}) { // SYN-ACK again; the client ACKs it (dropped)
      expected.add(String.format("%d.001 S>C S. y x+1 0", t));
      expected.add(String.format("%d.002 C>S . x+1 y+1 0", t));
    }
    expected.add("70.000 C>S P. x+1 y+1 100");
    expected.add("70.001 S>C R y+1 0 0"); // no request any more: an ACK in LISTEN
    assertEquals(expected, wire(f));
    assertEquals(63_001_000_000L, f.timeOf(0, 1, "CLOSED")); // expiry at 63 s: nothing sent
    assertEquals(70_002_000_000L, f.timeOf(0, 0, "CLOSED"));
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0));
  }

  @Test
  void closedPort_8_6_rstAckWithSeqZero() throws Exception {
    SimulationFixture f = run("closed-port");
    assertEquals(List.of("0.000 C>S S x 0 0", "0.001 S>C R. 0 x+1 0"), wire(f));
    assertEquals(Outcome.REFUSED, f.result.stats().connectionOutcome(0));
    assertEquals(2_000_000L, f.timeOf(0, 0, "CLOSED"));
  }

  @Test
  void timeWait_8_7_lastsExactly60s_whateverMslSays() throws Exception {
    SimulationFixture f = run("time-wait"); // msl: 15s
    assertEquals(plus(REQUEST_REPLY_SHUTDOWN, // row 8 is close() here: the same FIN
        "0.005 S>C F. y+101 x+102 0", // the server's FIN carries the delayed ACK
        "0.006 C>S . x+102 y+102 0"), wire(f));
    assertEquals(6_000_000L, f.timeOf(0, 0, "TIME_WAIT"));
    assertEquals(60_006_000_000L, f.timeOf(0, 0, "CLOSED"));
  }

  @Test
  void simultaneousClose_8_8_bothThroughClosingIntoTimeWait() throws Exception {
    SimulationFixture f = run("simultaneous-close");
    assertEquals(List.of(
        "0.000 C>S S x 0 0",
        "0.050 S>C S. y x+1 0",
        "0.100 C>S . x+1 y+1 0",
        "1.150 C>S F. x+1 y+1 0",
        "1.150 S>C F. y+1 x+1 0",
        "1.200 C>S . x+2 y+2 0", // a FIN in FIN-WAIT-1 is ACKed at once
        "1.200 S>C . y+2 x+2 0"), wire(f));
    List<String> bothSides = List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING",
        "CLOSING->TIME_WAIT", "TIME_WAIT->CLOSED");
    assertEquals(bothSides, f.transitions(0, 0).subList(2, 6));
    assertEquals(bothSides, f.transitions(0, 1).subList(2, 6));
    assertEquals(61_250_000_000L, f.timeOf(0, 0, "CLOSED"));
    assertEquals(61_250_000_000L, f.timeOf(0, 1, "CLOSED"));
  }

  @Test
  void synFloodBacklog_8_9_theClientGetsInWithIts9thRetransmission() throws Exception {
    SimulationFixture f = run("syn-flood-backlog"); // flood from 1 s, client connects at 2.5 s
    List<TraceEvent> syns = f.sends(0).stream().filter(e -> e.srcHost() == 0
        && e.flags() == Flags.SYN).toList();
    List<Long> times = syns.stream().map(e -> e.t() / 1_000_000L).toList();
    assertEquals(List.of(2500L, 3500L, 4500L, 5500L, 6500L, 7500L, 9500L, 13500L, 21500L,
        37500L), times); // the 10th (F + 36.501) finds a slot
    assertEquals(37_502_000_000L, f.timeOf(0, 0, "ESTABLISHED"));
    assertEquals(37_503_000_000L, f.timeOf(0, 1, "ESTABLISHED"));
    assertEquals(9, f.result.listeners().get(0).synBacklogPeak); // backlog + 1
  }

  @Test
  void synFloodCookies_8_9_theClientGetsInOnItsFirstSyn() throws Exception {
    SimulationFixture f = run("syn-flood-cookies");
    assertEquals(2_502_000_000L, f.timeOf(0, 0, "ESTABLISHED"));
    assertEquals(2_503_000_000L, f.timeOf(0, 1, "ESTABLISHED"));
    assertEquals(731, f.result.listeners().get(0).cookiesSent); // 730 flood SYNs + the client's
    assertEquals(1, f.sends(0).stream().filter(e -> e.flags() == Flags.SYN).count());
  }
}
