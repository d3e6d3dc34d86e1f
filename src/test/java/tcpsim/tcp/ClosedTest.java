package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static tcpsim.tcp.EndpointHarness.*;

import org.junit.jupiter.api.Test;

/** CLOSED (RFC 9293 §3.10.1 OPEN, §3.10.7.1 SEGMENT ARRIVES in CLOSED) and the closed port. */
class ClosedTest {
  private static final int ISS = 1000;
  private static final int PEER_SEQ = 5000;

  @Test
  void activeOpen_sendsSynWithIss_andMovesToSynSent() {
    EndpointHarness a = client(TcpParams.rfc(), AppScript.idle(), ISS, 2 * S);
    assertNothingSent(a.advanceTo(2 * S));
    assertEquals(TcpState.CLOSED, a.state());
    Segment syn = only(a.advanceTo(2 * S + 1));
    assertSegment(syn, Flags.SYN, ISS, 0, 0, false);
    assertEquals(2 * S, syn.sentAt());
    assertEquals(TcpState.SYN_SENT, a.state());
    assertEquals(java.util.List.of("CLOSED->SYN_SENT"), a.transitions());
    assertEquals(ISS, a.tcb.sndUna);
    assertEquals(ISS + 1, a.tcb.sndNxt);
    assertEquals(2 * S, a.tcb.openedAt);
    assertEquals(3 * S, a.lastNextTimer, "SYN retransmission timer at open + initial RTO");
  }

  @Test
  void nonAckSegmentInClosed_getsRstAck_seqZero_ackSeqPlusLen() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    Segment rst = only(c.deliver(c.fromPeer(Flags.SYN, PEER_SEQ, 0, 0), 10 * MS));
    assertSegment(rst, Flags.RST | Flags.ACK, 0, PEER_SEQ + 1, 0); // SYN counts one
    assertEquals(PEER_HOST, rst.dstHost());
    assertEquals(PEER_PORT, rst.dstPort());
    assertEquals(LOCAL_PORT, rst.srcPort());
  }

  @Test
  void nonAckDataWithFinInClosed_getsRstAck_acknowledgingDataAndFin() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    Segment rst = only(c.deliver(c.fromPeer(Flags.FIN | Flags.PSH, PEER_SEQ, 0, 100), 10 * MS));
    assertSegment(rst, Flags.RST | Flags.ACK, 0, PEER_SEQ + 101, 0);
  }

  @Test
  void ackSegmentInClosed_getsRst_withSeqOfItsAck() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    Segment rst = only(c.deliver(c.fromPeer(Flags.ACK | Flags.PSH, PEER_SEQ, 1234, 50), 10 * MS));
    assertSegment(rst, Flags.RST, 1234, 0, 0);
  }

  @Test
  void rstInClosed_isIgnored() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    assertNothingSent(c.deliver(c.fromPeer(Flags.RST, PEER_SEQ, 0, 0), 10 * MS));
    EndpointHarness d = endedClosed(TcpParams.rfc());
    assertNothingSent(d.deliver(d.fromPeer(Flags.RST | Flags.ACK, PEER_SEQ, 1, 0), 20 * MS));
  }

  @Test
  void segmentBeforeOpen_isAnsweredWithRst_andOpenStillHappens() {
    EndpointHarness a = client(TcpParams.rfc(), AppScript.idle(), ISS, 1 * S);
    assertSegment(only(a.deliver(a.fromPeer(Flags.ACK, PEER_SEQ, 77, 0), 10 * MS)),
        Flags.RST, 77, 0, 0);
    assertEquals(TcpState.CLOSED, a.state());
    assertSegment(only(a.advanceTo(1 * S + 1)), Flags.SYN, ISS, 0, 0);
    assertEquals(TcpState.SYN_SENT, a.state());
  }

  @Test
  void openOnAnEndedConnection_doesNothing() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    c.appAt(Tcb.AppAction.CONNECT, 1 * S);
    assertNothingSent(c.advanceTo(2 * S));
    assertEquals(TcpState.CLOSED, c.state());
  }

  @Test
  void endedClosed_stopsAfterItsWindow() {
    EndpointHarness c = endedClosed(TcpParams.rfc());
    c.advanceTo(1);
    assertEquals(Tcb.NEVER_TIME, c.lastNextTimer);
    assertEquals(true, c.stopped);
  }

  @Test
  void synCarryingData_toAClosedPort_isResetAcknowledgingTheDataAndTheSyn() {
    // tcp_v4_send_reset / RFC 9293 §3.10.7.1: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, where
    // SEG.LEN counts the 20 bytes of data and the SYN: ack = x + 21. No options, window 0.
    Segment syn = new Segment(1, 80, 0, 1000, PEER_SEQ, 0, Flags.SYN, 65535, 20, false, 3, 7, 0,
        0);
    Outbox out = new Outbox();
    ClosedPort.answer(out, 5 * MS, -1, 0, syn);
    Segment r = out.segments.get(0);
    assertSegment(r, Flags.RST | Flags.ACK, 0, PEER_SEQ + 21, 0);
    assertEquals(0, r.window());
    assertEquals(null, r.options());
  }

  @Test
  void closedPort_answersLikeClosed_andIgnoresRst() {
    Segment syn = new Segment(1, 80, 0, 1000, PEER_SEQ, 0, Flags.SYN, 65535, 0, false, 3, 7, 0, 0);
    Segment ack = new Segment(1, 80, 0, 1000, PEER_SEQ, 999, Flags.ACK, 65535, 0, false, 3, 7, 1, 0);
    Segment rst = new Segment(1, 80, 0, 1000, PEER_SEQ, 0, Flags.RST, 65535, 0, false, 3, 7, 2, 0);
    Outbox out = new Outbox();
    int index = ClosedPort.answer(out, 5 * MS, -1, 10, syn);
    assertEquals(11, index);
    index = ClosedPort.answer(out, 5 * MS, -1, index, ack);
    assertEquals(12, index);
    index = ClosedPort.answer(out, 5 * MS, -1, index, rst);
    assertEquals(12, index, "a RST is not answered");
    assertEquals(2, out.segments.size());
    Segment r1 = out.segments.get(0);
    assertSegment(r1, Flags.RST | Flags.ACK, 0, PEER_SEQ + 1, 0);
    assertEquals(0, r1.srcHost());
    assertEquals(1000, r1.srcPort());
    assertEquals(1, r1.dstHost());
    assertEquals(80, r1.dstPort());
    assertEquals(3, r1.conn());
    assertSegment(out.segments.get(1), Flags.RST, 999, 0, 0);
    assertFalse(out.segments.get(1).ackFlag());
  }
}
