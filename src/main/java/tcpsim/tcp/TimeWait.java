package tcpsim.tcp;

/**
 * TIME-WAIT: both FINs are acknowledged; wait 2×MSL so that a lost last ACK can be resent and
 * old duplicates die out (RFC 9293 §3.4.2, §3.6).
 */
final class TimeWait extends Synchronized {

  /** Entering TIME-WAIT at {@code now} arms its 2×MSL timer and stops retransmission. */
  TimeWait(Tcb tcb, long now) {
    super(tcb);
    tcb.retransmitAt = Tcb.NEVER_TIME;
    tcb.stateTimerAt = now + tcb.params.timeWait();
  }

  @Override
  public TcpState state() {
    return TcpState.TIME_WAIT;
  }

  /**
   * A retransmitted FIN (or old data) is below RCV.NXT, so it is unacceptable: it was just
   * re-acknowledged, and — RFC 9293 §3.10.7.4, eighth check in TIME-WAIT — the 2×MSL timeout
   * restarts, since the peer evidently did not get our last ACK.
   */
  @Override
  protected TcpEndpoint onUnacceptable(long now) {
    tcb.stateTimerAt = now + tcb.params.timeWait();
    return this;
  }

  /** RFC 9293 §3.10.7.4: RST in TIME-WAIT enters CLOSED; the connection had completed. */
  @Override
  protected TcpEndpoint onReset(long now) {
    return end(Outcome.CLOSED, now);
  }

  @Override
  protected TcpEndpoint onFin(long now) {
    return onUnacceptable(now);
  }

  @Override
  protected TcpEndpoint onStateTimer(long now) {
    return end(Outcome.CLOSED, now);
  }
}
