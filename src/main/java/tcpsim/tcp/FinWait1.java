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

  /** Once our FIN is acknowledged, enter FIN-WAIT-2 and continue there. */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    if (tcb.finAcked()) return moveTo(new FinWait2(tcb), now);
    return this;
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
