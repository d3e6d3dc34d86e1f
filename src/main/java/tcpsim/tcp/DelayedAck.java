package tcpsim.tcp;

/**
 * Linux's delayed and quick ACKs (docs/linux-profile.md §2), the receiver's half of {@code
 * profile: linux}: whether the ACK a segment earns goes out at once or waits for the delayed-ACK
 * timer (or for a reply to carry it). One per connection under Linux rules ({@link Tcb#delAck});
 * the RFC profile has none and ACKs every segment at once.
 *
 * <p>The names are the kernel's ({@code icsk_ack.quick}, {@code ato}, {@code pingpong},
 * {@code lrcvtime}, {@code rcv_mss}, {@code tp->rcv_wup}, the {@code ICSK_ACK_*} bits), so each
 * rule can be checked against its source: {@code tcp_event_data_recv}, {@code
 * tcp_measure_rcv_mss}, {@code tcp_incr_quickack}, {@code __tcp_ack_snd_check} and {@code
 * tcp_fin} in net/ipv4/tcp_input.c; {@code tcp_send_delayed_ack}, {@code tcp_event_ack_sent} and
 * {@code tcp_event_data_sent} in tcp_output.c; {@code tcp_delack_timer_handler} in tcp_timer.c;
 * {@code __tcp_cleanup_rbuf} in tcp.c; {@code tcp_dec_quickack_mode} in include/net/tcp.h. The
 * deadline of the timer is {@link Tcb#delAckAt}; "an ACK is scheduled" ({@code ICSK_ACK_SCHED})
 * is {@link Tcb#ackPending}.
 */
final class DelayedAck {
  static final long MS = TcpParams.MS;
  /** TCP_ATO_MIN: the first and the reset ACK timeout (HZ/25). */
  static final long ATO_MIN = 40 * MS;
  /** TCP_DELACK_MIN: a timeout up to this is taken as it is. */
  static final long DELACK_MIN = 40 * MS;
  /** TCP_DELACK_MAX: the longest delay (icsk_delack_max). */
  static final long DELACK_MAX = 200 * MS;
  /** HZ/2: the longest delay outside ping-pong mode, before the other caps. */
  static final long DELACK_CAP = 500 * MS;
  /** One jiffy at HZ = 1000 (docs/linux-profile.md §10): the soonest a timer can fire. */
  static final long JIFFY = 1 * MS;
  /** TCP_MAX_QUICKACKS: the quick-ACK budget. */
  static final int MAX_QUICKACKS = 16;
  /** TCP_MSS_DEFAULT: the first guess of the peer's MSS. */
  static final int MSS_DEFAULT = 536;
  /** TCP_MIN_MSS. */
  static final int MIN_MSS = 88;
  /** TCP_REMNANT: a segment with one of these may be short, so it says nothing about the MSS. */
  private static final int REMNANT = Flags.FIN | Flags.SYN | Flags.PSH;

  private final int pingpongThresh;
  /** Our own MSS (advmss): the largest receive-MSS estimate. */
  private final int advmss;

  /** Quick ACKs left (icsk_ack.quick): while positive, and not in ping-pong mode, ACK at once. */
  int quick;
  /** The ACK timeout (icsk_ack.ato), ns; 0 until the first data segment arrives. */
  long ato;
  /** Replies counted toward ping-pong mode (icsk_ack.pingpong). */
  int pingpong;
  /** When the last data segment arrived (icsk_ack.lrcvtime). */
  long lrcvtime;
  /** Estimate of the peer's MSS (icsk_ack.rcv_mss). */
  int rcvMss;
  /** Length of the last mid-sized segment without PSH (icsk_ack.last_seg_size). */
  int lastSegSize;
  /** RCV.NXT when we last sent a segment (tp->rcv_wup): what the peer knows we have. */
  int rcvWup;
  /** ICSK_ACK_PUSHED / PUSHED2: one or two small pushed segments since the last ACK. */
  boolean pushed;
  boolean pushed2;
  /** ICSK_ACK_NOW: the next ACK check sends at once (the out-of-order queue just drained). */
  boolean ackNow;
  /** Bytes of {@link Tcb#received} the application has taken from the receive queue. */
  long copied;

  DelayedAck(TcpParams params) {
    this.pingpongThresh = params.linuxKnobs().pingpongThresh();
    this.advmss = params.mss();
    // tcp_initialize_rcv_mss: a guess no larger than 536 bytes or half the window
    this.rcvMss = Math.max(MIN_MSS,
        Math.min(Math.min(advmss, params.rcvWindow() / 2), MSS_DEFAULT));
  }

  /** The connection entered ESTABLISHED at {@code now} (tcp_finish_connect, tcp_create_openreq_child). */
  void established(Tcb tcb, long now) {
    rcvWup = tcb.rcvNxt;
    lrcvtime = now;
  }

  boolean inPingpong() {
    return pingpong >= pingpongThresh;
  }

  // ------------------------------------------------------------------ receiving

  /**
   * In-order data arrived (tcp_event_data_recv): an ACK is owed; the first data segment sets the
   * quick-ACK budget and ato = 40 ms; later ones adapt ato to the gap since the previous one,
   * and a gap longer than the RTO refills the budget.
   */
  void dataReceived(Tcb tcb, Segment s, long now) {
    tcb.ackPending = true;
    measureRcvMss(s);
    if (ato == 0) {
      incrQuick(tcb, MAX_QUICKACKS);
      ato = ATO_MIN;
    } else {
      long m = now - lrcvtime;
      long rto = tcb.rto.rto();
      if (m <= ATO_MIN / 2) {
        ato = ato / 2 + ATO_MIN / 2;
      } else if (m < ato) {
        ato = Math.min(ato / 2 + m, Math.min(rto, DELACK_MAX));
      } else if (m > rto) {
        incrQuick(tcb, MAX_QUICKACKS); // the sender was idle: ACK quickly again
      }
    }
    lrcvtime = now;
  }

  /**
   * tcp_measure_rcv_mss: a segment at least as long as the estimate raises it (to at most our
   * own MSS); two equal mid-sized segments without PSH set it; short or pushed segments mark
   * PUSHED (and PUSHED2 at the second). A full-sized pushed segment also marks PUSHED: it likely
   * ends a write (Linux 6.6, 4720852ed9af). Segments carry no options here, so the header
   * lengths the kernel adds and subtracts cancel out.
   */
  private void measureRcvMss(Segment s) {
    int lss = lastSegSize;
    lastSegSize = 0;
    int len = s.len();
    boolean psh = (s.flags() & Flags.PSH) != 0;
    if (len >= rcvMss) {
      rcvMss = Math.min(len, advmss);
      if (psh) pushed = true;
      return;
    }
    if (len >= MSS_DEFAULT || (len >= MIN_MSS && (s.flags() & REMNANT) == 0)) {
      lastSegSize = len;
      if (len == lss) {
        rcvMss = len;
        return;
      }
    }
    if (pushed) pushed2 = true;
    pushed = true;
  }

  /** tcp_incr_quickack: raise the budget to min(rcv_wnd / (2·rcv_mss), max), 2 if that is 0. */
  private void incrQuick(Tcb tcb, int max) {
    int q = tcb.rcvWnd / (2 * rcvMss);
    if (q == 0) q = 2;
    q = Math.min(q, max);
    if (q > quick) quick = q;
  }

  /**
   * tcp_enter_quickack_mode: duplicate or out-of-window data means the peer missed an ACK, so
   * ACK at once again: refill the budget, leave ping-pong mode, ato back to 40 ms.
   */
  void enterQuickAckMode(Tcb tcb) {
    incrQuick(tcb, MAX_QUICKACKS);
    pingpong = 0;
    ato = ATO_MIN;
  }

  /** inet_csk_enter_pingpong_mode: a FIN received in ESTABLISHED (tcp_fin). */
  void enterPingpong() {
    pingpong = pingpongThresh;
  }

  /**
   * __tcp_ack_snd_check: the owed ACK goes now if more than one receive-MSS is unacknowledged
   * ("every second full-sized segment"; the window condition holds since the receiver reads at
   * once), in quick-ACK mode, when demanded, or while data is held out of order (no SACK, so
   * every such segment is answered).
   */
  boolean ackNow(Tcb tcb) {
    return Seq.diff(tcb.rcvNxt, rcvWup) > rcvMss
        || (quick > 0 && !inPingpong())
        || ackNow
        || tcb.oooCount > 0;
  }

  /**
   * tcp_send_delayed_ack: arm the timer at ato, capped (when ato > 40 ms) at 500 ms — 200 ms in
   * ping-pong mode or after a pushed segment — and at the smoothed RTT (at least 40 ms), and
   * always at 200 ms. An earlier deadline already armed is kept. Returns true when that deadline
   * is within ato/4: then the ACK goes now instead.
   *
   * <p>Before the first data segment ato is still 0 (a FIN arriving first): the kernel arms the
   * timer for the current jiffy, so it fires at the next tick — one jiffy here. An application
   * answering at once with its own FIN still carries the ACK.
   */
  boolean armTimer(Tcb tcb, long now) {
    long delay = ato;
    if (delay > DELACK_MIN) {
      long max = inPingpong() || pushed ? DELACK_MAX : DELACK_CAP;
      if (tcb.rto.hasSample()) max = Math.min(max, Math.max(tcb.rto.srtt(), DELACK_MIN));
      delay = Math.min(delay, max);
    }
    delay = Math.max(Math.min(delay, DELACK_MAX), JIFFY);
    long deadline = now + delay;
    if (tcb.delAckAt != Tcb.NEVER_TIME) {
      if (tcb.delAckAt <= now + delay / 4) return true;
      deadline = Math.min(deadline, tcb.delAckAt);
    }
    tcb.delAckAt = deadline;
    return false;
  }

  /**
   * tcp_delack_timer_handler, before it sends the ACK: a timeout outside ping-pong mode means the
   * ACK was awaited too long, so ato doubles (up to the RTO); in ping-pong mode the reply did not
   * come, so the connection leaves ping-pong mode and ato is back to 40 ms.
   */
  void timerExpired(Tcb tcb) {
    if (!inPingpong()) {
      ato = Math.min(2 * ato, tcb.rto.rto());
    } else {
      pingpong = 0;
      ato = ATO_MIN;
    }
  }

  /**
   * __tcp_cleanup_rbuf, after the application took {@code copiedNow} bytes and emptied the
   * receive queue: an owed ACK goes now if more than one receive-MSS is unacknowledged, or if
   * two small pushed segments arrived since the last ACK (one, outside ping-pong mode). A read
   * of end of file copies nothing and sends nothing.
   */
  boolean ackAfterRead(Tcb tcb, long copiedNow) {
    if (!tcb.ackPending) return false;
    return Seq.diff(tcb.rcvNxt, rcvWup) > rcvMss
        || (copiedNow > 0 && copied == tcb.received && (pushed2 || (pushed && !inPingpong())));
  }

  // ------------------------------------------------------------------ sending

  /**
   * tcp_event_ack_sent, for every segment carrying ACK (a pure ACK, data, a FIN): a scheduled
   * ACK counts against the quick budget (tcp_dec_quickack_mode; at 0, ato is back to 40 ms);
   * the timer and the ICSK_ACK bits are cleared; RCV.WUP moves to RCV.NXT (tcp_select_window).
   */
  void ackSent(Tcb tcb) {
    if (quick > 0 && tcb.ackPending) {
      if (--quick == 0) ato = ATO_MIN;
    }
    tcb.ackPending = false;
    tcb.delAckAt = Tcb.NEVER_TIME;
    pushed = false;
    pushed2 = false;
    ackNow = false;
    rcvWup = tcb.rcvNxt;
  }

  /**
   * tcp_event_data_sent: data sent within ato of the last data received is a reply; at
   * tcp_pingpong_thresh replies the connection is interactive (ping-pong mode) and stops quick
   * ACKs.
   */
  void dataSent(long now) {
    if (now - lrcvtime < ato && pingpong < 255) pingpong++;
  }
}
