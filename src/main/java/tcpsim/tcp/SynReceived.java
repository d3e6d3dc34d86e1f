package tcpsim.tcp;

/**
 * SYN-RECEIVED: a SYN arrived and ours is out, waiting for the ACK of our SYN (RFC 9293
 * §3.10.7.4). An endpoint gets here by simultaneous open (from SYN-SENT), or from a listener's
 * half-open entry when the handshake's last ACK arrives (passive open).
 */
final class SynReceived extends Synchronized {

  SynReceived(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.SYN_RECEIVED;
  }

  /**
   * RST in SYN-RECEIVED: after a passive open the connection returns to LISTEN (the listener
   * carries on, this endpoint is gone); after an active open the connection was refused.
   */
  @Override
  protected TcpEndpoint onReset(long now) {
    return end(tcb.passiveOpen ? Outcome.RESET : Outcome.REFUSED, now);
  }

  /**
   * SND.UNA < SEG.ACK =< SND.NXT: our SYN is acknowledged, enter ESTABLISHED and continue
   * processing the segment there. Any other ACK gets {@code <SEQ=SEG.ACK><CTL=RST>}.
   */
  @Override
  protected TcpEndpoint onAck(Segment s, long now) {
    if (!(Seq.lt(tcb.sndUna, s.ack()) && Seq.leq(s.ack(), tcb.sndNxt))) {
      sendResetForAck(s, now);
      return this;
    }
    tcb.sndWnd = tcb.peerWindow(s);
    tcb.sndWl1 = s.seq();
    tcb.sndWl2 = s.ack();
    Established next = new Established(tcb);
    moveTo(next, now);
    next.updateSendSide(s, now);
    if (tcb.synRetransmitted) tcb.rto.resetAfterSynLoss();
    applicationEstablished(now);
    return next;
  }

  /** RFC 6298 §5.5–5.6 for the SYN,ACK: resend it, or give up after tcp_synack_retries. */
  @Override
  protected TcpEndpoint onRetransmitTimeout(long now) {
    int limit = tcb.passiveOpen ? tcb.params.synAckRetries() : tcb.params.synRetries();
    if (tcb.retries >= limit) {
      return end(tcb.passiveOpen ? Outcome.SYNACK_TIMEOUT : Outcome.SYN_TIMEOUT, now);
    }
    tcb.retries++;
    tcb.rto.backOff();
    tcb.rttTiming = false;
    tcb.synRetransmitted = true;
    tcb.emit(now, Flags.SYN | Flags.ACK, tcb.iss, tcb.rcvNxt, 0, true);
    armRetransmitTimer(now);
    return this;
  }

  /**
   * CLOSE in SYN-RECEIVED: no data can have been written yet, so — RFC 9293 §3.10.4 — "form a
   * FIN segment and send it, and enter FIN-WAIT-1 state".
   */
  @Override
  protected TcpEndpoint onClose(long now) {
    tcb.finQueued = true;
    Synchronized next = new FinWait1(tcb);
    moveTo(next, now);
    next.output(now); // RFC 9293 §3.10.4: the FIN goes out now, not with the next arrival
    return next;
  }
}
