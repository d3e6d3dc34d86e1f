package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

/**
 * TIME-WAIT under {@code profile: linux} (tcp_timewait_state_process, docs/linux-profile.md
 * §6): TCP_TIMEWAIT_LEN, 60 s whatever {@code msl} says; restarted by a retransmitted FIN or
 * another ACK-bearing segment outside the window (answered with an ACK) and by an in-window
 * bare ACK (not answered); an RST at RCV.NXT ends it (tcp_rfc1337 = 0).
 */
class LinuxTimeWaitTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's FIN
  private static final long SIXTY = 60 * S;
  private static final long ENTRY = 5 * S;
  /** An MSL that would give a 30 s TIME-WAIT under the RFC's rule. */
  private static final TcpParams LINUX_MSL_15 = TcpParams.linux().withMsl(15 * S);

  /** FIN-WAIT-2, then the peer's FIN at {@link #ENTRY}: TIME-WAIT from then. */
  private static EndpointHarness timeWait(TcpParams params) {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_2, params, AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(true, 0);
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), ENTRY)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    return a;
  }

  private static EndpointHarness timeWait() {
    return timeWait(LINUX_MSL_15);
  }

  @Test
  void timeWait_lastsSixtySeconds_whateverTheMsl() {
    EndpointHarness a = timeWait();
    assertEquals(ENTRY + SIXTY, a.lastNextTimer);
    assertNothingSent(a.advanceTo(ENTRY + SIXTY));
    assertEquals(TcpState.TIME_WAIT, a.state());
    a.advanceTo(ENTRY + SIXTY + 1);
    a.assertEnded(Outcome.CLOSED, ENTRY + SIXTY);
  }

  @Test
  void underTheRfcProfile_timeWaitIsStillTwoMsl() {
    EndpointHarness a = timeWait(TcpParams.rfc().withMsl(15 * S));
    assertEquals(ENTRY + 30 * S, a.lastNextTimer);
  }

  @Test
  void retransmittedFin_isAcknowledged_andRestartsTheSixtySeconds() {
    EndpointHarness a = timeWait();
    long again = 40 * S;
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), again)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(again + SIXTY, a.lastNextTimer);
    assertNothingSent(a.advanceTo(ENTRY + SIXTY + 1)); // the first deadline has passed
    assertEquals(TcpState.TIME_WAIT, a.state());
    a.advanceTo(again + SIXTY + 1);
    a.assertEnded(Outcome.CLOSED, again + SIXTY);
  }

  @Test
  void retransmittedFins_areNeverRateLimited() { // they carry a FIN
    EndpointHarness a = timeWait();
    for (int i = 0; i < 3; i++) {
      assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0),
          10 * S + i * MS)), Flags.ACK, U + 1, W + 1, 0);
    }
  }

  @Test
  void inWindowBareAck_restartsTheTimer_withoutReply() {
    EndpointHarness a = timeWait();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W + 1, U + 1, 0), 20 * S));
    assertEquals(20 * S + SIXTY, a.lastNextTimer);
    assertEquals(TcpState.TIME_WAIT, a.state());
  }

  @Test
  void outOfWindowAck_isAnswered_andRestarts_repliesRateLimited() {
    EndpointHarness a = timeWait();
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), 20 * S)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(20 * S + SIXTY, a.lastNextTimer);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), 20 * S + 499 * MS));
    assertEquals(20 * S + 499 * MS + SIXTY, a.lastNextTimer, "restarted even when not answered");
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), 20 * S + 500 * MS)),
        Flags.ACK, U + 1, W + 1, 0);
  }

  @Test
  void synWithoutAck_isAnswered_butDoesNotRestart() {
    EndpointHarness a = timeWait();
    assertSegment(only(a.deliver(a.fromPeer(Flags.SYN, W - 10, 0, 0), 20 * S)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(ENTRY + SIXTY, a.lastNextTimer);
  }

  @Test
  void rstAtRcvNxt_endsTimeWait() { // tcp_rfc1337 = 0
    EndpointHarness a = timeWait();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W + 1, 0, 0), 20 * S));
    a.assertEnded(Outcome.CLOSED, 20 * S);
  }

  @Test
  void rstNotAtRcvNxt_isDroppedSilently_andTimeWaitGoesOn() { // no challenge ACK from a tw sock
    EndpointHarness a = timeWait();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W + 50, 0, 0), 20 * S));
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(ENTRY + SIXTY, a.lastNextTimer, "and the 60 s are not restarted");
  }

  @Test
  void closingThenTimeWait_lastsSixtySecondsToo() { // simultaneous close, 8.8
    EndpointHarness a = synchronizedIn(TcpState.CLOSING, LINUX_MSL_15, AppScript.idle(), ISS,
        IRS, 0).ourFinSent(false, 0).peerFinReceived();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W + 1, U + 1, 0), 50 * MS));
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(50 * MS + SIXTY, a.lastNextTimer);
  }
}
