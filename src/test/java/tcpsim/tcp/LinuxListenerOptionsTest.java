package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.MS;
import static tcpsim.tcp.EndpointHarness.S;
import static tcpsim.tcp.EndpointHarness.only;

import org.junit.jupiter.api.Test;
import tcpsim.tcp.TcpParams.SynCookies;

/**
 * A {@code profile: linux} listener's SYN,ACKs (docs/linux-profile.md §1.2, §5): options only as
 * the SYN had them, the window of §1.3, and for cookies the SYN's options hidden in the TSval and
 * recovered from the ACK's TSecr. Server host 1 port 80 with TS offset {@value #OFFSET}; client
 * host 0 port 1000, connection 0, ISN {@value #IRS}.
 */
class LinuxListenerOptionsTest {
  private static final int ISS = 9000;
  private static final int IRS = 5000;
  private static final int OFFSET = 1_000_000;
  private static final int CLIENT_TSVAL = 777;
  private static final TcpOptions FULL = TcpOptions.of(1460, true, true, CLIENT_TSVAL, 0, 7);

  private Listener listener;
  private Outbox out;

  private void listen(SynCookies cookies) {
    TcpParams p = TcpParams.linux().withSynCookies(cookies);
    listener = new Listener(1, 80, p, origin -> ISS, origin -> OFFSET);
  }

  private static Segment fromClient(int flags, int seq, int ack, int window, TcpOptions o) {
    return new Segment(0, 1000, 1, 80, seq, ack, flags, window, 0, false, 0, 0, 0, 0, o);
  }

  private Listener.Handoff deliver(Segment s, long now) {
    out = new Outbox();
    return listener.onSegment(s, now, out, AppScript.idle());
  }

  private Segment synAckFor(TcpOptions synOptions, long now) {
    assertNull(deliver(fromClient(Flags.SYN, IRS, 0, 64240, synOptions), now));
    Segment synAck = only(out.segments);
    assertEquals(Flags.SYN | Flags.ACK, synAck.flags());
    return synAck;
  }

  /** The client's ACK of {@code synAck}, echoing its TSval as a Linux client would. */
  private Tcb complete(Segment synAck, long now, int window) {
    TcpOptions ts = synAck.options() != null && synAck.options().hasTimestamps()
        ? TcpOptions.timestamps(CLIENT_TSVAL + 5, synAck.options().tsVal()) : null;
    Listener.Handoff h = deliver(fromClient(Flags.ACK, IRS + 1, synAck.seq() + 1, window, ts),
        now);
    assertNotNull(h, "the ACK completes the handshake");
    return h.tcb();
  }

  @Test
  void synAck_toAFullLinuxSyn_hasTheSameOptions_window65160_andEchoesTheTsval() {
    listen(SynCookies.OFF);
    Segment synAck = synAckFor(FULL, 3 * S);
    assertEquals(65160, synAck.window());
    assertEquals(TcpOptions.of(1460, true, true, 3000 + OFFSET, CLIENT_TSVAL, 7),
        synAck.options());
    Tcb tcb = complete(synAck, 3 * S + 2 * MS, 502);
    assertEquals(1448, tcb.sendMss);
    assertEquals(64256, tcb.peerWindow(fromClient(Flags.ACK, IRS + 1, ISS + 1, 502, null)));
    assertEquals(CLIENT_TSVAL, tcb.opts.tsRecent, "the request's TS.Recent: the SYN's TSval");
    assertEquals(OFFSET, tcb.opts.tsOffset, "the request's offset stays the connection's");
  }

  @Test
  void synAckRetransmission_isIdenticalButForAFreshTsval() {
    listen(SynCookies.OFF);
    Segment first = synAckFor(FULL, 0);
    out = new Outbox();
    listener.fireTimer(listener.nextTimer(), out);
    Segment again = only(out.segments);
    assertTrue(again.retransmit());
    assertEquals(first.window(), again.window());
    assertEquals(TcpOptions.of(1460, true, true, 1000 + OFFSET, CLIENT_TSVAL, 7),
        again.options());
  }

  @Test
  void synAck_toABareSyn_carriesMssOnly_window64240_andTheClientGetsTheDefaultMss() {
    listen(SynCookies.OFF);
    Segment synAck = synAckFor(null, 0);
    assertEquals(TcpOptions.of(1460, false, false, 0, 0, TcpOptions.NO_WSCALE),
        synAck.options());
    assertEquals(64240, synAck.window());
    Tcb tcb = complete(synAck, 2 * MS, 65535);
    assertEquals(536, tcb.sendMss, "no MSS option: RFC 9293's default");
    assertEquals(65535, tcb.peerWindow(fromClient(Flags.ACK, IRS + 1, ISS + 1, 65535, null)));
  }

  @Test
  void cookieSynAck_toASynWithoutTimestamps_isMssOnly_window64240() {
    listen(SynCookies.ALWAYS);
    Segment synAck = synAckFor(TcpOptions.of(1460, true, false, 0, 0, 7), 0);
    assertEquals(TcpOptions.of(1460, false, false, 0, 0, TcpOptions.NO_WSCALE),
        synAck.options());
    assertEquals(64240, synAck.window());
    Tcb tcb = complete(synAck, 2 * MS, 64240);
    assertEquals(1460, tcb.sendMss, "the cookie carries the client's 1460");
    assertFalse(tcb.opts.ts);
    assertEquals(0, tcb.opts.sndShift, "without timestamps SACK and window scale are lost");
  }

  @Test
  void cookieSynAck_toAFullSyn_hidesWscaleAndSackInTheTsvalsLowBits() {
    listen(SynCookies.ALWAYS);
    long now = 5 * S + 7 * MS; // clock 5007 = 78 * 64 + 15
    Segment synAck = synAckFor(FULL, now);
    TcpOptions o = synAck.options();
    assertEquals(65160, synAck.window());
    assertTrue(o.sackPermitted() && o.hasTimestamps());
    assertEquals(7, o.wscale());
    assertEquals(CLIENT_TSVAL, o.tsEcr());
    // cookie_init_timestamp: 78 * 64 | (7 | SACK 16) = 4992 + 23 = 5015 > 5007, so one period
    // lower: 4951.
    assertEquals(4951 + OFFSET, o.tsVal());
    Tcb tcb = complete(synAck, now + 2 * MS, 502);
    assertTrue(tcb.opts.ts);
    assertTrue(tcb.opts.sack);
    assertEquals(7, tcb.opts.sndShift);
    assertEquals(7, tcb.opts.rcvShift);
    assertEquals(1448, tcb.sendMss);
    assertEquals(64256, tcb.peerWindow(fromClient(Flags.ACK, IRS + 1, ISS + 1, 502, null)));
  }

  @Test
  void cookie_withTimestampsButNoWscale_decodesNoScaling_andEncodesTheClientsMss() {
    listen(SynCookies.ALWAYS);
    Segment synAck = synAckFor(TcpOptions.of(1400, false, true, CLIENT_TSVAL, 0,
        TcpOptions.NO_WSCALE), 64 * MS);
    assertEquals(0xF, (synAck.options().tsVal() - OFFSET) & 63, "0xF: no window scale");
    assertFalse(synAck.options().hasWscale());
    Tcb tcb = complete(synAck, 66 * MS, 65160);
    assertEquals(0, tcb.opts.sndShift);
    assertFalse(tcb.opts.sack);
    assertEquals(1300 - 12, tcb.sendMss, "1400 rounds down to the cookie table's 1300");
  }

  @Test
  void listenerReset_carriesNoOptions() { // §7
    listen(SynCookies.OFF);
    assertNull(deliver(fromClient(Flags.ACK, IRS, 12345, 502, TcpOptions.timestamps(1, 2)), 0));
    Segment rst = only(out.segments);
    assertEquals(Flags.RST, rst.flags());
    assertNull(rst.options());
    assertEquals(0, rst.window());
  }
}
