package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Linux's delayed and quick ACKs under {@code profile: linux} (docs/linux-profile.md §2,
 * {@link DelayedAck}): each test builds an endpoint in ESTABLISHED (or FIN-WAIT-1/2) with
 * {@link TcpParams#linux()}, feeds it segments and asserts which ACKs go out, and when.
 */
class DelayedAckTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int SND = ISS + 1; // SND.UNA = SND.NXT
  private static final int RCV = IRS + 1; // RCV.NXT
  private static final int DATA = Flags.ACK | Flags.PSH;

  private static AppScript script(AppScript.Step... steps) {
    return new AppScript(List.of(steps));
  }

  private static EndpointHarness established(TcpParams params, AppScript app) {
    return synchronizedIn(TcpState.ESTABLISHED, params, app, ISS, IRS, 0);
  }

  private static EndpointHarness established(AppScript app) {
    return established(TcpParams.linux(), app);
  }

  /** A server that read a 100-byte request at 10 ms and answered it with 100 bytes. */
  private static EndpointHarness afterOneExchange(AppScript.Step... more) {
    List<AppScript.Step> steps = new ArrayList<>(
        List.of(new AppScript.Read(100), new AppScript.Write(100)));
    steps.addAll(List.of(more));
    EndpointHarness a = established(new AppScript(steps));
    a.deliver(a.fromPeer(DATA, RCV, SND, 100), 10 * MS);
    return a;
  }

  // ------------------------------------------------------------------ quick ACKs

  @Test
  void firstData_isQuickAcked_beforeTheApplicationsReply() { // §8.1 rows 5 and 6
    EndpointHarness a = established(script(new AppScript.Read(100), new AppScript.Write(100)));
    List<Segment> out = a.deliver(a.fromPeer(DATA, RCV, SND, 100), 10 * MS);
    assertEquals(2, out.size(), "a quick ACK, then the reply: " + out);
    assertSegment(out.get(0), Flags.ACK, SND, RCV + 100, 0);
    assertSegment(out.get(1), DATA, SND, RCV + 100, 100);
    assertEquals(DelayedAck.MAX_QUICKACKS - 1, a.tcb.delAck.quick, "one quick ACK spent");
    assertEquals(40 * MS, a.tcb.delAck.ato);
    assertTrue(a.tcb.delAck.inPingpong(), "a reply within ato: ping-pong mode");
  }

  @Test
  void quickAckBudget_isSixteen_thenTheAckIsDelayed40ms() {
    EndpointHarness a = established(AppScript.idle()); // the application never reads
    for (int i = 0; i < 16; i++) {
      Segment ack = only(a.deliver(a.fromPeer(DATA, RCV + 100 * i, SND, 100), (10 + i) * MS));
      assertSegment(ack, Flags.ACK, SND, RCV + 100 * (i + 1), 0);
    }
    assertEquals(0, a.tcb.delAck.quick, "budget spent");
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV + 1600, SND, 100), 26 * MS));
    assertEquals(66 * MS, a.lastNextTimer, "delayed-ACK timer: TCP_ATO_MIN after the segment");
    Segment delayed = only(a.advanceTo(66 * MS + 1));
    assertSegment(delayed, Flags.ACK, SND, RCV + 1700, 0);
    assertEquals(66 * MS, delayed.sentAt());
  }

  @Test
  void quickAckBudget_isHalfTheWindowInReceiveMss() { // min(rcv_wnd / (2·536), 16)
    TcpParams smallWindow = new TcpParams(1460, 4288, 1 * S, 200 * MS, 120 * S, 6, 5, 15, 30 * S,
        4096, 4096, TcpParams.SynCookies.ON_OVERFLOW, LinuxKnobs.defaults());
    EndpointHarness a = established(smallWindow, AppScript.idle());
    for (int i = 0; i < 4; i++) {
      only(a.deliver(a.fromPeer(DATA, RCV + 100 * i, SND, 100), (10 + i) * MS));
    }
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV + 400, SND, 100), 14 * MS));
    assertSegment(only(a.advanceTo(54 * MS + 1)), Flags.ACK, SND, RCV + 500, 0);
  }

  // ------------------------------------------------------------------ delayed ACKs

  @Test
  void inPingpong_theNextRequestsAck_waits40ms_forTheTimer() {
    EndpointHarness a = afterOneExchange(new AppScript.Read(100));
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV + 100, SND + 100, 100), 20 * MS));
    assertEquals(60 * MS, a.tcb.delAckAt);
    assertEquals(60 * MS, a.lastNextTimer);
    assertNothingSent(a.advanceTo(60 * MS));
    Segment ack = only(a.advanceTo(60 * MS + 1));
    assertSegment(ack, Flags.ACK, SND + 100, RCV + 200, 0);
    assertEquals(60 * MS, ack.sentAt());
    assertFalse(a.tcb.delAck.inPingpong(), "the timer fired: the reply did not come, leave ping-pong");
    assertEquals(40 * MS, a.tcb.delAck.ato);
  }

  @Test
  void delayedAck_isCarriedByTheReply_andItsTimerStops() { // piggybacking
    EndpointHarness a = afterOneExchange(new AppScript.Read(100),
        new AppScript.Pause(10 * MS), new AppScript.Write(100));
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV + 100, SND + 100, 100), 20 * MS));
    Segment reply = only(a.advanceTo(100 * MS));
    assertSegment(reply, DATA, SND + 100, RCV + 200, 100);
    assertEquals(30 * MS, reply.sentAt());
    assertEquals(Tcb.NEVER_TIME, a.tcb.delAckAt);
  }

  @Test
  void everySecondFullSizedSegment_isAckedAtOnce_theFirstWaits() {
    EndpointHarness a = afterOneExchange(new AppScript.Read(100_000)); // in ping-pong mode
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV + 100, SND + 100, 1460), 20 * MS));
    assertEquals(1460, a.tcb.delAck.rcvMss, "rcv_mss learnt from a full-sized segment");
    assertEquals(60 * MS, a.tcb.delAckAt);
    Segment ack = only(a.deliver(a.fromPeer(Flags.ACK, RCV + 1560, SND + 100, 1460), 21 * MS));
    assertSegment(ack, Flags.ACK, SND + 100, RCV + 3020, 0);
    assertEquals(Tcb.NEVER_TIME, a.tcb.delAckAt);
  }

  @Test
  void timerExpiryOutsidePingpong_doublesAto_forTheNextDelay() {
    EndpointHarness a = established(AppScript.idle());
    for (int i = 0; i < 17; i++) a.deliver(a.fromPeer(DATA, RCV + 100 * i, SND, 100), (10 + i) * MS);
    only(a.advanceTo(66 * MS + 1)); // the 17th segment's ACK, 40 ms late
    assertEquals(80 * MS, a.tcb.delAck.ato, "min(2·ato, RTO)");
    // 100 ms later: the gap is above ato and below the RTO, so ato stays 80 ms.
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV + 1700, SND, 100), 126 * MS));
    assertEquals(206 * MS, a.tcb.delAckAt);
    assertSegment(only(a.advanceTo(206 * MS + 1)), Flags.ACK, SND, RCV + 1800, 0);
  }

  @Test
  void outOfOrderData_isAckedAtOnce_evenInPingpong_andSoIsTheSegmentFillingTheGap() {
    EndpointHarness a = afterOneExchange(new AppScript.Read(100_000));
    Segment dup = only(a.deliver(a.fromPeer(DATA, RCV + 200, SND + 100, 100), 20 * MS));
    assertSegment(dup, Flags.ACK, SND + 100, RCV + 100, 0);
    Segment filled = only(a.deliver(a.fromPeer(DATA, RCV + 100, SND + 100, 100), 21 * MS));
    assertSegment(filled, Flags.ACK, SND + 100, RCV + 300, 0);
  }

  @Test
  void duplicateData_isAckedAtOnce_andLeavesPingpong() { // tcp_send_dupack
    EndpointHarness a = afterOneExchange(new AppScript.Read(100_000));
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV, SND + 100, 100), 20 * MS));
    assertSegment(ack, Flags.ACK, SND + 100, RCV + 100, 0);
    assertFalse(a.tcb.delAck.inPingpong());
    // Quick mode again: the next new segment is acknowledged at once.
    Segment next = only(a.deliver(a.fromPeer(DATA, RCV + 100, SND + 100, 100), 30 * MS));
    assertSegment(next, Flags.ACK, SND + 100, RCV + 200, 0);
  }

  // ------------------------------------------------------------------ FIN

  @Test
  void finInEstablished_entersPingpong_andIsAckedByTheTimer40msLater() { // §8.2 row 9
    EndpointHarness a = afterOneExchange(); // the application has nothing more to say
    assertNothingSent(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV + 100, SND + 100, 0),
        20 * MS));
    assertEquals(TcpState.CLOSE_WAIT, a.state());
    assertEquals(60 * MS, a.lastNextTimer);
    Segment ack = only(a.advanceTo(60 * MS + 1));
    assertSegment(ack, Flags.ACK, SND + 100, RCV + 101, 0);
    assertEquals(60 * MS, ack.sentAt());
    assertFalse(a.tcb.delAck.inPingpong());
  }

  @Test
  void finInEstablished_evenOutsidePingpong_isNotQuickAcked() { // tcp_fin enters ping-pong
    EndpointHarness a = established(AppScript.idle());
    a.deliver(a.fromPeer(DATA, RCV, SND, 100), 10 * MS); // quick-ACKed; no reply
    assertFalse(a.tcb.delAck.inPingpong());
    assertNothingSent(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV + 100, SND, 0), 20 * MS));
    assertSegment(only(a.advanceTo(60 * MS + 1)), Flags.ACK, SND, RCV + 101, 0);
  }

  @Test
  void finInEstablished_isAckedByTheApplicationsOwnFin() { // §8.7 row 9
    EndpointHarness a = afterOneExchange(new AppScript.Read(AppScript.Read.EOF),
        AppScript.Call.CLOSE);
    Segment fin = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV + 100, SND + 100, 0),
        20 * MS));
    assertSegment(fin, Flags.FIN | Flags.ACK, SND + 100, RCV + 101, 0);
    assertEquals(TcpState.LAST_ACK, a.state());
    assertEquals(Tcb.NEVER_TIME, a.tcb.delAckAt);
  }

  @Test
  void finBeforeAnyData_isAckedOneJiffyLater_unlessTheApplicationsFinCarriesIt() { // ato = 0
    EndpointHarness idle = established(AppScript.idle());
    assertNothingSent(idle.deliver(idle.fromPeer(Flags.FIN | Flags.ACK, RCV, SND, 0), 5 * MS));
    Segment ack = only(idle.advanceTo(6 * MS + 1));
    assertSegment(ack, Flags.ACK, SND, RCV + 1, 0);
    assertEquals(6 * MS, ack.sentAt());

    EndpointHarness closer = established(script(new AppScript.Read(AppScript.Read.EOF),
        AppScript.Call.CLOSE));
    Segment fin = only(closer.deliver(closer.fromPeer(Flags.FIN | Flags.ACK, RCV, SND, 0),
        5 * MS, 10 * MS));
    assertSegment(fin, Flags.FIN | Flags.ACK, SND, RCV + 1, 0);
  }

  @Test
  void finInFinWait1_isAckedAtOnce() { // §8.8: simultaneous close
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).ourFinSent(false, 0);
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV, SND, 0), 50 * MS));
    assertSegment(ack, Flags.ACK, SND + 1, RCV + 1, 0);
    assertEquals(TcpState.CLOSING, a.state());
  }

  @Test
  void finInFinWait2_isAckedAtOnce() { // §8.1 row 12
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_2, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).ourFinSent(true, 0);
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV, SND + 1, 0), 6 * MS));
    assertSegment(ack, Flags.ACK, SND + 1, RCV + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  // ------------------------------------------------------------------ the RFC profile

  @Test
  void rfcProfile_acksAtOnce_andTheReplyCarriesTheAck() {
    EndpointHarness a = established(TcpParams.rfc(),
        script(new AppScript.Read(100), new AppScript.Write(100)));
    assertNull(a.tcb.delAck);
    Segment reply = only(a.deliver(a.fromPeer(DATA, RCV, SND, 100), 10 * MS));
    assertSegment(reply, DATA, SND, RCV + 100, 100);
    Segment ack = only(a.deliver(a.fromPeer(DATA, RCV + 100, SND + 100, 100), 20 * MS));
    assertSegment(ack, Flags.ACK, SND + 100, RCV + 200, 0);
    Segment finAck = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, RCV + 200, SND + 100, 0),
        30 * MS));
    assertSegment(finAck, Flags.ACK, SND + 100, RCV + 201, 0);
    assertEquals(Tcb.NEVER_TIME, a.tcb.delAckAt);
  }
}
