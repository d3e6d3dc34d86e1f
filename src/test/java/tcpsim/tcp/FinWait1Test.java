package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** FIN-WAIT-1 (RFC 9293 §3.10.7.4): we closed, our FIN (seq u = ISS+1) is out, not yet acked. */
class FinWait1Test {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's next sequence number (its FIN, when it comes)

  /** In FIN-WAIT-1 since 0: our FIN went out at 0 (rfc(): RTO 1 s). */
  private static EndpointHarness finWait1(TcpParams params) {
    return synchronizedIn(TcpState.FIN_WAIT_1, params, AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(false, 0);
  }

  private static EndpointHarness finWait1() {
    return finWait1(TcpParams.rfc());
  }

  @Test
  void ackOfOurFin_movesToFinWait2_silently_andStopsTheTimer() {
    EndpointHarness a = finWait1();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), 100 * MS));
    assertEquals(TcpState.FIN_WAIT_2, a.state());
    assertEquals(List.of("FIN_WAIT_1->FIN_WAIT_2"), a.transitions());
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
  }

  @Test
  void ackNotCoveringOurFin_staysInFinWait1() {
    EndpointHarness a = finWait1();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U, 0), 100 * MS));
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void finWithoutAckOfOurs_isAcknowledged_andMovesToClosing() { // simultaneous close, Figure 13
    EndpointHarness a = finWait1();
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.CLOSING, a.state());
    assertEquals(List.of("FIN_WAIT_1->CLOSING"), a.transitions());
  }

  @Test
  void finWithAckOfOurs_isAcknowledged_andMovesToTimeWait() {
    EndpointHarness a = finWait1();
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(100 * MS + TcpParams.rfc().timeWait(), a.lastNextTimer, "2×MSL from now");
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
  }

  @Test
  void dataInFinWait1_isStillReceived_andAcknowledged() {
    EndpointHarness a = finWait1();
    Segment ack = only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W, U, 100), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, W + 100, 0);
    assertEquals(100, a.tcb.received);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void finRetransmission_afterRto_thenDoubling() {
    EndpointHarness a = finWait1();
    assertNothingSent(a.advanceTo(1 * S));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, W, 0, true);
    assertEquals(3 * S, a.lastNextTimer);
    assertSegment(only(a.advanceTo(3 * S + 1)), Flags.FIN | Flags.ACK, U, W, 0, true);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void unacknowledgedFin_afterDataRetries_timesOut() {
    TcpParams p = new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 1, 120 * S, 128, 128);
    EndpointHarness a = finWait1(p);
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, W, 0, true);
    assertNothingSent(a.advanceTo(3 * S + 1));
    a.assertEnded(Outcome.DATA_TIMEOUT, 3 * S);
  }

  @Test
  void exactRst_closesWithReset() {
    EndpointHarness a = finWait1();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W, 0, 0), 100 * MS));
    a.assertEnded(Outcome.RESET, 100 * MS);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = finWait1();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, W + 100, 0, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, W, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void synInFinWait1_getsChallengeAck() { // RFC 5961 §4.2
    EndpointHarness a = finWait1();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN, W + 5, 0, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, W, 0);
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }
}
