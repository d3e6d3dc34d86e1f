package tcpsim.tcp;

/**
 * CLOSE-WAIT: the peer has closed its side. We may still send (half-close, RFC 9293 §3.6) until
 * our application closes.
 */
final class CloseWait extends Synchronized {

  CloseWait(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.CLOSE_WAIT;
  }

  /** CLOSE: queue our FIN after the remaining data and enter LAST-ACK (§3.10.4). */
  @Override
  protected TcpEndpoint onClose(long now) {
    tcb.finQueued = true;
    Synchronized next = new LastAck(tcb);
    moveTo(next, now);
    next.output(now);
    return next;
  }

  /** Data the application writes in CLOSE-WAIT goes out at once. */
  @Override
  protected void write(long bytes, long now) {
    super.write(bytes, now);
    output(now);
  }
}
