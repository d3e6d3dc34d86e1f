package tcpsim.tcp;

/** ESTABLISHED: data flows both ways (RFC 9293 §3.10.7.4). */
final class Established extends Synchronized {

  Established(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.ESTABLISHED;
  }

  @Override
  protected boolean acceptsText() {
    return true;
  }

  /** The peer closed its side: CLOSE-WAIT, and the application reads end of file. */
  @Override
  protected TcpEndpoint onFin(long now) {
    TcpEndpoint next = moveTo(new CloseWait(tcb), now);
    applicationEndOfFile(now);
    return next;
  }

  /** CLOSE: queue a FIN after the data already written and enter FIN-WAIT-1 (§3.10.4). */
  @Override
  protected TcpEndpoint onClose(long now) {
    tcb.finQueued = true;
    Synchronized next = new FinWait1(tcb);
    moveTo(next, now);
    next.output(now);
    return next;
  }
}
