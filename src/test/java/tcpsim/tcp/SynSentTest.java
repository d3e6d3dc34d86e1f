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

  /**
   * Runs a client that opened at 0 and never hears back; returns the times its SYN
   * retransmissions went out, checking that nothing goes out a nanosecond before each, and
   * asserts that it ends {@code syn-timeout} at exactly {@code giveUpAt}.
   */
  private static List<Long> retransmissionsUntilGiveUp(TcpParams params, long giveUpAt) {
    EndpointHarness a = synSent(params, AppScript.idle());
    List<Long> at = new ArrayList<>();
    while (a.lastNextTimer < giveUpAt) {
      long t = a.lastNextTimer;
      assertNothingSent(a.advanceTo(t)); // not a nanosecond early
      Segment syn = only(a.advanceTo(t + 1));
      assertSegment(syn, Flags.SYN, ISS, 0, 0, true);
      assertEquals(TcpState.SYN_SENT, a.state());
      at.add(syn.sentAt() / S);
      assertEquals(t, syn.sentAt());
    }
    assertEquals(giveUpAt, a.lastNextTimer);
    assertNothingSent(a.advanceTo(giveUpAt));
    assertEquals(TcpState.SYN_SENT, a.state());
    assertNothingSent(a.advanceTo(giveUpAt + 1));
    a.assertEnded(Outcome.SYN_TIMEOUT, giveUpAt);
    return at;
  }

  @Test
  void rfc_synRetransmission_atExactly1s_then3s_7s_doubling_untilSynTimeout() { // RFC 6298 §5.5
    // rfc(): initial RTO 1 s, max 60 s, 6 SYN retries: the 6th waits min(64, 60) s.
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L, 63L),
        retransmissionsUntilGiveUp(TcpParams.rfc(), 123 * S));
  }

  @Test
  void linux_firstFourSynTimeoutsDoNotBackOff_elevenSyns_andSynTimeoutAt131s() {
    // docs/linux-profile.md §3, §8.4: tcp_syn_linear_timeouts 4, tcp_syn_retries 6: SYNs at 0,
    // 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s; at 131 s 10 = 6 + 4 retransmissions are out.
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L, 11L, 19L, 35L, 67L),
        retransmissionsUntilGiveUp(TcpParams.linux(), 131 * S));
  }

  @Test
  void linux_withoutLinearTimeouts_isThePre65Schedule_givingUpAt127s() {
    // Before 6.5 (and with tcp_syn_linear_timeouts 0): this was tcpsim's linux profile before
    // the knob was modelled; 127 s is both the count (6) and tcp_model_timeout(6) = 127 s.
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L, 63L), retransmissionsUntilGiveUp(
        LinuxParams.with("sysctl: {tcp_syn_linear_timeouts: 0}"), 127 * S));
  }

  @Test
  void linux_synRetries3_givesUpAt19s_notAt15s() {
    // 3 + 4 retransmissions: at 1, 2, 3, 4, 5, 7, 11; the 8th firing (19 s) gives up.
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 7L, 11L),
        retransmissionsUntilGiveUp(LinuxParams.with("synRetries: 3"), 19 * S));
  }

  @Test
  void linux_timeLimit_decidesWhenTheBackoffIsLongerThanTheModel() {
    // tcp_model_timeout(2, 1 s) = 7 s counts from the first SYN; with 30 linear timeouts the
    // count (32) never decides: the firing at 7 s finds 7 s gone and gives up there.
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), retransmissionsUntilGiveUp(
        LinuxParams.with("sysctl: {tcp_syn_retries: 2, tcp_syn_linear_timeouts: 30}"), 7 * S));
  }

  @Test
  void linux_modelTimeout_isLinuxsFormula() { // tcp_timer.c tcp_model_timeout
    assertEquals(127 * S, SynSent.modelTimeout(6, 1 * S, 120 * S));
    assertEquals(15 * S, SynSent.modelTimeout(3, 1 * S, 120 * S));
    assertEquals(1 * S, SynSent.modelTimeout(0, 1 * S, 120 * S));
    assertEquals(247 * S, SynSent.modelTimeout(7, 1 * S, 120 * S)); // 127 + 1 × 120
    assertEquals(367 * S, SynSent.modelTimeout(8, 1 * S, 120 * S));
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
