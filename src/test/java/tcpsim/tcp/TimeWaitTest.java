package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

/**
 * TIME-WAIT (RFC 9293 §3.4.2, §3.10.7.4): both FINs acknowledged; the endpoint waits 2×MSL
 * (MSL 30 s here, so 60 s) and re-acknowledges a retransmitted FIN. The RFC's rules; Linux's
 * TIME-WAIT is LinuxTimeWaitTest's.
 */
class TimeWaitTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's FIN
  private static final long TWO_MSL = 60 * S;
  private static final long ENTRY = 5 * S;

  /** FIN-WAIT-2, then the peer's FIN at {@link #ENTRY}: TIME-WAIT from then. */
  private static EndpointHarness timeWait() {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_2, TcpParams.rfc().withMsl(30 * S),
        AppScript.idle(), ISS, IRS, 0).ourFinSent(true, 0);
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), ENTRY)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    return a;
  }

  @Test
  void timeWait_lastsExactlyTwoMsl_thenClosed() {
    EndpointHarness a = timeWait();
    assertEquals(ENTRY + TWO_MSL, a.lastNextTimer);
    assertNothingSent(a.advanceTo(ENTRY + TWO_MSL)); // not a nanosecond early
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertNothingSent(a.advanceTo(ENTRY + TWO_MSL + 1));
    a.assertEnded(Outcome.CLOSED, ENTRY + TWO_MSL);
  }

  @Test
  void timeWaitBuiltDirectly_arms2MslFromItsEntry() {
    EndpointHarness a = synchronizedIn(TcpState.TIME_WAIT, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 7 * S).ourFinSent(true, 0).peerFinReceived();
    assertNothingSent(a.advanceTo(7 * S + TWO_MSL));
    assertNothingSent(a.advanceTo(7 * S + TWO_MSL + 1));
    a.assertEnded(Outcome.CLOSED, 7 * S + TWO_MSL);
  }

  @Test
  void retransmittedFin_isAcknowledgedAgain_andRestartsTheTwoMslTimer() {
    EndpointHarness a = timeWait();
    long again = 30 * S;
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), again));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(again + TWO_MSL, a.lastNextTimer);
    assertNothingSent(a.advanceTo(ENTRY + TWO_MSL + 1)); // the first deadline has passed
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertNothingSent(a.advanceTo(again + TWO_MSL));
    assertEquals(TcpState.TIME_WAIT, a.state());
    a.advanceTo(again + TWO_MSL + 1);
    a.assertEnded(Outcome.CLOSED, again + TWO_MSL);
  }

  @Test
  void oldData_isAcknowledgedAgain_andRestartsTheTwoMslTimer() {
    EndpointHarness a = timeWait();
    Segment ack = only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W - 100, U + 1, 100), 20 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(20 * S + TWO_MSL, a.lastNextTimer);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  @Test
  void exactRst_closes() { // §3.10.7.4 second check: TIME-WAIT → CLOSED
    EndpointHarness a = timeWait();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W + 1, 0, 0), 10 * S));
    a.assertEnded(Outcome.CLOSED, 10 * S);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck_andTheTimerIsUnchanged() { // RFC 5961 §3.2
    EndpointHarness a = timeWait();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, W + 50, 0, 0), 10 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(ENTRY + TWO_MSL, a.lastNextTimer);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  @Test
  void synInWindow_getsChallengeAck() { // RFC 5961 §4.2, RFC 9293 §3.10.7.4 fourth
    EndpointHarness a = timeWait();
    Segment ack = only(a.deliver(a.fromPeer(Flags.SYN, W + 1000, 0, 0), 10 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  @Test
  void noRetransmissionInTimeWait() {
    EndpointHarness a = timeWait();
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
  }
}
