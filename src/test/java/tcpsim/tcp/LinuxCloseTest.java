package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * close() versus shutdown() under {@code profile: linux} (docs/linux-profile.md §6): after
 * close() the application reads no more, so new data in FIN-WAIT-1 aborts the connection with
 * {@code <SEQ=SEG.ACK><CTL=RST>}; close() with unread data sends {@code R.} instead of a FIN.
 * shutdown() keeps receiving, and the RFC profile receives after either.
 */
class LinuxCloseTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's next sequence number
  private static final int DATA = Flags.ACK | Flags.PSH;

  /** FIN-WAIT-1 since 0, our FIN (seq u) out; {@code closed}: by close(), else by shutdown(). */
  private static EndpointHarness finWait1(TcpParams params, boolean closed) {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1, params, AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(false, 0);
    a.tcb.fullyClosed = closed;
    return a;
  }

  @Test
  void dataAfterClose_ackingOurFin_abortsWithResetAtSegAck_noAckFlag() { // 8.3 #9 → #11
    EndpointHarness a = finWait1(TcpParams.linux(), true);
    Segment rst = only(a.deliver(a.fromPeer(DATA, W, U + 1, 50), 5 * MS));
    assertSegment(rst, Flags.RST, U + 1, 0, 0);
    assertEquals(0, rst.ack());
    assertEquals(0, rst.window());
    a.assertEnded(Outcome.CLOSED, 5 * MS); // the application had closed: it never sees the abort
    assertEquals(List.of("FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->CLOSED"), a.transitions());
    assertEquals(0, a.tcb.received, "nobody reads it");
  }

  @Test
  void dataAfterClose_notYetAckingOurFin_abortsToo() { // tcp_rcv_state_process step 7
    EndpointHarness a = finWait1(TcpParams.linux(), true);
    assertSegment(only(a.deliver(a.fromPeer(DATA, W, U, 50), 5 * MS)), Flags.RST, U, 0, 0);
    a.assertEnded(Outcome.CLOSED, 5 * MS);
  }

  @Test
  void finBeyondAGap_afterClose_aborts() { // "Receive out of order FIN after close()"
    EndpointHarness a = finWait1(TcpParams.linux(), true);
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W + 10, U + 1, 0), 5 * MS)),
        Flags.RST, U + 1, 0, 0);
    a.assertEnded(Outcome.CLOSED, 5 * MS);
  }

  @Test
  void finAtRcvNxt_afterClose_isNoData_andLeadsToTimeWait() { // 8.7 #9 → #10
    EndpointHarness a = finWait1(TcpParams.linux(), true);
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), 5 * MS)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(List.of("FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->TIME_WAIT"), a.transitions());
    assertEquals(5 * MS + LinuxKnobs.TIME_WAIT_LENGTH, a.lastNextTimer);
  }

  @Test
  void dataAfterShutdown_isStillReceived_andAcknowledged() {
    EndpointHarness a = finWait1(TcpParams.linux(), false);
    assertSegment(only(a.deliver(a.fromPeer(DATA, W, U + 1, 50), 5 * MS)),
        Flags.ACK, U + 1, W + 50, 0);
    assertEquals(50, a.tcb.received);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void dataAfterClose_underTheRfcProfile_isStillReceived() { // RFC 9293 has no such rule
    EndpointHarness a = finWait1(TcpParams.rfc(), true);
    assertSegment(only(a.deliver(a.fromPeer(DATA, W, U + 1, 50), 5 * MS)),
        Flags.ACK, U + 1, W + 50, 0);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
    assertEquals(Tcb.NEVER_TIME, a.lastNextTimer, "no orphan timer in the RFC profile");
  }

  @Test
  void oldDataAgain_afterClose_isOnlyReacknowledged() {
    EndpointHarness a = finWait1(TcpParams.linux(), true);
    a.tcb.rcvNxt = W + 50; // 50 bytes arrived before close()
    a.tcb.received = 50;
    a.tcb.readMark = 50;
    assertSegment(only(a.deliver(a.fromPeer(DATA, W, U, 50), 5 * MS)), Flags.ACK, U + 1, W + 50, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  // ---------------------------------------------------------------- close() with unread data

  /** ESTABLISHED, application script {@code steps}, resumed at 1 s; 100 bytes arrive at 0.5 s. */
  private static EndpointHarness unreadAtClose(TcpParams params, List<AppScript.Step> steps) {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, params, new AppScript(steps), ISS,
        IRS, 0);
    a.appAt(Tcb.AppAction.RESUME, 1 * S);
    assertSegment(only(a.deliver(a.fromPeer(DATA, W, U, 100), 500 * MS)),
        Flags.ACK, U, W + 100, 0);
    return a;
  }

  @Test
  void closeWithUnreadData_sendsRstAck_insteadOfFin_andEndsAborted() { // TCPAbortOnClose
    EndpointHarness a = unreadAtClose(TcpParams.linux(), List.of(AppScript.Call.CLOSE));
    Segment rst = only(a.advanceTo(1 * S + 1));
    assertSegment(rst, Flags.RST | Flags.ACK, U, W + 100, 0);
    a.assertEnded(Outcome.ABORTED, 1 * S);
    assertEquals(List.of("ESTABLISHED->CLOSED"), a.transitions());
  }

  @Test
  void closeWithUnreadData_afterWriting_resetsAtTheNewSndNxt() {
    EndpointHarness a = unreadAtClose(TcpParams.linux(),
        List.of(new AppScript.Write(200), AppScript.Call.CLOSE));
    List<Segment> out = a.advanceTo(1 * S + 1);
    assertEquals(2, out.size(), out.toString());
    assertSegment(out.get(0), DATA, U, W + 100, 200);
    assertSegment(out.get(1), Flags.RST | Flags.ACK, U + 200, W + 100, 0);
    a.assertEnded(Outcome.ABORTED, 1 * S);
  }

  @Test
  void closeAfterReadingEverything_sendsTheFin() {
    EndpointHarness a = unreadAtClose(TcpParams.linux(),
        List.of(new AppScript.Read(100), AppScript.Call.CLOSE));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, W + 100, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void shutdownWithUnreadData_sendsTheFin() { // only close() discards the receive queue
    EndpointHarness a = unreadAtClose(TcpParams.linux(), List.of(AppScript.Call.SHUTDOWN));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, W + 100, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void closeWithUnreadData_underTheRfcProfile_sendsTheFin() {
    EndpointHarness a = unreadAtClose(TcpParams.rfc(), List.of(AppScript.Call.CLOSE));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, W + 100, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void closeInCloseWait_withUnreadData_resets() {
    EndpointHarness a = synchronizedIn(TcpState.CLOSE_WAIT, TcpParams.linux(),
        new AppScript(List.of(AppScript.Call.CLOSE)), ISS, IRS, 0);
    a.tcb.rcvNxt = W + 101; // 100 bytes and the FIN
    a.tcb.received = 100;
    a.tcb.endOfFile = true;
    a.appAt(Tcb.AppAction.RESUME, 1 * S);
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.RST | Flags.ACK, U, W + 101, 0);
    a.assertEnded(Outcome.ABORTED, 1 * S);
  }
}
