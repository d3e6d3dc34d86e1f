package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/** FIN-WAIT-2 (RFC 9293 §3.10.7.4): our FIN (seq u) is acknowledged; we still receive. */
class FinWait2Test {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's FIN, when it comes without data

  private static EndpointHarness finWait2() {
    return synchronizedIn(TcpState.FIN_WAIT_2, TcpParams.rfc(), AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(true, 0);
  }

  @Test
  void finInFinWait2_isAcknowledged_uPlusOne_wPlusOne_andMovesToTimeWait() {
    EndpointHarness a = finWait2();
    Segment ack = only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), 2 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(List.of("FIN_WAIT_2->TIME_WAIT"), a.transitions());
    assertEquals(2 * S + TcpParams.rfc().timeWait(), a.lastNextTimer);
  }

  @Test
  void dataInFinWait2_isStillReceived_andAcknowledged() {
    EndpointHarness a = finWait2();
    Segment ack = only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W, U + 1, 100), 2 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 100, 0);
    assertEquals(100, a.tcb.received);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void dataWithFin_isAcknowledgedAsAWhole_andMovesToTimeWait() {
    EndpointHarness a = finWait2();
    Segment ack = only(a.deliver(
        a.fromPeer(Flags.FIN | Flags.ACK | Flags.PSH, W, U + 1, 100), 2 * S));
    assertSegment(ack, Flags.ACK, U + 1, W + 101, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  @Test
  void outOfOrderData_getsDuplicateAck_thenGapFilled_cumulativeAck() {
    EndpointHarness a = finWait2();
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W + 50, U + 1, 50), 1 * S)),
        Flags.ACK, U + 1, W, 0);
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 50), 2 * S)),
        Flags.ACK, U + 1, W + 100, 0);
  }

  @Test
  void finWait2_hasNoTimerOfItsOwn() {
    EndpointHarness a = finWait2();
    assertNothingSent(a.advanceTo(600 * S));
    assertEquals(Tcb.NEVER_TIME, a.lastNextTimer);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void exactRst_closesWithReset() {
    EndpointHarness a = finWait2();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W, 0, 0), 2 * S));
    a.assertEnded(Outcome.RESET, 2 * S);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = finWait2();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, W + 1, 0, 0), 2 * S));
    assertSegment(ack, Flags.ACK, U + 1, W, 0);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void rstOutsideTheWindow_isIgnored() {
    EndpointHarness a = finWait2();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W - 1, 0, 0), 2 * S));
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }
}
