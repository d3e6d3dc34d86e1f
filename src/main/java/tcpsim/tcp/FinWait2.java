package tcpsim.tcp;

/**
 * FIN-WAIT-2: our FIN is acknowledged; we still receive until the peer's FIN.
 *
 * <p>After shutdown() the state has no timer: it waits for the peer's FIN as long as the
 * application holds the socket. Under {@code profile: linux}, once the application has called
 * close() the socket is an orphan and Linux replaces it by a small time-wait socket in substate
 * FIN-WAIT-2 (tcp_time_wait(sk, TCP_FIN_WAIT2, tmo) from tcp_rcv_state_process or __tcp_close)
 * that lives tcp_fin_timeout and answers segments by the rules of {@link #onSegmentAsMiniSocket}.
 */
final class FinWait2 extends Synchronized {

  /** Entering FIN-WAIT-2 at {@code now}: an orphan starts its tcp_fin_timeout here. */
  FinWait2(Tcb tcb, long now) {
    super(tcb);
    if (orphaned()) startFinTimeout(now);
  }

  @Override
  public TcpState state() {
    return TcpState.FIN_WAIT_2;
  }

  /** Linux's orphan: the application closed (not only shut down) the socket. */
  private boolean orphaned() {
    return tcb.params.isLinux() && tcb.fullyClosed;
  }

  /**
   * The orphan's life, tcp_fin_time(): tcp_fin_timeout (60 s), but at least 3.5 RTO
   * (tcp_time_wait). A tcp_fin_timeout above 60 s is spent partly as a full socket on the
   * keepalive timer in Linux; tcpsim keeps it one state with one timer.
   */
  private void startFinTimeout(long now) {
    long rto = tcb.rto.rto();
    long threePointFiveRto = (rto << 2) - (rto >> 1);
    tcb.stateTimerAt = now + Math.max(tcb.params.linuxKnobs().finTimeout(), threePointFiveRto);
    tcb.lastInvalidAckAt = Tcb.NO_TIME; // a new time-wait socket (tw_last_oow_ack_time = 0)
  }

  /** close() after shutdown() in FIN-WAIT-2 orphans the socket now (__tcp_close). */
  @Override
  protected TcpEndpoint onClose(long now) {
    if (orphaned() && tcb.stateTimerAt == Tcb.NEVER_TIME) startFinTimeout(now);
    return this;
  }

  /** The orphan's tcp_fin_timeout ran out: it vanishes without a word (the peer never closed). */
  @Override
  protected TcpEndpoint onStateTimer(long now) {
    return end(Outcome.CLOSED, now);
  }

  /**
   * The FIN-WAIT-2 mini-socket of Linux (tcp_timewait_state_process, substate TCP_FIN_WAIT2),
   * in its order: a segment outside the window gets an ACK (rate limited); an RST anywhere in
   * the window kills it; a SYN at or beyond RCV.NXT gets a reset; a segment without ACK, or
   * with nothing new, is ignored; new data, or a FIN after a gap, gets a reset and kills it
   * (TCPAbortOnData); the FIN at RCV.NXT is acknowledged at once and starts TIME-WAIT. Resets
   * are sent as without a socket: {@code <SEQ=SEG.ACK><CTL=RST>}. The endpoint's outcome is
   * {@code closed} when it dies by its own reset (its application had closed) and {@code reset}
   * when the peer's RST kills it.
   */
  @Override
  protected TcpEndpoint onSegmentAsMiniSocket(Segment s, long now) {
    if (!orphaned()) return null;
    if (!tcb.acceptable(s)) {
      if (!s.rst()) sendOutOfWindowAck(s, now);
      return this;
    }
    if (s.rst()) return end(Outcome.RESET, now);
    int end = Seq.add(s.seq(), s.segLen());
    if (s.syn() && Seq.geq(s.seq(), tcb.rcvNxt)) return abortWithoutSocket(s, now);
    if (!s.ackFlag() || Seq.leq(end, tcb.rcvNxt) || s.segLen() == 0) return this;
    if (!s.fin() || end != Seq.add(tcb.rcvNxt, 1)) return abortWithoutSocket(s, now);
    tcb.rcvNxt = end;
    TcpEndpoint next = moveTo(new TimeWait(tcb, now, false), now);
    sendAck(now);
    return next;
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
