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

  /**
   * RFC 6298 §5.5–5.6 for the SYN: back off and resend, or give up after tcp_syn_retries
   * retransmissions. Under {@code profile: linux}, Linux's own rules ({@link #linuxTimeout}).
   */
  @Override
  protected TcpEndpoint onRetransmitTimeout(long now) {
    if (tcb.params.isLinux()) return linuxTimeout(now);
    if (tcb.retries >= tcb.params.synRetries()) return end(Outcome.SYN_TIMEOUT, now);
    tcb.retries++;
    tcb.rto.backOff();
    retransmitSyn(now);
    return this;
  }

  /**
   * Linux 6.5+ (net/ipv4/tcp_timer.c, tcp_write_timeout and tcp_retransmit_timer; "tcp: make
   * the first N SYN RTO backoffs linear"). Before retransmitting, give up if either holds:
   *
   * <ul>
   *   <li>by count: {@code tcp_syn_retries + tcp_syn_linear_timeouts} retransmissions are out
   *       (6 + 4 = 10 by default);
   *   <li>by time, once anything was retransmitted: the first SYN went out at least
   *       {@link #modelTimeout tcp_model_timeout(tcp_syn_retries)} ago (127 s for 6).
   * </ul>
   *
   * <p>Otherwise resend, and double the RTO only after the (tcp_syn_linear_timeouts + 1)-th
   * retransmission: SYNs at 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 s, connect() fails (ETIMEDOUT)
   * at 131 s. docs/linux-profile.md §3.
   */
  private TcpEndpoint linuxTimeout(long now) {
    int linear = tcb.params.linuxKnobs().synLinearTimeouts();
    int synRetries = tcb.params.synRetries();
    boolean byCount = tcb.retries >= synRetries + linear;
    boolean byTime = tcb.retries > 0 && now - tcb.openedAt
        >= modelTimeout(synRetries, tcb.params.rtoInitial(), tcb.params.rtoMax());
    if (byCount || byTime) return end(Outcome.SYN_TIMEOUT, now);
    tcb.retries++; // icsk_retransmits and icsk_backoff
    if (tcb.retries > linear) tcb.rto.backOff();
    retransmitSyn(now);
    return this;
  }

  /**
   * Linux's tcp_model_timeout(boundary, rto_base): how long {@code boundary} retransmissions
   * take with exponential backoff from {@code base}, capped at {@code max} — (2^(n+1) − 1)·base
   * while the backoff stays below the cap (n ≤ log2(max/base), 6 with 1 s and 120 s), then
   * {@code max} for each further one. It ignores the linear timeouts, so it is rarely the limit
   * that decides.
   */
  static long modelTimeout(int boundary, long base, long max) {
    int thresh = 63 - Long.numberOfLeadingZeros(Math.max(1, max / base)); // ilog2
    if (boundary <= thresh) return ((2L << boundary) - 1) * base;
    return ((2L << thresh) - 1) * base + (boundary - thresh) * max;
  }

  private void retransmitSyn(long now) {
    tcb.rttTiming = false;
    tcb.synRetransmitted = true;
    tcb.emit(now, Flags.SYN, tcb.iss, 0, 0, true);
    armRetransmitTimer(now);
  }

  /** CLOSE in SYN-SENT deletes the TCB (RFC 9293 §3.10.4). */
  @Override
  protected TcpEndpoint onClose(long now) {
    return end(Outcome.CLOSED, now);
  }
}
