package tcpsim.tcp;


/** LAST-ACK: the peer closed first and so did we; waiting for the ACK of our FIN. */
final class LastAck extends Synchronized {

  LastAck(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.LAST_ACK;
  }

  /** RFC 9293 §3.10.7.4: RST in LAST-ACK enters CLOSED. */
  @Override
  protected TcpEndpoint onReset(long now) {
    return end(Outcome.RESET, now);
  }

  /** The ACK of our FIN ends the connection. */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    if (tcb.finAcked()) return end(Outcome.CLOSED, now);
    return this;
  }
}
