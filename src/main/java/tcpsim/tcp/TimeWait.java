package tcpsim.tcp;

/**
 * TIME-WAIT: both FINs are acknowledged; wait 2×MSL so that a lost last ACK can be resent and
 * old duplicates die out (RFC 9293 §3.4.2, §3.6).
 *
 * <p>Under {@code profile: linux} the wait is TCP_TIMEWAIT_LEN, 60 s whatever the MSL, and the
 * state is Linux's time-wait mini-socket with its own rules ({@link #onSegmentAsMiniSocket}).
 */
final class TimeWait extends Synchronized {

  /** Entering TIME-WAIT at {@code now} arms its timer and stops retransmission. */
  TimeWait(Tcb tcb, long now) {
    this(tcb, now, true);
  }

  /**
   * {@code newMiniSocket}: under {@code profile: linux}, whether a full socket becomes a
   * time-wait socket here, with a fresh rate limit for its ACKs (tcp_time_wait); false when an
   * orphan's FIN-WAIT-2 mini-socket moves on to TIME-WAIT and keeps its own.
   */
  TimeWait(Tcb tcb, long now, boolean newMiniSocket) {
    super(tcb);
    tcb.retransmitAt = Tcb.NEVER_TIME;
    tcb.stateTimerAt = now + length();
    if (newMiniSocket) tcb.lastInvalidAckAt = Tcb.NO_TIME;
  }

  @Override
  public TcpState state() {
    return TcpState.TIME_WAIT;
  }

  /** 2×MSL; under {@code profile: linux} TCP_TIMEWAIT_LEN (include/net/tcp.h), 60 s. */
  private long length() {
    return tcb.params.isLinux() ? LinuxKnobs.TIME_WAIT_LENGTH : tcb.params.timeWait();
  }

  private void restartTimer(long now) {
    tcb.stateTimerAt = now + length();
  }

  /**
   * A retransmitted FIN (or old data) is below RCV.NXT, so it is unacceptable: it was just
   * re-acknowledged, and — RFC 9293 §3.10.7.4, eighth check in TIME-WAIT — the 2×MSL timeout
   * restarts, since the peer evidently did not get our last ACK.
   */
  @Override
  protected TcpEndpoint onUnacceptable(long now) {
    restartTimer(now);
    return this;
  }

  /**
   * Linux's TIME-WAIT (tcp_timewait_state_process, substate TCP_TIME_WAIT; tcp_rfc1337 = 0):
   *
   * <ul>
   *   <li>a segment at exactly RCV.NXT with nothing in it (a bare ACK) restarts the 60 s and is
   *       not answered; an RST there ends TIME-WAIT at once;
   *   <li>any other segment without RST — a retransmitted FIN, old data, an ACK outside the
   *       window — is answered with an ACK (at most one per tcp_invalid_ratelimit unless it
   *       carries data or a FIN), and restarts the 60 s if it has the ACK flag.
   * </ul>
   *
   * <p>Not modelled: a SYN without ACK above RCV.NXT that reopens the connection through the
   * listener (TCP_TW_SYN); it is answered like any ACK-less segment, with a rate-limited ACK and
   * no restart. Any other RST (not at RCV.NXT) is dropped without a word: Linux sends no
   * challenge ACK from a time-wait socket.
   */
  @Override
  protected TcpEndpoint onSegmentAsMiniSocket(Segment s, long now) {
    if (!tcb.params.isLinux()) return null;
    if (s.seq() == tcb.rcvNxt && (s.segLen() == 0 || s.rst())) {
      if (s.rst()) return end(Outcome.CLOSED, now);
      restartTimer(now);
      return this;
    }
    if (s.rst()) return this;
    if (s.ackFlag()) restartTimer(now);
    sendOutOfWindowAck(s, now);
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
