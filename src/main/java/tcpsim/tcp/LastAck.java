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

  /** The ACK of our FIN ends the connection. */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    if (tcb.finAcked()) return end(Outcome.CLOSED, now);
    return this;
  }
}
