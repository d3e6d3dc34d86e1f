package tcpsim.tcp;

/**
 * The states from SYN-RECEIVED on, which share RFC 9293 §3.10.7.4's order of checks for an
 * arriving segment: sequence number, RST, SYN, ACK, text, FIN. The order and the checks common
 * to all live here; what differs by state is a hook the state overrides: {@link #onReset},
 * {@link #onAck}, {@link #acceptsText}, {@link #onFin}.
 */
abstract class Synchronized extends TcpEndpoint {

  Synchronized(Tcb tcb) {
    super(tcb);
  }

  @Override
  protected final TcpEndpoint onSegment(Segment s, long now) {
    TcpEndpoint mini = onSegmentAsMiniSocket(s, now);
    if (mini != null) return mini;
    // First: is the segment in the receive window?
    if (!tcb.acceptable(s)) {
      if (s.rst()) return this;
      // Linux's tcp_send_dupack: old data again means our ACK was lost; ACK quickly for a while.
      if (tcb.delAck != null && s.segLen() > 0 && Seq.lt(s.seq(), tcb.rcvNxt)) {
        tcb.delAck.enterQuickAckMode(tcb);
      }
      sendOutOfWindowAck(s, now);
      return onUnacceptable(now);
    }
    tcb.arrived(s); // RFC 7323 §4.3: TS.Recent
    // Second: RST. RFC 5961 §3.2: reset only on exactly RCV.NXT; elsewhere in the window the
    // RST may be forged, so answer with a challenge ACK and let a real peer resend it.
    if (s.rst()) {
      if (s.seq() == tcb.rcvNxt) return onReset(now);
      sendChallengeAck(now);
      return this;
    }
    // Fourth: SYN in a synchronized state. RFC 5961 §4.2: challenge ACK, drop.
    if (s.syn()) {
      sendChallengeAck(now);
      return this;
    }
    // Fifth: ACK. A segment without it is dropped.
    if (!s.ackFlag()) return this;
    if (Seq.gt(s.ack(), tcb.sndMax)) { // acknowledges something not yet sent
      sendAck(now);
      return this;
    }
    if (Seq.lt(s.ack(), Seq.add(tcb.sndUna, -MAX_SND_WND))) { // RFC 5961 §5.2: too old
      sendChallengeAck(now);
      return this;
    }
    TcpEndpoint afterAck = onAck(s, now);
    if (!(afterAck instanceof Synchronized next)) return afterAck; // dropped, or CLOSED
    // Seventh: segment text. Eighth: FIN.
    if (tcb.delAck != null) return next.receiveTextAndFinLinux(s, now);
    if (next.queueText(s) == Text.IN_ORDER) next.applicationRead(now);
    TcpEndpoint afterFin = next.queueFin(s) ? next.onFin(now) : next;
    if (afterFin instanceof Synchronized last) last.output(now);
    return afterFin;
  }

  /**
   * Seventh and eighth under {@code profile: linux} (docs/linux-profile.md §2): queue the text and
   * the FIN, send what the window now allows, and decide whether the owed ACK goes now or waits
   * for the delayed-ACK timer — all before the application sees the data (tcp_data_queue,
   * tcp_fin, tcp_data_snd_check, tcp_ack_snd_check; the application runs later, when woken). So
   * a quick ACK goes out alone and the reply the application then writes follows it; a delayed
   * one is carried by that reply.
   */
  private TcpEndpoint receiveTextAndFinLinux(Segment s, long now) {
    DelayedAck d = tcb.delAck;
    boolean heldOutOfOrder = tcb.oooCount > 0;
    Text text = queueText(s);
    switch (text) {
      case IN_ORDER -> {
        d.dataReceived(tcb, s, now);
        // RFC 5681 §4.2: the segment that fills a gap is acknowledged at once.
        if (heldOutOfOrder && tcb.oooCount == 0) d.ackNow = true;
      }
      case DUPLICATE -> d.enterQuickAckMode(tcb);
      case HELD, NONE -> {}
    }
    boolean fin = queueFin(s);
    if (fin) {
      switch (state()) {
        // tcp_fin: the peer closed first; an application about to answer with its own data or
        // FIN carries the ACK, so wait for it (ping-pong mode: no quick ACK).
        case ESTABLISHED -> d.enterPingpong();
        // tcp_fin: simultaneous close, or the last FIN before TIME-WAIT: ACK at once.
        case FIN_WAIT_1, FIN_WAIT_2 -> sendAck(now);
        default -> {}
      }
    }
    output(now);
    if (tcb.ackPending && (d.ackNow(tcb) || d.armTimer(tcb, now))) sendAck(now);
    if (text == Text.IN_ORDER) applicationRead(now);
    TcpEndpoint afterFin = fin ? onFin(now) : this;
    if (afterFin instanceof Synchronized last) last.output(now);
    return afterFin;
  }

  /**
   * Under {@code profile: linux} an orphaned FIN-WAIT-2 and every TIME-WAIT are no longer full
   * sockets but mini-sockets with rules of their own (tcp_timewait_state_process in
   * net/ipv4/tcp_minisocks.c); such a state handles the whole segment here and returns its next
   * state. Null: the segment takes RFC 9293's order of checks below.
   */
  protected TcpEndpoint onSegmentAsMiniSocket(Segment s, long now) {
    return null;
  }

  /** An unacceptable segment was answered with an ACK; TIME-WAIT also restarts its timer. */
  protected TcpEndpoint onUnacceptable(long now) {
    return this;
  }

  /**
   * An RST with exactly RCV.NXT arrived. RFC 9293 §3.10.7.4, second check: in ESTABLISHED,
   * FIN-WAIT-1, FIN-WAIT-2 and CLOSE-WAIT the connection is reset; in CLOSING and LAST-ACK it
   * enters CLOSED — the peer is gone either way, so the outcome is {@code reset}. SYN-RECEIVED
   * and TIME-WAIT say otherwise and override this.
   */
  protected TcpEndpoint onReset(long now) {
    return end(Outcome.RESET, now);
  }

  /**
   * Process the ACK field of an acceptable segment; return the state that handles the rest of
   * the segment, or a non-{@link Synchronized} state when processing ends here.
   */
  protected TcpEndpoint onAck(Segment s, long now) {
    updateSendSide(s, now);
    return this;
  }

  /** Whether segment text is still delivered in this state (until the peer's FIN). */
  protected boolean acceptsText() {
    return false;
  }

  /** The peer's FIN arrived in sequence (RCV.NXT already advanced over it). */
  protected TcpEndpoint onFin(long now) {
    return this;
  }

  /**
   * RFC 9293 §3.10.7.4 fifth check, for SYN-RECEIVED onwards: SND.UNA < SEG.ACK advances the
   * left edge, takes an RTT sample (Karn's rule: never from a retransmitted segment), restarts
   * or stops the retransmission timer (RFC 6298 §5.2–5.3); SND.WL1/SND.WL2 decide whether the
   * segment may update the send window.
   */
  protected final void updateSendSide(Segment s, long now) {
    int ack = s.ack();
    if (Seq.gt(ack, tcb.sndUna)) {
      tcb.rttSample(s, ack, now);
      tcb.sndUna = ack;
      if (Seq.gt(ack, tcb.sndNxt)) tcb.sndNxt = ack; // a held-back segment was acked after a go-back
      tcb.retries = 0;
      tcb.firstRetransmitAt = Tcb.NO_TIME;
      tcb.retransmitAt = tcb.sndUna == tcb.sndMax ? Tcb.NEVER_TIME : now + tcb.rto.rto();
    }
    // RFC 9293 §3.10.7.4 fifth: the window is updated only "If SND.UNA =< SEG.ACK =< SND.NXT";
    // a window counted from an older ACK would reach past the right edge the peer offered.
    if (Seq.leq(tcb.sndUna, ack)
        && (Seq.lt(tcb.sndWl1, s.seq()) || (tcb.sndWl1 == s.seq() && Seq.leq(tcb.sndWl2, ack)))) {
      tcb.sndWnd = tcb.peerWindow(s);
      tcb.sndWl1 = s.seq();
      tcb.sndWl2 = ack;
    }
  }

  /** What the seventh step did with a segment's text. */
  private enum Text { NONE, DUPLICATE, HELD, IN_ORDER }

  /**
   * Seventh: queue in-order text for the application (the caller tells it) and owe an ACK; hold
   * text beyond RCV.NXT for reassembly; text already received is only re-acknowledged.
   */
  private Text queueText(Segment s) {
    if (s.len() == 0 || !acceptsText()) return Text.NONE;
    int start = s.seq();
    int end = Seq.add(start, s.len());
    tcb.ackPending = true;
    if (Seq.leq(end, tcb.rcvNxt)) return Text.DUPLICATE;
    int windowEnd = Seq.add(tcb.rcvNxt, tcb.rcvWnd);
    if (Seq.gt(end, windowEnd)) end = windowEnd; // RFC 9293 §3.10.7.4: trim to the window
    if (Seq.gt(start, tcb.rcvNxt)) {
      tcb.holdOutOfOrder(start, end);
      return Text.HELD;
    }
    long gained = Seq.diff(end, tcb.rcvNxt);
    tcb.rcvNxt = end;
    gained += tcb.drainOutOfOrder();
    tcb.received += gained;
    return Text.IN_ORDER;
  }

  /**
   * Eighth: a FIN counts only when everything before it has been received; then RCV.NXT moves
   * over it, an ACK is owed, and the caller hands it to {@link #onFin}.
   */
  private boolean queueFin(Segment s) {
    if (!s.fin() || Seq.add(s.seq(), s.len()) != tcb.rcvNxt) return false;
    tcb.rcvNxt = Seq.add(tcb.rcvNxt, 1);
    tcb.ackPending = true;
    return true;
  }

  /**
   * Linux's delayed-ACK timer (tcp_delack_timer_handler): the owed ACK goes out alone, and ato
   * or ping-pong mode learn from the wait.
   */
  @Override
  protected TcpEndpoint onDelayedAckTimeout(long now) {
    if (tcb.delAck == null || !tcb.ackPending) return this;
    tcb.delAck.timerExpired(tcb);
    sendAck(now);
    return this;
  }

  /** RFC 6298 §5.4–5.6: retransmit the earliest unacknowledged segment, or give up. */
  @Override
  protected TcpEndpoint onRetransmitTimeout(long now) {
    if (tcb.sndUna == tcb.sndMax) return this; // nothing outstanding
    if (retransmissionsExhausted(now)) return end(Outcome.DATA_TIMEOUT, now);
    tcb.retries++;
    if (tcb.firstRetransmitAt == Tcb.NO_TIME) tcb.firstRetransmitAt = now;
    tcb.rto.backOff();
    tcb.rttTiming = false;
    if (tcb.sndUna == tcb.iss) {
      // Our SYN is still unacknowledged (CLOSE in SYN-RECEIVED led to FIN-WAIT-1 before the ACK
      // of our SYN): the earliest unacknowledged segment is the SYN,ACK, so resend that (RFC
      // 6298 §5.4) rather than going back to SND.UNA, which would turn the SYN into data.
      tcb.synRetransmitted = true;
      tcb.emit(now, Flags.SYN | Flags.ACK, tcb.iss, tcb.rcvNxt, 0, true);
      armRetransmitTimer(now);
      return this;
    }
    tcb.sndNxt = tcb.sndUna; // go back to the first unacknowledged byte
    output(now, 1);
    armRetransmitTimer(now);
    return this;
  }

  /**
   * Whether the connection gives up instead of retransmitting again (no RST is sent). The RFC
   * profile counts: {@code dataRetries} retransmissions. Linux (tcp_write_timeout,
   * retransmits_timed_out in net/ipv4/tcp_timer.c) measures time: once something has been
   * retransmitted, it gives up at the first timeout that finds the time since the first
   * retransmission (retrans_stamp) at or past tcp_model_timeout(N, TCP_RTO_MIN) — what N
   * retransmissions would take from an RTO of {@code rtoMin} doubling up to {@code rtoMax},
   * about 924.6 s for tcp_retries2 = 15. N is tcp_retries2 ({@code dataRetries}), or
   * tcp_orphan_retries once the application has closed (0 meaning 8 while the RTO is below
   * {@code rtoMax}; tcp_orphan_retries()). The SYN,ACK resent after a close in SYN-RECEIVED
   * keeps the count.
   */
  private boolean retransmissionsExhausted(long now) {
    if (!tcb.params.isLinux() || tcb.sndUna == tcb.iss) {
      return tcb.retries >= tcb.params.dataRetries();
    }
    if (tcb.retries == 0) return false;
    int boundary = tcb.params.dataRetries();
    if (tcb.fullyClosed) {
      boundary = tcb.params.linuxKnobs().orphanRetries();
      if (boundary == 0 && tcb.rto.rto() < tcb.params.rtoMax()) boundary = 8;
    }
    return now - tcb.firstRetransmitAt >= modelTimeout(boundary);
  }

  /**
   * tcp_model_timeout(boundary, TCP_RTO_MIN): the time {@code boundary} exponential backoffs
   * take from {@code rtoMin}, doubling while below {@code rtoMax} and {@code rtoMax} each after.
   */
  private long modelTimeout(int boundary) {
    long base = tcb.params.rtoMin();
    int linearBackoffThresh = 63 - Long.numberOfLeadingZeros(tcb.params.rtoMax() / base); // ilog2
    if (boundary <= linearBackoffThresh) return ((2L << boundary) - 1) * base;
    return ((2L << linearBackoffThresh) - 1) * base
        + (long) (boundary - linearBackoffThresh) * tcb.params.rtoMax();
  }

  void output(long now) {
    output(now, Integer.MAX_VALUE);
  }

  /**
   * Linux destroys a closed socket that gets data it will never read (tcp_done): the host, with
   * no socket any more, answers the segment as for an unknown connection, {@code
   * <SEQ=SEG.ACK><CTL=RST>} without ACK flag or options (tcp_v4_send_reset). The application
   * had closed and never learns of it: the endpoint ends {@link Outcome#CLOSED}, its peer
   * {@code reset}.
   */
  protected TcpEndpoint abortWithoutSocket(Segment s, long now) {
    TcpEndpoint closed = end(Outcome.CLOSED, now);
    sendResetWithoutSocket(s, now);
    return closed;
  }

  @Override
  protected void flushWrites(long now) {
    if (Seq.diff(tcb.dataEnd(), tcb.sndNxt) > 0) output(now);
  }

  /**
   * Send what the window allows: written data from SND.NXT in MSS-sized segments, then the FIN
   * once the application has closed and all data is out; if nothing went out but an ACK is
   * owed, a pure ACK — except under {@code profile: linux}, where the receive path already sent
   * it or armed the delayed-ACK timer for it. Segments below the highest sequence sent are
   * retransmissions.
   */
  void output(long now, int maxSegments) {
    int sent = 0;
    while (sent < maxSegments) {
      int dataEnd = tcb.dataEnd();
      int unsent = Seq.diff(dataEnd, tcb.sndNxt);
      int room = tcb.sndWnd - Seq.diff(tcb.sndNxt, tcb.sndUna);
      if (unsent > 0 && room > 0) {
        int len = Math.min(tcb.sendMss, Math.min(unsent, room));
        boolean last = len == unsent;
        boolean fin = last && tcb.finQueued;
        int flags = Flags.ACK | (last ? Flags.PSH : 0) | (fin ? Flags.FIN : 0);
        sendFromSndNxt(now, flags, len);
      } else if (unsent == 0 && tcb.finQueued) {
        sendFromSndNxt(now, Flags.FIN | Flags.ACK, 0);
      } else {
        break;
      }
      sent++;
    }
    if (tcb.delAck == null) {
      if (sent == 0 && tcb.ackPending) sendAck(now);
      tcb.ackPending = false;
    }
    if (sent > 0) armRetransmitTimer(now);
  }

  private void sendFromSndNxt(long now, int flags, int len) {
    int seq = tcb.sndNxt;
    boolean retransmit = Seq.lt(seq, tcb.sndMax);
    tcb.emit(now, flags, seq, tcb.rcvNxt, len, retransmit);
    ackSent();
    if (tcb.delAck != null && len > 0) tcb.delAck.dataSent(now);
    tcb.sndNxt = Seq.add(seq, len + ((flags & Flags.FIN) != 0 ? 1 : 0));
    tcb.sndMax = Seq.max(tcb.sndMax, tcb.sndNxt);
    if (!retransmit) startRttTiming(seq, now);
  }
}
