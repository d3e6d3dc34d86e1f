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
    if (newDataAfterClose(tcb, s)) {
      // Linux enters FIN-WAIT-2 first when the segment also acknowledges our FIN, then finds
      // the data and destroys the socket (tcp_rcv_state_process, TCP_FIN_WAIT1 case).
      Synchronized current = this;
      if (tcb.finAcked()) current = (Synchronized) moveTo(new FinWait2(tcb, now), now);
      return current.abortWithoutSocket(s, now);
    }
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
   * of data already received does not count. The abort itself: {@link #abortWithoutSocket}
   * (MIB TCPAbortOnData).
   */
  static boolean newDataAfterClose(Tcb tcb, Segment s) {
    return tcb.params.isLinux() && tcb.fullyClosed && s.segLen() > 0
        && Seq.gt(Seq.add(s.seq(), s.len()), tcb.rcvNxt);
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
