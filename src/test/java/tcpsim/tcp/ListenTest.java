package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.MS;
import static tcpsim.tcp.EndpointHarness.S;
import static tcpsim.tcp.EndpointHarness.assertNothingSent;
import static tcpsim.tcp.EndpointHarness.assertSegment;
import static tcpsim.tcp.EndpointHarness.only;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;

/**
 * LISTEN (RFC 9293 §3.10.7.2) and the listener's half-open entries in SYN-RECEIVED (§3.10.7.4),
 * with the SYN backlog and the SYN,ACK retransmission timer. The listener is a plain object: each
 * test calls it directly and reads what it put in an {@link Outbox}.
 */
class ListenTest {
  private static final int SERVER = 1;
  private static final int PORT = 80;
  private static final int CLIENT = 0;
  private static final int CLIENT_PORT = 1000;
  private static final int CONN = 7;
  private static final int ISS = 9000; // the listener's ISS for every connection
  private static final int IRS = 5000; // the client's ISS

  private Listener listener = new Listener(SERVER, PORT, TcpParams.rfc(), origin -> ISS);
  private Outbox out = new Outbox();
  private int clientEmit;

  private Segment fromClient(int port, int conn, int flags, int seq, int ack, int len) {
    return new Segment(CLIENT, port, SERVER, PORT, seq, ack, flags, 65535, len, false, conn,
        (long) conn << 1, clientEmit++, 0);
  }

  private Segment fromClient(int flags, int seq, int ack, int len) {
    return fromClient(CLIENT_PORT, CONN, flags, seq, ack, len);
  }

  /** Hand {@code s} to the listener at {@code now}; returns what it sent then. */
  private List<Segment> receive(Segment s, long now) {
    return receive(s, now, null);
  }

  private List<Segment> receive(Segment s, long now, Listener.Handoff[] handoff) {
    out = new Outbox();
    Listener.Handoff h = listener.onSegment(s, now, out, AppScript.idle());
    if (handoff != null) handoff[0] = h;
    else assertNull(h, "no handshake should complete here");
    return out.segments;
  }

  /** Fire the listener's next timer, which must be due at {@code at}; returns what it sent. */
  private List<Segment> fireTimerAt(long at) {
    assertEquals(at, listener.nextTimer(), "next SYN,ACK timer");
    out = new Outbox();
    listener.fireTimer(at, out);
    return out.segments;
  }

  private void halfOpen(long at) {
    receive(fromClient(Flags.SYN, IRS, 0, 0), at);
    assertEquals(1, listener.halfOpenCount());
  }

  // ------------------------------------------------------------------ LISTEN

  @Test
  void synInListen_getsSynAck_withIssAndAckSeqPlusOne_andIsCountedHalfOpen() {
    Segment synAck = only(receive(fromClient(Flags.SYN, IRS, 0, 0), 10 * MS));
    assertSegment(synAck, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, false);
    assertEquals(SERVER, synAck.srcHost());
    assertEquals(PORT, synAck.srcPort());
    assertEquals(CLIENT, synAck.dstHost());
    assertEquals(CLIENT_PORT, synAck.dstPort());
    assertEquals(CONN, synAck.conn());
    assertEquals(Listener.serverOrigin(CONN), synAck.origin());
    assertEquals(65535, synAck.window());
    assertEquals(1, listener.halfOpenCount());
    assertEquals(1, listener.stats().synBacklogPeak);
    assertTrue(out.trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.STATE
        && e.from() == TcpState.LISTEN && e.to() == TcpState.SYN_RECEIVED));
    assertEquals(10 * MS + 1 * S, listener.nextTimer(), "SYN,ACK timer at the initial RTO");
  }

  @Test
  void synWithBacklogFull_isDropped_counted_andTraced() {
    listener = new Listener(SERVER, PORT, new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5,
        15, 120 * S, 2, 128), origin -> ISS);
    receive(fromClient(1001, 1, Flags.SYN, IRS, 0, 0), 0);
    receive(fromClient(1002, 2, Flags.SYN, IRS, 0, 0), 0);
    assertEquals(2, listener.halfOpenCount());
    Segment third = fromClient(1003, 3, Flags.SYN, IRS, 0, 0);
    assertNothingSent(receive(third, 1 * MS));
    assertEquals(2, listener.halfOpenCount());
    assertEquals(1, listener.stats().synDropped);
    assertEquals(2, listener.stats().synBacklogPeak);
    List<TraceEvent> drops = out.trace.stream()
        .filter(e -> e.kind() == TraceEvent.Kind.DROP).toList();
    assertEquals(1, drops.size());
    assertEquals(DropReason.SYN_BACKLOG_FULL, drops.get(0).reason());
    assertEquals("syn-backlog-full", drops.get(0).reason().label());
    assertEquals(3, drops.get(0).conn());
    assertEquals(Flags.SYN, drops.get(0).flags());
  }

  @Test
  void ackInListen_getsRst_withSeqOfItsAck() {
    Segment rst = only(receive(fromClient(Flags.ACK, IRS + 1, 4321, 0), 10 * MS));
    assertSegment(rst, Flags.RST, 4321, 0, 0);
    assertEquals(CLIENT, rst.dstHost());
    assertEquals(CLIENT_PORT, rst.dstPort());
    assertEquals(1, listener.stats().resetsSent);
    assertEquals(0, listener.halfOpenCount());
  }

  @Test
  void synAckInListen_getsRst_becauseAnyAckIsBadThere() {
    Segment rst = only(receive(fromClient(Flags.SYN | Flags.ACK, IRS, 4321, 0), 10 * MS));
    assertSegment(rst, Flags.RST, 4321, 0, 0);
    assertEquals(0, listener.halfOpenCount());
  }

  @Test
  void rstInListen_isIgnored() {
    assertNothingSent(receive(fromClient(Flags.RST, IRS, 0, 0), 10 * MS));
    assertNothingSent(receive(fromClient(Flags.RST | Flags.ACK, IRS, 1, 0), 11 * MS));
    assertEquals(0, listener.halfOpenCount());
    assertEquals(0, listener.stats().resetsSent);
  }

  @Test
  void segmentWithoutSynOrAckInListen_isDropped() { // §3.10.7.2 "fourth, other text or control"
    assertNothingSent(receive(fromClient(Flags.FIN | Flags.PSH, IRS, 0, 10), 10 * MS));
    assertEquals(0, listener.halfOpenCount());
  }

  // ------------------------------------------------------------ half-open entry, SYN-RECEIVED

  @Test
  void duplicateSyn_getsTheSynAckAgain() {
    halfOpen(0);
    Segment again = only(receive(fromClient(Flags.SYN, IRS, 0, 0), 300 * MS));
    assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
    assertEquals(1, listener.halfOpenCount());
    assertEquals(1, listener.stats().synAckRetransmits);
  }

  @Test
  void validFinalAck_handsOffATcb_inSynReceived_withTheHandshakeNumbers() {
    halfOpen(10 * MS);
    Listener.Handoff[] handoff = new Listener.Handoff[1];
    Segment ack = fromClient(Flags.ACK, IRS + 1, ISS + 1, 0);
    assertNothingSent(receive(ack, 60 * MS, handoff));
    Listener.Handoff h = handoff[0];
    assertNotNull(h, "the handshake completes");
    assertEquals(ack, h.ack());
    Tcb tcb = h.tcb();
    assertEquals(ISS, tcb.iss);
    assertEquals(IRS, tcb.irs);
    assertEquals(IRS + 1, tcb.rcvNxt);
    assertEquals(ISS, tcb.sndUna);
    assertEquals(ISS + 1, tcb.sndNxt);
    assertEquals(CONN, tcb.conn);
    assertEquals(false, tcb.client);
    assertEquals(SERVER, tcb.localHost);
    assertEquals(CLIENT, tcb.remoteHost);
    assertEquals(CLIENT_PORT, tcb.remotePort);
    assertEquals(10 * MS, tcb.openedAt, "opened when the first SYN arrived");
    assertEquals(0, listener.halfOpenCount());
    assertEquals(1, listener.stats().accepted);
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer(), "the SYN,ACK timer is gone");
  }

  @Test
  void finalAckWithWrongAckNumber_getsRst_withSeqOfItsAck_andEntryStays() {
    halfOpen(0);
    Segment rst = only(receive(fromClient(Flags.ACK, IRS + 1, ISS + 7, 0), 50 * MS));
    assertSegment(rst, Flags.RST, ISS + 7, 0, 0);
    assertEquals(1, listener.halfOpenCount());
    rst = only(receive(fromClient(Flags.ACK, IRS + 1, ISS, 0), 51 * MS));
    assertSegment(rst, Flags.RST, ISS, 0, 0);
    assertEquals(1, listener.halfOpenCount());
  }

  @Test
  void finalAckWithSeqOutsideTheWindow_getsAck_andEntryStays() { // §3.10.7.4 first check
    halfOpen(0);
    Segment ack = only(receive(fromClient(Flags.ACK, IRS + 1 + 70000, ISS + 1, 0), 50 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(1, listener.halfOpenCount());
  }

  @Test
  void exactRstOnHalfOpen_removesTheEntry_withResetOutcome() {
    halfOpen(0);
    assertNothingSent(receive(fromClient(Flags.RST, IRS + 1, 0, 0), 40 * MS));
    assertEquals(0, listener.halfOpenCount());
    assertEquals(1, out.results.size());
    EndpointResult r = out.results.get(0);
    assertEquals(Outcome.RESET, r.outcome());
    assertEquals(CONN, r.conn());
    assertEquals(false, r.client());
    assertEquals(40 * MS, r.endedAt());
    assertEquals(-1, r.establishedAt());
    assertTrue(out.trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.STATE
        && e.from() == TcpState.SYN_RECEIVED && e.to() == TcpState.CLOSED));
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer(), "its SYN,ACK timer is gone");
  }

  @Test
  void rstInWindowButNotExactOnHalfOpen_getsChallengeAck_andEntryStays() { // RFC 5961 §3.2
    halfOpen(0);
    Segment ack = only(receive(fromClient(Flags.RST, IRS + 100, 0, 0), 40 * MS));
    assertSegment(ack, Flags.ACK, ISS + 1, IRS + 1, 0);
    assertEquals(1, listener.halfOpenCount());
    assertTrue(out.results.isEmpty());
  }

  @Test
  void rstOutsideTheWindowOnHalfOpen_isIgnored() {
    halfOpen(0);
    assertNothingSent(receive(fromClient(Flags.RST, IRS + 1 + 70000, 0, 0), 40 * MS));
    assertNothingSent(receive(fromClient(Flags.RST, IRS - 10, 0, 0), 41 * MS));
    assertEquals(1, listener.halfOpenCount());
  }

  @Test
  void finalAckWithAcceptQueueFull_isDroppedAndTraced_andEntryStays() {
    listener = new Listener(SERVER, PORT, new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5,
        15, 120 * S, 128, 0), origin -> ISS);
    halfOpen(0);
    assertNothingSent(receive(fromClient(Flags.ACK, IRS + 1, ISS + 1, 0), 50 * MS));
    assertEquals(1, listener.halfOpenCount());
    assertTrue(out.trace.stream().anyMatch(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.ACCEPT_QUEUE_FULL));
  }

  @Test
  void synAckRetransmission_at1s2s4s_thenEntryRemovedWithSynAckTimeout_andNothingSent() {
    halfOpen(0); // rfc(): initial RTO 1 s, max 60 s, 5 SYN,ACK retries
    List<Long> at = new ArrayList<>();
    long t = 0;
    long rto = 1 * S;
    for (int i = 0; i < 5; i++) {
      t += rto;
      Segment again = only(fireTimerAt(t));
      assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
      at.add(again.sentAt());
      rto *= 2;
    }
    assertEquals(List.of(1 * S, 3 * S, 7 * S, 15 * S, 31 * S), at);
    assertEquals(5, listener.stats().synAckRetransmits);
    assertNothingSent(fireTimerAt(63 * S));
    assertEquals(0, listener.halfOpenCount());
    assertEquals(1, out.results.size());
    assertEquals(Outcome.SYNACK_TIMEOUT, out.results.get(0).outcome());
    assertEquals(63 * S, out.results.get(0).endedAt());
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer());
  }

  @Test
  void finish_reportsHalfOpenEntriesAsStillOpen() {
    halfOpen(5 * MS);
    Outbox end = new Outbox();
    listener.finish(10 * S, end);
    assertEquals(1, end.results.size());
    assertEquals(Outcome.OPEN, end.results.get(0).outcome());
    assertEquals(5 * MS, end.results.get(0).openedAt());
  }
}
