package tcpsim.tcp;

/** CLOSING: both sides closed at once; waiting for the ACK of our FIN (simultaneous close). */
final class Closing extends Synchronized {

  Closing(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.CLOSING;
  }

  /** The ACK of our FIN: TIME-WAIT. */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    if (tcb.finAcked()) return moveTo(new TimeWait(tcb, now), now);
    return this;
  }
}
