package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * CLOSE-WAIT (RFC 9293 §3.6 half-close, §3.10.4 CLOSE, §3.10.7.4): the peer's FIN (seq w) is
 * acknowledged; we may still send until our application closes.
 */
class CloseWaitTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int SND = ISS + 1;
  private static final int W = IRS + 1; // the peer's FIN
  private static final int RCV = W + 1; // RCV.NXT, past the FIN
  private static final int DATA = Flags.ACK | Flags.PSH;

  /** A passive closer that, at end of file, waits {@code lastDelay}, writes {@code lastBytes}. */
  private static AppScript passiveCloser(long lastBytes, long lastDelay) {
    return new AppScript(0, -1, 0, false, 0, 0, -1, lastBytes, lastDelay);
  }

  private static EndpointHarness closeWait(AppScript app) {
    return synchronizedIn(TcpState.CLOSE_WAIT, TcpParams.rfc(), app, ISS, IRS, 0)
        .peerFinReceived();
  }

  private static EndpointHarness closeWait() {
    return closeWait(AppScript.idle());
  }

  @Test
  void halfClose_afterThePeersFin_ourLastDataGoesOut_thenOurFin_andLastAck() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(),
        passiveCloser(300, 1 * S), ISS, IRS, 0);
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, SND, 0), 10 * MS)),
        Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
    assertNothingSent(a.advanceTo(1010 * MS));
    List<Segment> out = a.advanceTo(1010 * MS + 1);
    assertEquals(2, out.size(), out.toString());
    assertSegment(out.get(0), DATA, SND, RCV, 300, false);
    assertSegment(out.get(1), Flags.FIN | Flags.ACK, SND + 300, RCV, 0, false);
    assertEquals(TcpState.LAST_ACK, a.state());
    assertEquals(List.of("ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK"), a.transitions());
  }

  @Test
  void dataWrittenInCloseWait_isSent_beforeTheFin() {
    EndpointHarness a = closeWait(passiveCloser(300, 0));
    a.appAt(Tcb.AppAction.RESUME, 1 * S); // its script: end of file read; write 300; close
    List<Segment> out = a.advanceTo(1 * S + 1);
    assertEquals(2, out.size(), out.toString());
    assertSegment(out.get(0), DATA, SND, RCV, 300, false);
    assertSegment(out.get(1), Flags.FIN | Flags.ACK, SND + 300, RCV, 0, false);
    assertEquals(TcpState.LAST_ACK, a.state());
  }

  @Test
  void dataSentInCloseWait_isAcknowledged_andStateStays() {
    EndpointHarness a = closeWait().dataSent(300, 0);
    assertNothingSent(a.deliver(a.fromPeer(Flags.ACK, RCV, SND + 300, 0), 100 * MS));
    assertEquals(SND + 300, a.tcb.sndUna);
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
  }

  @Test
  void dataSentInCloseWait_isRetransmittedAfterRto() {
    EndpointHarness a = closeWait().dataSent(300, 0);
    assertNothingSent(a.advanceTo(1 * S));
    assertSegment(only(a.advanceTo(1 * S + 1)), DATA, SND, RCV, 300, true);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
  }

  @Test
  void appClose_sendsFin_andMovesToLastAck() {
    EndpointHarness a = closeWait();
    Segment fin = only(a.closeAt(1 * S));
    assertSegment(fin, Flags.FIN | Flags.ACK, SND, RCV, 0, false);
    assertEquals(TcpState.LAST_ACK, a.state());
    assertEquals(2 * S, a.lastNextTimer, "the FIN is timed for retransmission");
  }

  @Test
  void peersRetransmittedFin_isAcknowledgedAgain() {
    EndpointHarness a = closeWait();
    assertSegment(only(a.deliver(a.fromPeer(Flags.FIN | Flags.ACK, W, SND, 0), 1 * S)),
        Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
  }

  @Test
  void textAfterThePeersFin_isIgnored() { // §3.10.7.4 seventh: "ignore the segment text"
    EndpointHarness a = closeWait();
    assertNothingSent(a.deliver(a.fromPeer(DATA, RCV, SND, 10), 1 * S));
    assertEquals(0, a.tcb.received);
    assertEquals(RCV, a.tcb.rcvNxt);
  }

  @Test
  void exactRst_closesWithReset() {
    EndpointHarness a = closeWait();
    assertNothingSent(a.deliver(a.fromPeer(Flags.RST, RCV, 0, 0), 1 * S));
    a.assertEnded(Outcome.RESET, 1 * S);
  }

  @Test
  void rstInWindowButNotExact_getsChallengeAck() { // RFC 5961 §3.2
    EndpointHarness a = closeWait();
    Segment ack = only(a.deliver(a.fromPeer(Flags.RST, RCV + 3, 0, 0), 1 * S));
    assertSegment(ack, Flags.ACK, SND, RCV, 0);
    assertEquals(TcpState.CLOSE_WAIT, a.state());
  }
}
