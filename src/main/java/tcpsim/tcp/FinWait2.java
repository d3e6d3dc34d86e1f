package tcpsim.tcp;

/** FIN-WAIT-2: our FIN is acknowledged; we still receive until the peer's FIN. */
final class FinWait2 extends Synchronized {

  FinWait2(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.FIN_WAIT_2;
  }

  @Override
  protected boolean acceptsText() {
    return true;
  }

  /** The peer's FIN: enter TIME-WAIT. */
  @Override
  protected TcpEndpoint onFin(long now) {
    return moveTo(new TimeWait(tcb, now), now);
  }
}
