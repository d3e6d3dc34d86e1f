package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** CLOSING (RFC 9293 §3.6 Figure 13): both FINs crossed; waiting for the ACK of ours (seq u). */
class ClosingTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's FIN
  private static final int RCV = W + 1;

  /** In CLOSING: our FIN out at 0 and unacknowledged, the peer's FIN received. */
  private static EndpointHarness closing() {
    return synchronizedIn(TcpState.CLOSING, TcpParams.rfc(), AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(false, 0).peerFinReceived();
  }

  @Test
  void ackOfOurFin_movesToTimeWait_silently() {
    EndpointHarness a = closing();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, U + 1, 0), 100 * MS));
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(List.of("CLOSING->TIME_WAIT"), a.transitions());
    assertEquals(100 * MS + TcpParams.rfc().timeWait(), a.lastNextTimer);
  }

  @Test
  void simultaneousClose_fromEstablished_throughClosing_toTimeWait() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(), AppScript.idle(),
        ISS, IRS, 0);
    assertSegment(only(a.closeAt(0)), Flags.FIN | Flags.ACK, U, W, 0);
    // The peer's FIN crossed ours: it does not acknowledge our FIN.
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U, 0), 50 * MS)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.CLOSING, a.state());
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W + 1, U + 1, 0), 100 * MS));
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->CLOSING",
        "CLOSING->TIME_WAIT"), a.transitions());
  }

  @Test
  void ackNotCoveringOurFin_staysInClosing() {
    EndpointHarness a = closing();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, U, 0), 100 * MS));
    assertEquals(TcpState.CLOSING, a.state());
  }

  @Test
  void finRetransmission_onTimeout() {
    EndpointHarness a = closing();
    assertNothingSent(a.advanceTo(1 * S));
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.FIN | Flags.ACK, U, RCV, 0, true);
    assertEquals(3 * S, a.lastNextTimer);
    assertEquals(TcpState.CLOSING, a.state());
  }

  @Test
  void peersRetransmittedFin_isAcknowledgedAgain() {
    EndpointHarness a = closing();
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U, 0), 100 * MS)),
        Flags.ACK, U + 1, RCV, 0);
    assertEquals(TcpState.CLOSING, a.state());
  }

  @Test
  void exactRst_closes() { // §3.10.7.4 second check: CLOSING → CLOSED
    EndpointHarness a = closing();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV, 0, 0), 100 * MS));
    a.assertEnded(Outcome.RESET, 100 * MS);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = closing();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, RCV + 9, 0, 0), 100 * MS));
    assertSegment(ack, Flags.ACK, U + 1, RCV, 0);
    assertEquals(TcpState.CLOSING, a.state());
  }
}
