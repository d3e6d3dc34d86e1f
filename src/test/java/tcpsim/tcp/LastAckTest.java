package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

/** LAST-ACK (RFC 9293 §3.10.7.4): the peer closed first, so did we; waiting for our FIN's ACK. */
class LastAckTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int RCV = IRS + 2; // past the peer's FIN

  /** In LAST-ACK: the peer's FIN received, our FIN out at 0 (rfc(): RTO 1 s). */
  private static EndpointHarness lastAck(TcpParams params) {
    return synchronizedIn(TcpState.LAST_ACK, params, AppScript.idle(), ISS, IRS, 0)
        .peerFinReceived().ourFinSent(false, 0);
  }

  private static EndpointHarness lastAck() {
    return lastAck(TcpParams.rfc());
  }

  @Test
  void ackOfOurFin_closesWithClosedOutcome_silently() {
    EndpointHarness a = lastAck();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, U + 1, 0), 100 * MS));
    a.assertEnded(Outcome.CLOSED, 100 * MS);
    assertEquals(java.util.List.of("LAST_ACK->CLOSED"), a.transitions());
  }

  @Test
  void ackNotCoveringOurFin_staysInLastAck() {
    EndpointHarness a = lastAck();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, U, 0), 100 * MS));
    assertEquals(TcpState.LAST_ACK, a.state());
  }

  @Test
  void finRetransmission_onTimeout_thenDoubling() {
    EndpointHarness a = lastAck();
    assertNothingSent(a.advanceTo(1 * S));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, RCV, 0, true);
    assertNothingSent(a.advanceTo(3 * S));
    assertSegment(only(a.advanceTo(3 * S + 1)), Flags.FIN | Flags.ACK, U, RCV, 0, true);
    assertEquals(7 * S, a.lastNextTimer);
    assertEquals(TcpState.LAST_ACK, a.state());
  }

  @Test
  void unacknowledgedFin_afterDataRetries_timesOut() {
    TcpParams p = new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 2, 120 * S, 128, 128);
    EndpointHarness a = lastAck(p);
    a.advanceTo(1 * S + 1);
    a.advanceTo(3 * S + 1);
    assertNothingSent(a.advanceTo(7 * S + 1));
    a.assertEnded(Outcome.DATA_TIMEOUT, 7 * S);
  }

  @Test
  void peersRetransmittedFin_isAcknowledgedAgain() {
    EndpointHarness a = lastAck();
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, IRS + 1, U, 0), 100 * MS)),
        Flags.ACK, U + 1, RCV, 0);
    assertEquals(TcpState.LAST_ACK, a.state());
  }

  @Test
  void exactRst_closes() { // §3.10.7.4 second check: LAST-ACK → CLOSED
    EndpointHarness a = lastAck();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV, 0, 0), 100 * MS));
    a.assertEnded(Outcome.RESET, 100 * MS);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = lastAck();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, RCV + 1, 0, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, RCV, 0);
    assertEquals(TcpState.LAST_ACK, a.state());
  }
}
