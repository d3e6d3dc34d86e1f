package tcpsim.tcp;

/** SYN-SENT: our SYN is out, waiting for a matching SYN (RFC 9293 §3.10.7.3). */
final class SynSent extends TcpEndpoint {

  SynSent(Tcb tcb) {
    super(tcb);
  }

  @Override
  public TcpState state() {
    return TcpState.SYN_SENT;
  }

  @Override
  protected TcpEndpoint onSegment(Segment s, long now) {
    // First, the ACK bit: it must acknowledge our SYN, ISS < SEG.ACK <= SND.NXT.
    boolean ackAcceptable = false;
    if (s.ackFlag()) {
      if (Seq.leq(s.ack(), tcb.iss) || Seq.gt(s.ack(), tcb.sndNxt)) {
        if (!s.rst()) sendResetForAck(s, now);
        return this;
      }
      ackAcceptable = true;
    }
    // Second, RST: valid only with an acceptable ACK (RFC 5961 §3.2 for SYN-SENT); then the
    // peer refused the connection.
    if (s.rst()) {
      return ackAcceptable ? end(Outcome.REFUSED, now) : this;
    }
    // Fourth, SYN.
    if (!s.syn()) return this;
    tcb.irs = s.seq();
    tcb.rcvNxt = Seq.add(s.seq(), 1);
    tcb.peerSyn(s, !ackAcceptable); // profile: linux: the options both SYNs agree on (§1.2)
    if (ackAcceptable) {
      tcb.sndUna = s.ack();
      tcb.rttSample(s, s.ack(), now); // Karn: only a SYN never retransmitted is timed
      tcb.retransmitAt = Tcb.NEVER_TIME;
      tcb.retries = 0;
      updateWindow(s);
      // Our SYN is acknowledged: ESTABLISHED, and <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> at once,
      // before any data the application writes (the handshake's third segment).
      Established next = new Established(tcb);
      moveTo(next, now);
      sendAck(now);
      if (tcb.synRetransmitted) tcb.rto.resetAfterSynLoss();
      applicationEstablished(now);
      next.output(now);
      return next;
    }
    // Simultaneous open (RFC 9293 §3.5, Figure 8): SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    updateWindow(s);
    TcpEndpoint next = moveTo(new SynReceived(tcb), now);
    tcb.emit(now, Flags.SYN | Flags.ACK, tcb.iss, tcb.rcvNxt, 0, false);
    return next;
  }

  private void updateWindow(Segment s) {
    tcb.sndWnd = s.window();
    tcb.sndWl1 = s.seq();
    tcb.sndWl2 = s.ack();
  }

  /** RFC 6298 §5.5–5.6 for the SYN: back off and resend, or give up after tcp_syn_retries. */
  @Override
  protected TcpEndpoint onRetransmitTimeout(long now) {
    if (tcb.retries >= tcb.params.synRetries()) return end(Outcome.SYN_TIMEOUT, now);
    tcb.retries++;
    tcb.rto.backOff();
    tcb.rttTiming = false;
    tcb.synRetransmitted = true;
    tcb.emit(now, Flags.SYN, tcb.iss, 0, 0, true);
    armRetransmitTimer(now);
    return this;
  }

  /** CLOSE in SYN-SENT deletes the TCB (RFC 9293 §3.10.4). */
  @Override
  protected TcpEndpoint onClose(long now) {
    return end(Outcome.CLOSED, now);
  }
}
