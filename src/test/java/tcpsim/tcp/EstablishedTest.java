package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ESTABLISHED (RFC 9293 §3.10.7.4, with RFC 5961's RST/SYN/ACK checks and RFC 6298's timer).
 * Parameters are {@link TcpParams#rfc()}: MSS 536, window 65535, RTO 1 s .. 60 s.
 */
class EstablishedTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int SND = ISS + 1; // SND.UNA = SND.NXT
  private static final int RCV = IRS + 1; // RCV.NXT
  private static final int DATA = Flags.ACK | Flags.PSH;

  private static EndpointHarness established(AppScript app) {
    return synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(), app, ISS, IRS, 0);
  }

  private static EndpointHarness established() {
    return established(AppScript.idle());
  }

  /** An application that writes {@code bytes} as soon as the connection is ESTABLISHED. */
  private static AppScript writes(long bytes) {
    return new AppScript(bytes, -1, 0, false, 0, 0, -1, 0, 0);
  }

  /** A client whose handshake completed at 100 ms with a peer advertising {@code window}. */
  private static EndpointHarness afterHandshake(AppScript app, int window) {
    return EndpointHarness.established(TcpParams.rfc(), app, ISS, IRS, window, 100 * MS);
  }

  /** What the handshake's SYN,ACK made the client send, after its own ACK. */
  private static List<Segment> dataSentAtHandshake(EndpointHarness a) {
    List<Segment> atAck = a.sent.stream().filter(s -> s.sentAt() == 100 * MS).toList();
    assertSegment(atAck.get(0), Flags.ACK, SND, RCV, 0); // the handshake's third segment
    return atAck.subList(1, atAck.size());
  }

  // ------------------------------------------------------------------ receiving

  @Test
  void inOrderData_isAcknowledged_withAckAdvanced() {
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV, SND, 100), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV + 100, 0);
    assertEquals(100, a.tcb.received);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void outOfOrderData_isHeld_withDuplicateAck_thenGapFilled_cumulativeAckCoversBoth() {
    EndpointHarness a = established();
    Segment dup = only(a.deliver(a.fromPeer(DATA, RCV + 100, SND, 100), 10 * MS));
    assertSegment(dup, Flags.ACK, SND, RCV, 0);
    assertEquals(0, a.tcb.received);
    Segment cumulative = only(a.deliver(a.fromPeer(DATA, RCV, SND, 100), 20 * MS));
    assertSegment(cumulative, Flags.ACK, SND, RCV + 200, 0);
    assertEquals(200, a.tcb.received);
  }

  @Test
  void dataOverlappingRcvNxt_isAcceptable_andOnlyTheNewPartCounts() {
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV - 50, SND, 100), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV + 50, 0);
    assertEquals(50, a.tcb.received);
  }

  @Test
  void oldDuplicateData_isUnacceptable_getsAck_andIsDropped() { // §3.10.7.4 first check
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV - 100, SND, 100), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(0, a.tcb.received);
  }

  @Test
  void dataBeyondTheReceiveWindow_isUnacceptable_getsAck() {
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV + 65535, SND, 10), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(0, a.tcb.received);
  }

  @Test
  void finInEstablished_isAcknowledged_andMovesToCloseWait() {
    EndpointHarness a = established(new AppScript(0, -1, 0, false, 0, 0, -1, 0, 10 * S));
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV, SND, 0), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV + 1, 0);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
    assertEquals(List.of("ESTABLISHED->CLOSE_WAIT"), a.transitions());
    assertEquals(10 * MS + 10 * S, a.lastNextTimer, "the application closes after lastDelay");
  }

  @Test
  void finWithData_acknowledgesDataAndFin_andMovesToCloseWait() {
    EndpointHarness a = established(new AppScript(0, -1, 0, false, 0, 0, -1, 0, 10 * S));
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | DATA, RCV, SND, 100), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV + 101, 0);
    assertEquals(100, a.tcb.received);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
  }

  @Test
  void finBeyondAGap_isNotProcessed_andGetsDuplicateAck() { // §3.10.7.4 eighth: FIN in sequence
    EndpointHarness a = established();
    Segment dup = only(a.deliver(a.fromPeer(Flags.FIN | DATA, RCV + 100, SND, 100), 10 * MS));
    assertSegment(dup, Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void segmentWithoutAckBit_isDropped() { // §3.10.7.4 fifth: "if the ACK bit is off, drop"
    EndpointHarness a = established();
    assertNothingSent(a.deliver(a.fromPeer(Flags.PSH, RCV, 0, 100), 10 * MS));
    assertEquals(0, a.tcb.received);
  }

  // ------------------------------------------------------------------ sending

  @Test
  void writeLargerThanMss_isSentInMssSizedSegments_pshOnTheLast() {
    EndpointHarness a = afterHandshake(writes(1500), 65535);
    List<Segment> data = dataSentAtHandshake(a);
    assertEquals(3, data.size(), data.toString());
    assertSegment(data.get(0), Flags.ACK, SND, RCV, 536, false);
    assertSegment(data.get(1), Flags.ACK, SND + 536, RCV, 536, false);
    assertSegment(data.get(2), DATA, SND + 1072, RCV, 428, false);
    assertEquals(SND + 1500, a.tcb.sndNxt);
    assertEquals(100 * MS + 1 * S, a.lastNextTimer, "the retransmission timer runs");
  }

  @Test
  void smallPeerWindow_limitsBytesInFlight_andEachAckOpensRoomForMore() {
    EndpointHarness a = afterHandshake(writes(2500), 1000);
    List<Segment> data = dataSentAtHandshake(a);
    assertEquals(2, data.size(), data.toString());
    assertSegment(data.get(0), Flags.ACK, SND, RCV, 536);
    assertSegment(data.get(1), Flags.ACK, SND + 536, RCV, 464); // 1000 bytes: the window
    List<Segment> more = a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 1000, 0, 1000), 200 * MS);
    assertEquals(2, more.size(), more.toString());
    assertSegment(more.get(0), Flags.ACK, SND + 1000, RCV, 536, false);
    assertSegment(more.get(1), Flags.ACK, SND + 1536, RCV, 464, false);
    List<Segment> last = a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 1500, 0, 1000), 300 * MS);
    assertSegment(only(last), DATA, SND + 2000, RCV, 500, false); // only 500 were left
  }

  @Test
  void zeroPeerWindow_holdsData_untilAWindowUpdate() {
    EndpointHarness a = afterHandshake(writes(1000), 0);
    assertEquals(List.of(), dataSentAtHandshake(a));
    List<Segment> data = a.deliver(a.fromPeer(Flags.ACK, RCV, SND, 0, 600), 200 * MS);
    assertEquals(2, data.size(), data.toString());
    assertSegment(data.get(0), Flags.ACK, SND, RCV, 536);
    assertSegment(data.get(1), Flags.ACK, SND + 536, RCV, 64);
  }

  @Test
  void ackOfSentData_advancesSndUna_takesAnRttSample_andStopsTheTimer() { // RFC 6298 §5.2
    EndpointHarness a = afterHandshake(writes(100), 65535);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 100, 0), 180 * MS));
    assertEquals(SND + 100, a.tcb.sndUna);
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
    // First sample 100 ms from the SYN; this one 80 ms: SRTT = 7/8 * 100 + 1/8 * 80 = 97.5 ms.
    assertEquals(97_500_000L, a.tcb.rto.srtt());
  }

  @Test
  void duplicateAck_isIgnoredSilently() { // §3.10.7.4 fifth: SEG.ACK =< SND.UNA
    EndpointHarness a = established();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND, 0), 10 * MS));
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND - 10, 0), 20 * MS));
    assertEquals(SND, a.tcb.sndUna);
  }

  @Test
  void windowUpdate_takesTheNewerSegmentsWindow() { // §3.10.7.4 fifth: SND.WL1/SND.WL2
    EndpointHarness a = established().dataSent(1000, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 500, 0, 2000), 10 * MS));
    assertEquals(2000, a.tcb.sndWnd);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 500, 0, 3000), 20 * MS));
    assertEquals(3000, a.tcb.sndWnd, "same SEG.SEQ, SEG.ACK not older: update");
  }

  @Test
  void ackBelowSndUna_doesNotUpdateTheSendWindow() {
    // §3.10.7.4 fifth: "If SND.UNA =< SEG.ACK =< SND.NXT, the send window should be updated";
    // a window measured from an older ACK would stretch past the right edge the peer offered.
    EndpointHarness a = established().dataSent(1000, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 500, 0, 2000), 10 * MS));
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV + 10, SND + 100, 0, 50), 20 * MS));
    assertEquals(2000, a.tcb.sndWnd);
    assertEquals(SND + 500, a.tcb.sndUna);
  }

  @Test
  void ackOfDataNotYetSent_getsAck_andTheSegmentIsDropped() { // §3.10.7.4 fifth
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV, SND + 500, 50), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(0, a.tcb.received, "its data is not accepted");
    assertEquals(SND, a.tcb.sndUna);
  }

  @Test
  void ackOlderThanMaxSndWnd_getsAck_andTheSegmentIsDropped() { // RFC 5961 §5.2
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV, SND - 70000, 50), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(0, a.tcb.received);
  }

  // ------------------------------------------------------------------ closing

  @Test
  void appClose_sendsFin_andMovesToFinWait1() {
    EndpointHarness a = established();
    Segment fin = only(a.closeAt(1 * S));
    assertSegment(fin, Flags.FIN | Flags.ACK, SND, RCV, 0, false);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
    assertEquals(List.of("ESTABLISHED->FIN_WAIT_1"), a.transitions());
    assertEquals(2 * S, a.lastNextTimer, "the FIN is timed for retransmission");
  }

  @Test
  void appCloseWithUnsentData_sendsTheFinOnTheLastDataSegment() {
    EndpointHarness a = established();
    a.tcb.written = 100; // written, held back (e.g. by the window), not yet sent
    Segment fin = only(a.closeAt(1 * S));
    assertSegment(fin, Flags.FIN | DATA, SND, RCV, 100, false);
    assertEquals(SND + 101, a.tcb.sndNxt);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  // ------------------------------------------------------------------ RST and SYN

  @Test
  void exactRst_closesWithReset() {
    EndpointHarness a = established();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV, 0, 0), 10 * MS));
    a.assertEnded(Outcome.RESET, 10 * MS);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, RCV + 1, 0, 0), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertFalse(a.stopped);
  }

  @Test
  void rstOutsideTheWindow_isIgnoredSilently() {
    EndpointHarness a = established();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV + 65535, 0, 0), 10 * MS));
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST | Flags.ACK, RCV - 1, SND, 0), 20 * MS));
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void synInWindow_getsChallengeAck_andStateIsUnchanged() { // RFC 5961 §4.2
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN, RCV + 10, 0, 0), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  @Test
  void oldSyn_getsAck_andStateIsUnchanged() {
    EndpointHarness a = established();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN, IRS, 0, 0), 10 * MS));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.ESTABLISHED, a.state());
  }

  // ------------------------------------------------------------------ retransmission

  @Test
  void retransmissionTimeout_resendsTheFirstUnackedSegment_afterRto_thenDoubling() {
    EndpointHarness a = afterHandshake(writes(1000), 65535); // 536 + 464 out at 100 ms
    assertEquals(2, dataSentAtHandshake(a).size());
    long first = 100 * MS + 1 * S; // RTO: 100 ms sample, clamped to the 1 s minimum
    assertNothingSent(a.advanceTo(first));
    assertSegment(only(a.advanceTo(first + 1)), Flags.ACK, SND, RCV, 536, true);
    long second = first + 2 * S;
    assertEquals(second, a.lastNextTimer);
    assertNothingSent(a.advanceTo(second));
    assertSegment(only(a.advanceTo(second + 1)), Flags.ACK, SND, RCV, 536, true);
    assertEquals(second + 4 * S, a.lastNextTimer);
  }

  @Test
  void ackAfterRetransmission_resendsTheRest_andTakesNoRttSample() { // go-back-N, Karn
    EndpointHarness a = afterHandshake(writes(1000), 65535);
    a.advanceTo(100 * MS + 1 * S + 1);
    List<Segment> rest = a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 536, 0), 1200 * MS);
    assertSegment(only(rest), DATA, SND + 536, RCV, 464, true);
    assertEquals(100 * MS, a.tcb.rto.srtt(), "no sample from a retransmitted segment");
    assertEquals(2 * S, a.tcb.rto.rto(), "the backed-off RTO stays until a new sample");
  }

  @Test
  void afterDataRetries_theConnectionTimesOut_withoutSending() {
    TcpParams p = new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 2, 120 * S, 128, 128);
    EndpointHarness a = EndpointHarness.established(p, writes(100), ISS, IRS, 65535, 100 * MS);
    long t = 100 * MS;
    assertSegment(only(a.advanceTo(t + 1 * S + 1)), DATA, SND, RCV, 100, true);
    assertSegment(only(a.advanceTo(t + 3 * S + 1)), DATA, SND, RCV, 100, true);
    assertNothingSent(a.advanceTo(t + 7 * S));
    assertEquals(TcpState.ESTABLISHED, a.state());
    assertNothingSent(a.advanceTo(t + 7 * S + 1));
    a.assertEnded(Outcome.DATA_TIMEOUT, t + 7 * S);
  }

  // ------------------------------------------------------------------ across 2^32

  @Test
  void wrapAround_dataBothWaysAndCloseAcross2To32() {
    int iss = 0xFFFFFFF0;
    int irs = 0xFFFFFF80;
    EndpointHarness a = EndpointHarness.established(TcpParams.rfc(), writes(100), iss, irs,
        65535, 100 * MS);
    // Our 100 bytes run from 0xFFFFFFF1 over the wrap to 0x55.
    List<Segment> out = a.sent.stream().filter(s -> s.sentAt() == 100 * MS).toList();
    assertEquals(2, out.size(), out.toString());
    assertSegment(out.get(0), Flags.ACK, 0xFFFFFFF1, 0xFFFFFF81, 0);
    assertSegment(out.get(1), DATA, 0xFFFFFFF1, 0xFFFFFF81, 100);
    assertEquals(0x55, a.tcb.sndNxt);

    // The peer acknowledges across the wrap: the timer stops.
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, 0xFFFFFF81, 0x55, 0), 200 * MS));
    assertEquals(0x55, a.tcb.sndUna);
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);

    // The peer's 200 bytes run from 0xFFFFFF81 to 0x49; the second half arrives first.
    assertSegment(only(a.deliver(a.fromPeer(DATA, 0xFFFFFFE5, 0x55, 100), 300 * MS)),
        Flags.ACK, 0x55, 0xFFFFFF81, 0);
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, 0xFFFFFF81, 0x55, 100), 310 * MS)),
        Flags.ACK, 0x55, 0x49, 0);
    assertEquals(200, a.tcb.received);

    // An old segment from before the wrap is still recognised as old.
    assertSegment(only(a.deliver(a.fromPeer(DATA, 0xFFFFFF81, 0x55, 100), 320 * MS)),
        Flags.ACK, 0x55, 0x49, 0);
    assertEquals(200, a.tcb.received);

    // Close: our FIN at 0x55, the peer's FIN,ACK at 0x49 acknowledging it, TIME-WAIT, CLOSED.
    assertSegment(only(a.closeAt(1 * S)), Flags.FIN | Flags.ACK, 0x55, 0x49, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, 0x49, 0x56, 0), 1100 * MS)),
        Flags.ACK, 0x56, 0x4A, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    long closedAt = 1100 * MS + TcpParams.rfc().timeWait();
    assertNothingSent(a.advanceTo(closedAt + 1));
    a.assertEnded(Outcome.CLOSED, closedAt);
  }
}
