package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** SYN-SENT (RFC 9293 §3.10.7.3): our SYN is out, waiting for the peer's SYN. */
class SynSentTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;

  /** A client that opened at 0: its SYN (seq ISS) is out and it is in SYN-SENT. */
  private static EndpointHarness synSent(TcpParams params, AppScript app) {
    EndpointHarness a = client(params, app, ISS, 0);
    assertSegment(only(a.advanceTo(1)), Flags.SYN, ISS, 0, 0);
    assertEquals(TcpState.SYN_SENT, a.state());
    return a;
  }

  private static EndpointHarness synSent() {
    return synSent(TcpParams.linux(), AppScript.idle());
  }

  @Test
  void synAckWithRightAck_isAcknowledged_andMovesToEstablished() {
    EndpointHarness a = synSent();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, IRS, ISS + 1, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertEquals(IRS, a.tcb.irs);
    assertEquals(IRS + 1, a.tcb.rcvNxt);
    assertEquals(ISS + 1, a.tcb.sndUna);
    assertEquals(100 * MS, a.tcb.establishedAt);
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt, "the SYN timer stops");
    // The SYN was never resent, so it gives the first RTT sample (RFC 6298 §2.2).
    assertEquals(100 * MS, a.tcb.rto.srtt());
    assertEquals(300 * MS, a.tcb.rto.rto());
  }

  @Test
  void synAckWithRightAck_sendsTheHandshakeAckBeforeTheFirstData() {
    EndpointHarness a = synSent(TcpParams.linux(), new AppScript(100, -1, 0, false, 0, 0, -1, 0, 0));
    List<Segment> out = a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, IRS, ISS + 1, 0), 100 * MS);
    assertEquals(2, out.size(), out.toString());
    assertSegment(out.get(0), Flags.ACK, ISS + 1, IRS + 1, 0);
    assertSegment(out.get(1), Flags.ACK | Flags.PSH, ISS + 1, IRS + 1, 100);
  }

  @Test
  void synAckWithAckAtIss_getsRst_withSeqOfItsAck_andStaysInSynSent() { // SEG.ACK =< ISS
    EndpointHarness a = synSent();
    Segment rst = only(a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, IRS, ISS, 0), 100 * MS));
    assertSegment(rst, Flags.RST, ISS, 0, 0);
    assertEquals(TcpState.SYN_SENT, a.state());
  }

  @Test
  void ackBeyondSndNxt_getsRst_withSeqOfItsAck_andStaysInSynSent() { // SEG.ACK > SND.NXT
    EndpointHarness a = synSent();
    Segment rst = only(a.deliver(a.fromPeer(Flags.ACK, IRS, ISS + 50, 0), 100 * MS));
    assertSegment(rst, Flags.RST, ISS + 50, 0, 0);
    assertEquals(TcpState.SYN_SENT, a.state());
    assertEquals(1 * S, a.lastNextTimer, "the SYN timer keeps running");
  }

  @Test
  void rstWithUnacceptableAck_isDroppedSilently() {
    EndpointHarness a = synSent();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST | Flags.ACK, 0, ISS + 50, 0), 100 * MS));
    assertEquals(TcpState.SYN_SENT, a.state());
  }

  @Test
  void rstWithAcceptableAck_closesWithRefused() {
    EndpointHarness a = synSent();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST | Flags.ACK, 0, ISS + 1, 0), 100 * MS));
    a.assertEnded(Outcome.REFUSED, 100 * MS);
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->CLOSED"), a.transitions());
  }

  @Test
  void rstWithoutAck_isIgnored() { // RFC 9293 §3.10.7.3 second check; RFC 5961 §3.2
    EndpointHarness a = synSent();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, IRS, 0, 0), 100 * MS));
    assertEquals(TcpState.SYN_SENT, a.state());
    assertFalse(a.stopped);
  }

  @Test
  void segmentWithNeitherSynNorRst_isDropped() {
    EndpointHarness a = synSent();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, IRS, ISS + 1, 0), 100 * MS));
    assertEquals(TcpState.SYN_SENT, a.state());
    assertNothingSent(a.deliver(a.fromPeer(Flags.PSH, IRS, 0, 10), 110 * MS));
    assertEquals(TcpState.SYN_SENT, a.state());
  }

  @Test
  void bareSyn_isSimultaneousOpen_answeredWithSynAck_andMovesToSynReceived() {
    EndpointHarness a = synSent();
    Segment synAck = only(a.deliver(a.fromPeer(Flags.SYN, IRS, 0, 0), 100 * MS));
    assertSegment(synAck, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, false);
    assertEquals(TcpState.SYN_RECEIVED, a.state());
    assertEquals(IRS + 1, a.tcb.rcvNxt);
    assertEquals(ISS, a.tcb.sndUna, "our SYN is not acknowledged yet");
    assertEquals(ISS + 1, a.tcb.sndNxt);
  }

  @Test
  void synRetransmission_atExactly1s_then3s_7s_doubling_untilSynTimeout() {
    EndpointHarness a = synSent(); // linux(): initial RTO 1 s, max 120 s, 6 SYN retries
    assertNothingSent(a.advanceTo(1 * S)); // not a nanosecond early
    List<Long> at = new ArrayList<>();
    long t = 0;
    long rto = 1 * S;
    for (int i = 0; i < 6; i++) {
      t += rto;
      if (i > 0) assertNothingSent(a.advanceTo(t));
      Segment syn = only(a.advanceTo(t + 1));
      assertSegment(syn, Flags.SYN, ISS, 0, 0, true);
      at.add(syn.sentAt());
      assertEquals(TcpState.SYN_SENT, a.state());
      rto = Math.min(2 * rto, 120 * S);
    }
    assertEquals(List.of(1 * S, 3 * S, 7 * S, 15 * S, 31 * S, 63 * S), at);
    assertEquals(127 * S, a.lastNextTimer);
    assertNothingSent(a.advanceTo(127 * S));
    assertEquals(TcpState.SYN_SENT, a.state());
    assertNothingSent(a.advanceTo(127 * S + 1));
    a.assertEnded(Outcome.SYN_TIMEOUT, 127 * S);
  }

  @Test
  void synAckAfterARetransmittedSyn_givesNoRttSample_andRtoRestartsAtThreeSeconds() {
    EndpointHarness a = synSent(); // RFC 6298 §5.7 and Karn's rule
    a.advanceTo(1 * S + 1);
    a.deliver(a.fromPeer(Flags.SYN | Flags.ACK, IRS, ISS + 1, 0), 1100 * MS);
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertFalse(a.tcb.rto.hasSample());
    assertEquals(3 * S, a.tcb.rto.rto());
  }

  @Test
  void closeInSynSent_deletesTheTcb_withoutSending() { // RFC 9293 §3.10.4
    EndpointHarness a = synSent();
    assertNothingSent(a.closeAt(500 * MS));
    a.assertEnded(Outcome.CLOSED, 500 * MS);
  }
}
