package tcpsim.tcp;

/** FIN-WAIT-1: we closed; our FIN is queued or sent but not yet acknowledged. */
final class FinWait1 extends Synchronized {

  FinWait1(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.FIN_WAIT_1;
  }

  /**
   * Once our FIN is acknowledged, enter FIN-WAIT-2 and continue there. Under {@code profile:
   * linux}, new data after the application's close() aborts the connection first (see {@link
   * #newDataAfterClose}).
   */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    if (newDataAfterClose(tcb, s)) return abortOnData(s, now);
    if (tcb.finAcked()) return moveTo(new FinWait2(tcb, now), now);
    return this;
  }

  /**
   * Whether {@code s} brings data after close() that Linux refuses: the application called
   * close(), not shutdown(), so nobody will read it, and the segment reaches past RCV.NXT with
   * data or with a FIN beyond a gap (its end, FIN not counted, lies after RCV.NXT).
   * tcp_rcv_state_process (net/ipv4/tcp_input.c) checks this in FIN-WAIT-1 both when the
   * segment acknowledges our FIN ("Receive out of order FIN after close()") and in its step 7
   * ("RFC 1122 says we MUST send a reset"); the FIN-WAIT-2 mini-socket likewise. A retransmission
   * of data already received does not count.
   */
  static boolean newDataAfterClose(Tcb tcb, Segment s) {
    return tcb.params.isLinux() && tcb.fullyClosed && s.segLen() > 0
        && Seq.gt(Seq.add(s.seq(), s.len()), tcb.rcvNxt);
  }

  /**
   * Abort on data after close() (MIB TCPAbortOnData): the socket is destroyed at once
   * (tcp_reset / tcp_done) and, having no socket any more, the host answers the segment as for
   * an unknown connection, {@code <SEQ=SEG.ACK><CTL=RST>} without ACK flag or options
   * (tcp_v4_send_reset). The application had closed and never learns of it: the endpoint ends
   * {@link Outcome#CLOSED}, its peer {@code reset}.
   */
  private TcpEndpoint abortOnData(Segment s, long now) {
    TcpEndpoint closed = end(Outcome.CLOSED, now);
    sendResetWithoutSocket(s, now);
    return closed;
  }

  @Override
  protected boolean acceptsText() {
    return true;
  }

  /** The peer's FIN before the ACK of ours: simultaneous close, CLOSING (RFC 9293 Figure 13). */
  @Override
  protected TcpEndpoint onFin(long now) {
    return moveTo(new Closing(tcb), now);
  }
}
