package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The orphaned FIN-WAIT-2 of {@code profile: linux} (docs/linux-profile.md §6): after close()
 * and the ACK of our FIN, Linux keeps a time-wait mini-socket in substate FIN-WAIT-2 for
 * tcp_fin_timeout (60 s). Inside it the peer's FIN is acknowledged and starts TIME-WAIT; new
 * data gets {@code <SEQ=SEG.ACK><CTL=RST>}; when it expires, nothing is sent.
 */
class LinuxOrphanFinWait2Test {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int U = ISS + 1; // our FIN
  private static final int W = IRS + 1; // the peer's FIN, when it comes
  private static final long FIN_TIMEOUT = 60 * S;
  private static final long ENTRY = 100 * MS;

  /** FIN-WAIT-1 after close(); the peer's ACK of our FIN arrives at {@link #ENTRY}. */
  private static EndpointHarness orphan(TcpParams params) {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1, params, AppScript.idle(), ISS, IRS, 0)
        .ourFinSent(false, 0);
    a.tcb.fullyClosed = true;
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), ENTRY));
    assertEquals(TcpState.FIN_WAIT_2, a.state());
    return a;
  }

  private static EndpointHarness orphan() {
    return orphan(TcpParams.linux());
  }

  @Test
  void orphan_endsAfterFinTimeout_withNothingSent() {
    EndpointHarness a = orphan();
    assertEquals(ENTRY + FIN_TIMEOUT, a.lastNextTimer);
    assertNothingSent(a.advanceTo(ENTRY + FIN_TIMEOUT)); // not a nanosecond early
    assertEquals(TcpState.FIN_WAIT_2, a.state());
    assertNothingSent(a.advanceTo(ENTRY + FIN_TIMEOUT + 1));
    a.assertEnded(Outcome.CLOSED, ENTRY + FIN_TIMEOUT);
    assertEquals(List.of("FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->CLOSED"), a.transitions());
  }

  @Test
  void finTimeout_isTheSysctl() {
    LinuxKnobs d = LinuxKnobs.defaults();
    LinuxKnobs tenSeconds = new LinuxKnobs(d.synLinearTimeouts(), 10 * S, d.timestamps(),
        d.sack(), d.windowScaling(), d.rmemDefault(), d.rmemMax(), d.pingpongThresh(),
        d.orphanRetries(), d.invalidRateLimit(), d.abortOnOverflow(), d.maxSynBacklog(),
        d.somaxconn(), d.reqskFullAtBacklog());
    EndpointHarness a = orphan(TcpParams.linux().withLinuxKnobs(tenSeconds));
    assertEquals(ENTRY + 10 * S, a.lastNextTimer);
  }

  @Test
  void finTimeout_isAtLeastThreeAndAHalfRto() { // tcp_time_wait: timeo >= 3.5 × RTO
    LinuxKnobs d = LinuxKnobs.defaults();
    LinuxKnobs oneSecond = new LinuxKnobs(d.synLinearTimeouts(), 1 * S, d.timestamps(),
        d.sack(), d.windowScaling(), d.rmemDefault(), d.rmemMax(), d.pingpongThresh(),
        d.orphanRetries(), d.invalidRateLimit(), d.abortOnOverflow(), d.maxSynBacklog(),
        d.somaxconn(), d.reqskFullAtBacklog());
    EndpointHarness a = orphan(TcpParams.linux().withLinuxKnobs(oneSecond)); // RTO 1 s
    assertEquals(ENTRY + 3500 * MS, a.lastNextTimer);
  }

  @Test
  void finInTheOrphan_isAcknowledgedAtOnce_andStartsSixtySecondsOfTimeWait() {
    EndpointHarness a = orphan();
    long t = 30 * S;
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, U + 1, 0), t)),
        Flags.ACK, U + 1, W + 1, 0);
    assertEquals(TcpState.TIME_WAIT, a.state());
    assertEquals(t + LinuxKnobs.TIME_WAIT_LENGTH, a.lastNextTimer);
    a.advanceTo(t + LinuxKnobs.TIME_WAIT_LENGTH + 1);
    a.assertEnded(Outcome.CLOSED, t + LinuxKnobs.TIME_WAIT_LENGTH);
  }

  @Test
  void newDataInTheOrphan_getsResetAtSegAck_andKillsIt() {
    EndpointHarness a = orphan();
    Segment rst = only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W, U + 1, 50), 1 * S));
    assertSegment(rst, Flags.RST, U + 1, 0, 0);
    assertEquals(0, rst.ack());
    a.assertEnded(Outcome.CLOSED, 1 * S);
  }

  @Test
  void dataWithFin_inTheOrphan_getsReset() { // not the bare FIN at RCV.NXT
    EndpointHarness a = orphan();
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK | Flags.PSH, W, U + 1, 50),
        1 * S)), Flags.RST, U + 1, 0, 0);
    a.assertEnded(Outcome.CLOSED, 1 * S);
  }

  @Test
  void bareDuplicateAck_isIgnored() {
    EndpointHarness a = orphan();
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), 1 * S));
    assertEquals(TcpState.FIN_WAIT_2, a.state());
    assertEquals(ENTRY + FIN_TIMEOUT, a.lastNextTimer, "the timer is not restarted");
  }

  @Test
  void rstAnywhereInTheWindow_killsIt() { // the mini-socket has no RFC 5961 check
    EndpointHarness a = orphan();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, W + 100, 0, 0), 1 * S));
    a.assertEnded(Outcome.RESET, 1 * S);
  }

  @Test
  void synAtRcvNxt_getsReset() {
    EndpointHarness a = orphan();
    assertSegment(only(a.deliver(a.fromPeer(Flags.SYN, W, 0, 0), 1 * S)),
        Flags.RST | Flags.ACK, 0, W + 1, 0);
    a.assertEnded(Outcome.CLOSED, 1 * S);
  }

  @Test
  void segmentOutsideTheWindow_getsAnAck_rateLimited() {
    EndpointHarness a = orphan();
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W - 1000, U + 1, 0), 1 * S)),
        Flags.ACK, U + 1, W, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W - 1000, U + 1, 0), 1400 * MS));
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, W - 1000, U + 1, 0), 1500 * MS)),
        Flags.ACK, U + 1, W, 0);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void afterShutdownOnly_finWait2HasNoTimer_andStillReceives() {
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_1, TcpParams.linux(), AppScript.idle(),
        ISS, IRS, 0).ourFinSent(false, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, W, U + 1, 0), ENTRY));
    assertEquals(Tcb.NEVER_TIME, a.lastNextTimer);
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W, U + 1, 50), 1 * S)),
        Flags.ACK, U + 1, W + 50, 0);
    assertEquals(TcpState.FIN_WAIT_2, a.state());
  }

  @Test
  void closeAfterShutdown_inFinWait2_startsTheFinTimeoutThen() { // __tcp_close in FIN-WAIT-2
    EndpointHarness a = synchronizedIn(TcpState.FIN_WAIT_2, TcpParams.linux(),
        new AppScript(List.of(AppScript.Call.CLOSE)), ISS, IRS, 0).ourFinSent(true, 0);
    assertEquals(Tcb.NEVER_TIME, a.tcb.stateTimerAt);
    a.appAt(Tcb.AppAction.RESUME, 5 * S);
    assertNothingSent(a.advanceTo(5 * S + 1));
    assertEquals(5 * S + FIN_TIMEOUT, a.lastNextTimer);
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK | Flags.PSH, W, U + 1, 50), 6 * S)),
        Flags.RST, U + 1, 0, 0);
    a.assertEnded(Outcome.CLOSED, 6 * S);
  }
}
