package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SYN-RECEIVED as a full endpoint (RFC 9293 §3.10.7.4): reached by simultaneous open from
 * SYN-SENT (active), or handed off by a listener when the handshake's last ACK arrives
 * (passive). The listener's own half-open entries are tested in {@link ListenTest}.
 */
class SynReceivedTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;

  /** Simultaneous open: our SYN went out at 0, the peer's bare SYN arrived at 100 ms. */
  private static EndpointHarness active(TcpParams params) {
    EndpointHarness a = client(params, AppScript.idle(), ISS, 0);
    a.advanceTo(1);
    assertSegment(only(a.deliver(a.fromPeer(Flags.SYN, IRS, 0, 0), 100 * MS)),
        Flags.SYN | Flags.ACK, ISS, IRS + 1, 0);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
    return a;
  }

  private static EndpointHarness active() {
    return active(TcpParams.linux());
  }

  /** Passive open: the TCB a listener hands off (our SYN,ACK sent at 0, not yet acknowledged). */
  private static EndpointHarness passive() {
    Tcb tcb = EndpointHarness.tcb(TcpParams.linux(), AppScript.idle());
    tcb.iss = ISS;
    tcb.irs = IRS;
    tcb.sndUna = ISS;
    tcb.sndNxt = ISS + 1;
    tcb.sndMax = ISS + 1;
    tcb.rcvNxt = IRS + 1;
    tcb.openedAt = 0;
    return EndpointHarness.passive(tcb);
  }

  @Test
  void validAckAfterPassiveOpen_movesToEstablished_silently() {
    EndpointHarness b = passive();
    assertNothingSent(b.deliver(b.fromPeer(Flags.ACK, IRS + 1, ISS + 1, 0, 32000), 50 * MS));
    assertEquals(TcpState.ESTABLISHED, b.state());
    assertEquals(List.of("SYN_RECEIVED->ESTABLISHED"), b.transitions());
    assertEquals(ISS + 1, b.tcb.sndUna);
    assertEquals(32000, b.tcb.sndWnd, "SND.WND <- SEG.WND");
    assertEquals(50 * MS, b.tcb.establishedAt);
  }

  @Test
  void listenerHandoff_thenFinalAck_reachesEstablished_withTheSynAckRttSample() {
    Listener listener = new Listener(0, 1000, TcpParams.linux(), origin -> ISS);
    Outbox out = new Outbox();
    Segment syn = new Segment(1, 80, 0, 1000, IRS, 0, Flags.SYN, 65535, 0, false, 0, 2, 0, 0);
    listener.onSegment(syn, 0, out, AppScript.idle());
    Segment ack = new Segment(1, 80, 0, 1000, IRS + 1, ISS + 1, Flags.ACK, 65535, 0, false, 0,
        2, 1, 40 * MS);
    Listener.Handoff handoff = listener.onSegment(ack, 40 * MS, out, AppScript.idle());
    assertNotNull(handoff);
    EndpointHarness b = EndpointHarness.passive(handoff.tcb());
    assertNothingSent(b.deliver(handoff.ack(), 40 * MS));
    assertEquals(TcpState.ESTABLISHED, b.state());
    assertTrue(b.tcb.passiveOpen);
    assertEquals(40 * MS, b.tcb.rto.srtt());
  }

  @Test
  void validAckWithData_movesToEstablished_andTheDataIsAcknowledged() {
    EndpointHarness b = passive();
    Segment ack = only(b.deliver(b.fromPeer(Flags.ACK | Flags.PSH, IRS + 1, ISS + 1, 100),
        50 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 101, 0);
    assertEquals(TcpState.ESTABLISHED, b.state());
    assertEquals(100, b.tcb.received);
  }

  @Test
  void validAckAfterSimultaneousOpen_movesToEstablished() {
    EndpointHarness a = active();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, IRS + 1, ISS + 1, 0), 200 * MS));
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->SYN_RECEIVED",
        "SYN_RECEIVED->ESTABLISHED"), a.transitions());
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
  }

  @Test
  void peersSynAckInSimultaneousOpen_liesBelowRcvNxt_soGetsAnAck_thatCompletesThePeer() {
    // RFC 9293 §3.10.7.4 first check: SEG.SEQ = IRS < RCV.NXT, so the SYN,ACK is unacceptable
    // and answered with <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; that ACK is what moves the peer on.
    EndpointHarness a = active();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, IRS, ISS + 1, 0), 200 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void ackAtOrBelowSndUna_getsRst_withSeqOfItsAck() {
    EndpointHarness b = passive();
    Segment rst = only(b.deliver(b.fromPeer(Flags.ACK, IRS + 1, ISS, 0), 50 * MS));
    assertSegment(rst, Flags.RST, ISS, 0, 0);
    assertEquals(TcpState.SYN_RECEIVED, b.state());
  }

  @Test
  void ackBeyondSndNxt_failsTheRfc5961AckCheck_getsAnAck_andIsDropped() {
    // RFC 9293 §3.10.7.4 fifth check: with RFC 5961 §5, an ACK outside
    // (SND.UNA - MAX.SND.WND) =< SEG.ACK =< SND.NXT is discarded and an ACK sent back, before
    // the per-state rules.
    EndpointHarness a = active();
    Segment ack = only(a.deliver(a.fromPeer(Flags.ACK, IRS + 1, ISS + 10, 0), 200 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void segmentWithoutAck_isDropped() {
    EndpointHarness b = passive();
    assertNothingSent(b.deliver(b.fromPeer(Flags.PSH, IRS + 1, 0, 10), 50 * MS));
    assertEquals(TcpState.SYN_RECEIVED, b.state());
  }

  @Test
  void exactRstAfterPassiveOpen_closesWithReset() {
    EndpointHarness b = passive();
    assertNothingSent(b.deliver(b.fromPeer(Flags.RST, IRS + 1, 0, 0), 50 * MS));
    b.assertEnded(Outcome.RESET, 50 * MS);
  }

  @Test
  void exactRstAfterActiveOpen_closesWithRefused() {
    EndpointHarness a = active();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, IRS + 1, 0, 0), 200 * MS));
    a.assertEnded(Outcome.REFUSED, 200 * MS);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = active();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, IRS + 500, 0, 0), 200 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void rstOutsideTheWindow_isIgnored() {
    EndpointHarness a = active();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, IRS + 1 + 70000, 0, 0), 200 * MS));
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void synInWindowAfterActiveOpen_getsChallengeAck() { // RFC 9293 §3.10.7.4 fourth; RFC 5961 §4
    EndpointHarness a = active();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN, IRS + 10, 0, 0), 200 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void synAckRetransmission_onTheTimer_thenDoubling() {
    EndpointHarness a = active(); // the SYN's timer (1 s) now covers the SYN,ACK
    assertNothingSent(a.advanceTo(1 * S));
    Segment again = only(a.advanceTo(1 * S + 1));
    assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
    assertEquals(3 * S, a.lastNextTimer);
    assertNothingSent(a.advanceTo(3 * S));
    assertSegment(only(a.advanceTo(3 * S + 1)), Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
    assertEquals(7 * S, a.lastNextTimer);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
  }

  @Test
  void afterSynRetriesInSimultaneousOpen_givesUpWithSynTimeout() {
    TcpParams p = new TcpParams(1460, 65535, 1 * S, 200 * MS, 120 * S, 2, 5, 15, 30 * S, 128, 128);
    EndpointHarness a = active(p);
    a.advanceTo(1 * S + 1);
    a.advanceTo(3 * S + 1);
    assertNothingSent(a.advanceTo(7 * S + 1));
    a.assertEnded(Outcome.SYN_TIMEOUT, 7 * S);
  }

  @Test
  void closeInSynReceived_sendsFin_andMovesToFinWait1() { // RFC 9293 §3.10.4
    EndpointHarness a = active();
    Segment fin = only(a.closeAt(300 * MS));
    assertSegment(fin, Flags.FIN | Flags.ACK, ISS + 1, IRS + 1, 0, false);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
    // The ACK of our SYN and FIN then takes it straight to FIN-WAIT-2.
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, IRS + 1, ISS + 2, 0), 400 * MS));
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void closeInSynReceived_thenTimeout_resendsTheSynAckFirst() { // RFC 6298 §5.4: earliest unacked
    EndpointHarness a = active();
    a.closeAt(300 * MS);
    Segment again = only(a.advanceTo(1 * S + 1));
    assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
    // Once the SYN alone is acknowledged, the next timeout resends the FIN, not data.
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, IRS + 1, ISS + 1, 0), 1500 * MS));
    assertEquals(TcpState.FIN_WAIT_1, a.state());
    assertEquals(1500 * MS + a.tcb.rto.rto(), a.lastNextTimer);
    Segment fin = only(a.advanceTo(a.lastNextTimer + 1));
    assertSegment(fin, Flags.FIN | Flags.ACK, ISS + 1, IRS + 1, 0, true);
  }
}
