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
    // First: is the segment in the receive window?
    if (!tcb.acceptable(s)) {
      if (s.rst()) return this;
      sendAck(now);
      return onUnacceptable(now);
    }
    tcb.arrived(s); // RFC 7323 §4.3: TS.Recent
    // Second: RST. RFC 5961 §3.2: reset only on exactly RCV.NXT; elsewhere in the window the
    // RST may be forged, so answer with a challenge ACK and let a real peer resend it.
    if (s.rst()) {
      if (s.seq() == tcb.rcvNxt) return onReset(now);
      sendAck(now);
      return this;
    }
    // Fourth: SYN in a synchronized state. RFC 5961 §4.2: challenge ACK, drop.
    if (s.syn()) {
      sendAck(now);
      return this;
    }
    // Fifth: ACK. A segment without it is dropped.
    if (!s.ackFlag()) return this;
    if (Seq.gt(s.ack(), tcb.sndMax)) { // acknowledges something not yet sent
      sendAck(now);
      return this;
    }
    if (Seq.lt(s.ack(), Seq.add(tcb.sndUna, -MAX_SND_WND))) { // RFC 5961 §5.2: too old
      sendAck(now);
      return this;
    }
    TcpEndpoint afterAck = onAck(s, now);
    if (!(afterAck instanceof Synchronized next)) return afterAck; // dropped, or CLOSED
    // Seventh: segment text. Eighth: FIN.
    next.receiveText(s, now);
    TcpEndpoint afterFin = next.receiveFin(s, now);
    if (afterFin instanceof Synchronized last) last.output(now);
    return afterFin;
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

  /**
   * Seventh: deliver in-order text to the application and owe an ACK; hold text beyond RCV.NXT
   * for reassembly; text already received is only re-acknowledged.
   */
  private void receiveText(Segment s, long now) {
    if (s.len() == 0 || !acceptsText()) return;
    int start = s.seq();
    int end = Seq.add(start, s.len());
    tcb.ackPending = true;
    if (Seq.leq(end, tcb.rcvNxt)) return; // a duplicate
    int windowEnd = Seq.add(tcb.rcvNxt, tcb.rcvWnd);
    if (Seq.gt(end, windowEnd)) end = windowEnd; // RFC 9293 §3.10.7.4: trim to the window
    if (Seq.gt(start, tcb.rcvNxt)) {
      tcb.holdOutOfOrder(start, end);
      return;
    }
    long gained = Seq.diff(end, tcb.rcvNxt);
    tcb.rcvNxt = end;
    gained += tcb.drainOutOfOrder();
    tcb.received += gained;
    applicationRead(now);
  }

  /** Eighth: a FIN counts only when everything before it has been received. */
  private TcpEndpoint receiveFin(Segment s, long now) {
    if (!s.fin() || Seq.add(s.seq(), s.len()) != tcb.rcvNxt) return this;
    tcb.rcvNxt = Seq.add(tcb.rcvNxt, 1);
    tcb.ackPending = true;
    return onFin(now);
  }

  /** RFC 6298 §5.4–5.6: retransmit the earliest unacknowledged segment, or give up. */
  @Override
  protected TcpEndpoint onRetransmitTimeout(long now) {
    if (tcb.sndUna == tcb.sndMax) return this; // nothing outstanding
    if (tcb.retries >= tcb.params.dataRetries()) return end(Outcome.DATA_TIMEOUT, now);
    tcb.retries++;
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

  void output(long now) {
    output(now, Integer.MAX_VALUE);
  }

  @Override
  protected void flushWrites(long now) {
    if (Seq.diff(tcb.dataEnd(), tcb.sndNxt) > 0) output(now);
  }

  /**
   * Send what the window allows: written data from SND.NXT in MSS-sized segments, then the FIN
   * once the application has closed and all data is out; if nothing went out but an ACK is
   * owed, a pure ACK. Segments below the highest sequence sent are retransmissions.
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
    if (sent == 0 && tcb.ackPending) sendAck(now);
    tcb.ackPending = false;
    if (sent > 0) armRetransmitTimer(now);
  }

  private void sendFromSndNxt(long now, int flags, int len) {
    int seq = tcb.sndNxt;
    boolean retransmit = Seq.lt(seq, tcb.sndMax);
    tcb.emit(now, flags, seq, tcb.rcvNxt, len, retransmit);
    tcb.sndNxt = Seq.add(seq, len + ((flags & Flags.FIN) != 0 ? 1 : 0));
    tcb.sndMax = Seq.max(tcb.sndMax, tcb.sndNxt);
    if (!retransmit) startRttTiming(seq, now);
  }
}
