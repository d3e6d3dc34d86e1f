package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.engine.Scenarios.MS;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Flags;
import tcpsim.tcp.LinuxKnobs;
import tcpsim.tcp.TcpOptions;
import tcpsim.tcp.TcpParams;

/**
 * docs/linux-profile.md §1 end to end, on §8.1's setting (1 ms one way, request 100, reply 100):
 * the options and windows of the handshake, scaled windows afterwards, timestamps on every
 * segment with TSecr = TS.Recent, the 1448-byte send MSS, resets without options — and none of it
 * under {@code profile: rfc}.
 */
class LinuxOptionsTest {
  static ActorSystem<Void> system;
  /** The sent segments of §8.1's exchange with Linux's defaults, seed 1. */
  static List<TraceEvent> classic;
  static final int CLIENT = 0;
  static final int SERVER = 1;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
    classic = run(TcpParams.linux(), 100, 1).sends(0);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(TcpParams tcp, long clientBytes, long seed) {
    Scenario sc = Scenarios.clientServer("linux-options", seed, tcp, LinkConfig.ideal(1 * MS),
        Scenarios.oneConnection(clientBytes, 100, Scenario.Closer.CLIENT, 0, 0, 0), true);
    return SimulationFixture.run(system, sc, null);
  }

  private static TcpParams linuxWith(int timestamps, boolean sack, boolean windowScaling) {
    LinuxKnobs d = LinuxKnobs.defaults();
    return TcpParams.linux().withLinuxKnobs(new LinuxKnobs(d.synLinearTimeouts(), d.finTimeout(),
        timestamps, sack, windowScaling, d.rmemDefault(), d.rmemMax(), d.pingpongThresh(),
        d.orphanRetries(), d.invalidRateLimit(), d.abortOnOverflow(), d.maxSynBacklog(),
        d.somaxconn(), d.reqskFullAtBacklog()));
  }

  @Test
  void syn_carriesMssSackTimestampsAndWscale7_inWindow64240() { // §8.1 row 1, §1.1
    TraceEvent syn = classic.get(0);
    assertEquals(Flags.SYN, syn.flags());
    assertEquals(64240, syn.window());
    TcpOptions o = syn.options();
    assertEquals(1460, o.mss());
    assertTrue(o.sackPermitted());
    assertTrue(o.hasTimestamps());
    assertEquals(0, o.tsEcr());
    assertEquals(7, o.wscale());
    assertEquals("mss 1460,sackOK,TS val " + Integer.toUnsignedLong(o.tsVal())
        + " ecr 0,nop,wscale 7", o.tcpdump());
  }

  @Test
  void synAck_answersWithTheSameOptions_window65160_andEchoesTheSynsTsval() { // row 2, §1.2
    List<TraceEvent> s = classic;
    TraceEvent syn = s.get(0);
    TraceEvent synAck = s.get(1);
    assertEquals(Flags.SYN | Flags.ACK, synAck.flags());
    assertEquals(SERVER, synAck.srcHost());
    assertEquals(65160, synAck.window()); // 45 x 1448: the SYN had timestamps
    TcpOptions o = synAck.options();
    assertEquals(1460, o.mss());
    assertTrue(o.sackPermitted());
    assertEquals(7, o.wscale());
    assertEquals(syn.options().tsVal(), o.tsEcr());
  }

  @Test
  void afterTheHandshake_windowsAreScaledBy128_andTheRightEdgeNeverMovesLeft() { // §1.3
    List<TraceEvent> s = classic;
    // Row 3: the client's ACK says 502 (64240 rounded up to 64256); its request too.
    assertEquals(Flags.ACK, s.get(2).flags());
    assertEquals(502, s.get(2).window());
    assertEquals(100, s.get(3).len());
    assertEquals(502, s.get(3).window());
    // The server's first segment after the 100-byte request: 65160 - 100 -> 65152 = 509 x 128.
    TraceEvent reply = s.get(4);
    assertEquals(SERVER, reply.srcHost());
    assertEquals(509, reply.window());
    for (TraceEvent e : s.subList(2, s.size())) {
      assertEquals(e.srcHost() == CLIENT ? 502 : 509, e.window(), e.toString());
    }
  }

  @Test
  void everySegment_carriesTimestamps_tsvalIsTheMsClockPlusAnOffset_tsecrIsTsRecent() { // §1.4
    List<TraceEvent> s = classic;
    int c = s.get(0).options().tsVal(); // the client's offset: its SYN leaves at t = 0
    int sv = s.get(1).options().tsVal() - 1; // the server's: its SYN,ACK leaves at 1 ms
    assertNotEquals(c, sv, "each side draws its own offset");
    for (TraceEvent e : s) {
      TcpOptions o = e.options();
      assertTrue(o != null && o.hasTimestamps(), e.toString());
      int ms = (int) (e.t() / MS);
      assertEquals((e.srcHost() == CLIENT ? c : sv) + ms, o.tsVal(), e.toString());
    }
    // §8.1's TSval / TSecr column: C+2 / S+1 (rows 3-4), S+3 / C+2 (the quick ACK and the
    // reply, rows 5-6), C+4 / S+3 (the client's ACK of the reply, row 7).
    assertEquals(List.of(c + 2, sv + 1), ts(s.get(2)));
    assertEquals(List.of(c + 2, sv + 1), ts(s.get(3)));
    assertEquals(List.of(sv + 3, c + 2), ts(s.get(4)));
    assertEquals(List.of(sv + 3, c + 2), ts(s.get(5)));
    assertEquals(List.of(c + 4, sv + 3), ts(s.get(6)));
    // Established segments carry the 12-byte timestamp block only.
    assertEquals(12, s.get(2).options().length());
    assertFalse(s.get(2).options().hasMss());
  }

  private static List<Integer> ts(TraceEvent e) {
    return List.of(e.options().tsVal(), e.options().tsEcr());
  }

  @Test
  void tsOffsets_areDrawnPerConnection_andZeroWithTcpTimestamps2() {
    int a = classic.get(0).options().tsVal();
    int b = run(TcpParams.linux(), 100, 2).sends(0).get(0).options().tsVal();
    assertNotEquals(a, b, "the offset comes from the seeded stream");
    List<TraceEvent> s = run(linuxWith(2, true, true), 100, 1).sends(0);
    assertEquals(0, s.get(0).options().tsVal()); // t = 0, no offset
    assertEquals(1, s.get(1).options().tsVal());
    assertEquals(2, s.get(2).options().tsVal());
  }

  @Test
  void withTimestamps_theSendMssIs1448() { // §1.3, tcp_sync_mss
    List<Integer> lens = run(TcpParams.linux(), 3000, 1).sends(0).stream()
        .filter(e -> e.srcHost() == CLIENT && e.len() > 0).map(TraceEvent::len).toList();
    assertEquals(List.of(1448, 1448, 104), lens);
  }

  @Test
  void withoutTimestamps_theSendMssIs1460_andSegmentsCarryNoOptions() {
    List<TraceEvent> s = run(linuxWith(0, true, true), 3000, 1).sends(0);
    assertEquals(List.of(1460, 1460, 80), s.stream()
        .filter(e -> e.srcHost() == CLIENT && e.len() > 0).map(TraceEvent::len).toList());
    assertEquals("mss 1460,nop,nop,sackOK,nop,wscale 7", s.get(0).options().tcpdump());
    assertEquals(64240, s.get(1).window(), "no timestamps: 44 x 1460");
    for (TraceEvent e : s.subList(2, s.size())) assertNull(e.options(), e.toString());
  }

  @Test
  void withoutWindowScaling_windowsAreUnscaledBytes() {
    List<TraceEvent> s = run(linuxWith(1, false, false), 100, 1).sends(0);
    assertEquals("mss 1460,nop,nop,TS val " + Integer.toUnsignedLong(s.get(0).options().tsVal())
        + " ecr 0", s.get(0).options().tcpdump());
    assertEquals(64240, s.get(2).window()); // the client's offer, never shrunk
    assertEquals(65060, s.get(4).window()); // the server's: 65160 less the 100 bytes received
  }

  @Test
  void afterALostSyn_theTsecrGivesAnRttSample_soNoThreeSecondFallback() { // §1.4, §3
    Scenario sc = Scenarios.clientServer("lost-syn", 1, TcpParams.linux(),
        LinkConfig.ideal(1 * MS), Scenarios.oneConnection(100, 100, Scenario.Closer.CLIENT, 0,
            0, 0), true);
    SimulationFixture f = SimulationFixture.run(system, sc,
        SimulationFixture.firstMatching(SimulationFixture::isSyn)
            .or(SimulationFixture.firstMatching(s -> s.len() == 100 && s.srcHost() == CLIENT)));
    List<TraceEvent> data = f.sends(0).stream()
        .filter(e -> e.len() == 100 && e.srcHost() == CLIENT).toList();
    assertEquals(2, data.size());
    // The SYN,ACK echoes the retransmitted SYN's TSval: RTT 2 ms, RTO 202 ms (RFC 6298 §5.7
    // without a sample would wait 3 s).
    assertEquals(202 * MS, data.get(1).t() - data.get(0).t());
  }

  @Test
  void closedPortReset_carriesNoOptions() { // §7: tcp_v4_send_reset
    Scenario sc = Scenarios.clientServer("closed", 1, TcpParams.linux(), LinkConfig.ideal(1 * MS),
        Scenarios.oneConnection(100, 100, Scenario.Closer.CLIENT, 0, 0, 0), false);
    List<TraceEvent> s = SimulationFixture.run(system, sc, null).sends(0);
    assertEquals(2, s.size());
    assertEquals(Flags.RST | Flags.ACK, s.get(1).flags());
    assertNull(s.get(1).options());
    assertEquals(0, s.get(1).window());
  }

  @Test
  void rfcProfile_sendsNoOptions_andTheFixedUnscaledWindow() {
    Scenario sc = Scenarios.clientServer("rfc", 1, TcpParams.rfc(), LinkConfig.ideal(1 * MS),
        Scenarios.oneConnection(100, 100, Scenario.Closer.CLIENT, 0, 0, 0), true);
    for (TraceEvent e : SimulationFixture.run(system, sc, null).sends(0)) {
      assertNull(e.options(), e.toString());
      assertEquals(65535, e.window(), e.toString());
    }
  }
}
