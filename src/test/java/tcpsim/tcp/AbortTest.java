package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.*;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The application aborts instead of closing (RFC 9293 §3.10.5 ABORT): in a synchronized state
 * with data to flush the endpoint sends one {@code <SEQ=SND.NXT><CTL=RST>} and enters CLOSED,
 * ending {@link Outcome#ABORTED}; in CLOSING, LAST-ACK, TIME-WAIT it sends nothing.
 */
class AbortTest {
  private static final int ISS = 1000;
  private static final int IRS = 5000;
  private static final int SND = ISS + 1;
  private static final int RCV = IRS + 1;

  private static AppScript aborting() {
    return AppScript.idle().aborting();
  }

  @Test
  void establishedAbort_sendsExactlyOneRstAtSndNxt_andEndsAborted() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(), aborting(),
        ISS, IRS, 0);
    List<Segment> sent = a.closeAt(10 * MS);
    Segment rst = only(sent);
    assertSegment(rst, Flags.RST, SND, 0, 0);
    assertEquals(a.tcb.sndNxt, rst.seq());
    a.assertEnded(Outcome.ABORTED, 10 * MS);
    assertEquals(List.of("ESTABLISHED->CLOSED"), a.transitions());
    assertEquals(Outcome.Category.RESET, Outcome.ABORTED.category());
    assertEquals("aborted", Outcome.ABORTED.label());
  }

  @Test
  void abortWithUnacknowledgedData_rstCarriesTheNextNewSequenceNumber_dataIsFlushed() {
    // Write 100 bytes at once; they go out at 0 and stay unacknowledged.
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(),
        new AppScript(100, -1, 0, false, 0, 0, -1, 0, 0, true), ISS, IRS, 0);
    a.tcb.written = 100;
    a.tcb.sndNxt = SND + 100;
    a.tcb.sndMax = SND + 100;
    a.tcb.retransmitAt = 1 * EndpointHarness.S;
    Segment rst = only(a.closeAt(10 * MS));
    assertSegment(rst, Flags.RST, SND + 100, 0, 0);
    a.assertEnded(Outcome.ABORTED, 10 * MS);
    assertEquals(Tcb.NEVER_TIME, a.tcb.retransmitAt, "nothing is retransmitted after an abort");
  }

  @Test
  void closeWaitAbort_sendsRst() {
    EndpointHarness a = synchronizedIn(TcpState.CLOSE_WAIT, TcpParams.rfc(), aborting(),
        ISS, IRS, 0).peerFinReceived();
    Segment rst = only(a.closeAt(5 * MS));
    assertEquals(Flags.RST, rst.flags());
    assertEquals(a.tcb.sndNxt, rst.seq());
    a.assertEnded(Outcome.ABORTED, 5 * MS);
  }

  @Test
  void aNormalClose_isStillAFin() {
    EndpointHarness a = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(), AppScript.idle(),
        ISS, IRS, 0);
    Segment fin = only(a.closeAt(10 * MS));
    assertTrue(fin.fin());
    assertEquals(TcpState.FIN_WAIT_1, a.state());
  }

  @Test
  void theScheduledActiveClose_ofAnAbortingScript_isAnAbort() {
    // closeFirst after hold 50 ms, nothing to read: the app aborts 50 ms after ESTABLISHED.
    AppScript app = new AppScript(0, -1, 0, true, 0, 50 * MS, -1, 0, 0, true);
    EndpointHarness a = EndpointHarness.established(TcpParams.rfc(), app, ISS, IRS, 65535,
        100 * MS);
    List<Segment> sent = a.advanceTo(150 * MS + 1);
    Segment rst = only(sent);
    assertSegment(rst, Flags.RST, SND, 0, 0);
    a.assertEnded(Outcome.ABORTED, 150 * MS);
  }

  @Test
  void aPeerRstAtRcvNxt_endsReset() { // what the aborting side's peer sees
    EndpointHarness b = synchronizedIn(TcpState.ESTABLISHED, TcpParams.rfc(), AppScript.idle(),
        ISS, IRS, 0);
    assertNothingSent(b.deliver(b.fromPeer(Flags.RST, RCV, 0, 0), 10 * MS));
    b.assertEnded(Outcome.RESET, 10 * MS);
  }
}
