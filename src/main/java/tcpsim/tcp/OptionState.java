package tcpsim.tcp;

/**
 * The TCP options of one connection under {@code profile: linux} (docs/linux-profile.md §1):
 * what its SYNs offered and negotiated (MSS, SACK-permitted, timestamps, window scale), the
 * timestamp state of RFC 7323 §4.3 (TS.Recent, Last.ACK.sent), and the receive window's right
 * edge that Linux never moves left. The static methods are the rules themselves, shared with the
 * listener, whose half-open requests have no TCB.
 *
 * <p>{@code profile: rfc} has none of this: its segments carry no options and a fixed unscaled
 * window ({@link Tcb#opts} is null).
 */
final class OptionState {
  /** RFC 9293 §3.7.1, Linux TCP_MSS_DEFAULT: the send MSS when the peer's SYN had no MSS option. */
  static final int DEFAULT_MSS = 536;
  /** net.core.rmem_max's default; it takes part in choosing the window scale (§1.3). */
  static final int NET_CORE_RMEM_MAX = 212992;
  /** RFC 7323 §2.3: a shift above 14 is used as 14 (TCP_MAX_WSCALE). */
  static final int MAX_WSCALE = 14;
  static final int MAX_FIELD = 65535;

  private final TcpParams params;
  private final LinuxKnobs knobs;

  /** Added to the millisecond clock to make TSval (0 with tcp_timestamps = 2). */
  int tsOffset;
  /** Whether the peer's SYN (or SYN,ACK) has arrived and the options below are negotiated. */
  boolean negotiated;
  /** The options of the peer's SYN (or SYN,ACK), null if it had none: a SYN,ACK answers them. */
  TcpOptions peer;
  /** Both SYNs carried timestamps: every segment carries them from now on (§1.4). */
  boolean ts;
  /** Both SYNs carried SACK-permitted (no SACK blocks are sent yet). */
  boolean sack;
  /** Snd.Wind.Shift: the peer's window fields are scaled by this (RFC 7323 §2.3). */
  int sndShift;
  /** Rcv.Wind.Shift: ours are. */
  int rcvShift;
  /** TS.Recent (RFC 7323 §4.3): echoed as TSecr. */
  int tsRecent;
  /** Last.ACK.sent (RFC 7323 §4.3; Linux's rcv_wup): the RCV.NXT we last advertised. */
  int lastAckSent;
  /** The window our SYN or SYN,ACK offered, in bytes (unscaled, before the 65535 cap). */
  int initialWindow;
  /** The window a drained receive queue offers after the handshake (64128 by default). */
  int freshWindow;
  /** The right edge of the last window we offered: it never moves left (§1.3). */
  int rcvRight;

  OptionState(TcpParams params) {
    this.params = params;
    this.knobs = params.linuxKnobs();
  }

  // ---------------------------------------------------------------- the rules (§1.1–§1.3)

  /** The TS clock without offset: milliseconds of virtual time, mod 2^32 (§1.4). */
  static int tsClock(long now) {
    return (int) (now / TcpParams.MS);
  }

  /** The offset a connection adds to its TS clock, from the number drawn for it (§1.4). */
  static int tsOffset(TcpParams p, int drawn) {
    return p.linuxKnobs().timestamps() == 2 ? 0 : drawn;
  }

  /**
   * tcp_full_space(): tcp_rmem[1] times the default scaling ratio ½ (TCP_DEFAULT_SCALING_RATIO).
   */
  static int fullSpace(TcpParams p) {
    return p.linuxKnobs().rmemDefault() / 2;
  }

  /**
   * The window scale we offer (tcp_select_initial_window): ilog2 of the largest receive buffer,
   * minus 15, clamped to 0..14 — 7 with the default tcp_rmem[2] of 6 MiB.
   */
  static int windowScale(TcpParams p) {
    int space = Math.max(fullSpace(p), Math.max(p.linuxKnobs().rmemMax(), NET_CORE_RMEM_MAX));
    int ilog2 = 31 - Integer.numberOfLeadingZeros(space);
    return Math.max(0, Math.min(MAX_WSCALE, ilog2 - 15));
  }

  /**
   * The initial receive window (tcp_select_initial_window): the full space, clamped to the host's
   * {@code rcvWindow} (the window clamp: tcpsim's receiver accepts no more, so windows beyond 64
   * KiB — a raised tcp_rmem, autotuning — are not modelled), rounded down to a multiple of {@code
   * mss}, at most what a field scaled by {@code shift} can say.
   */
  static int initialWindow(TcpParams p, int mss, int shift) {
    int space = Math.min(fullSpace(p), p.rcvWindow());
    if (space > mss) space = space / mss * mss;
    return Math.min(space, MAX_FIELD << shift);
  }

  /**
   * The options of our SYN (tcp_syn_options, §1.1): MSS always (the host's own, not reduced by
   * the timestamp bytes), then SACK-permitted, timestamps, window scale, each if its sysctl is
   * on.
   */
  static TcpOptions synOptions(TcpParams p, int tsVal) {
    LinuxKnobs k = p.linuxKnobs();
    return TcpOptions.of(p.mss(), k.sack(), k.timestamps() != 0, tsVal, 0,
        k.windowScaling() ? windowScale(p) : TcpOptions.NO_WSCALE);
  }

  /**
   * The options of a SYN,ACK answering a SYN with {@code syn} (tcp_synack_options, §1.2): our MSS
   * always; SACK-permitted, timestamps and window scale only if the SYN had them and our sysctl
   * allows them (tcp_parse_options); TSecr = {@code tsEcr}, the SYN's TSval.
   */
  static TcpOptions synAckOptions(TcpParams p, TcpOptions syn, int tsVal, int tsEcr) {
    return TcpOptions.of(p.mss(), sackOk(p, syn), timestampsOk(p, syn), tsVal, tsEcr,
        windowScaleOk(p, syn) ? windowScale(p) : TcpOptions.NO_WSCALE);
  }

  /**
   * The window of a SYN,ACK answering {@code syn} (tcp_openreq_init_rwin, §1.3), in bytes: sized
   * by an MSS less the timestamp bytes when the SYN had timestamps, so 65160 with them and 64240
   * without. The field is never scaled (RFC 7323 §2.2).
   */
  static int synAckWindow(TcpParams p, TcpOptions syn) {
    int mss = p.mss() - (timestampsOk(p, syn) ? TcpOptions.TIMESTAMP_BYTES : 0);
    return initialWindow(p, mss, windowScaleOk(p, syn) ? windowScale(p) : 0);
  }

  static boolean timestampsOk(TcpParams p, TcpOptions peer) {
    return peer != null && peer.hasTimestamps() && p.linuxKnobs().timestamps() != 0;
  }

  static boolean sackOk(TcpParams p, TcpOptions peer) {
    return peer != null && peer.sackPermitted() && p.linuxKnobs().sack();
  }

  static boolean windowScaleOk(TcpParams p, TcpOptions peer) {
    return peer != null && peer.hasWscale() && p.linuxKnobs().windowScaling();
  }

  // ---------------------------------------------------------------- one connection

  /**
   * The peer's SYN (passive side, {@code synAckSide}) or SYN,ACK (active side) arrived with
   * {@code peer}: fix what the connection uses (tcp_openreq_init / tcp_rcv_synsent_state_process)
   * — timestamps and TS.Recent, SACK, both window shifts, the send MSS (the peer's MSS option, or
   * 536 without one, less 12 with timestamps: 1448, tcp_sync_mss), the initial window and its
   * right edge. {@code tcb.irs} and {@code tcb.rcvNxt} must be set.
   */
  void peerSyn(Tcb tcb, TcpOptions peer, boolean synAckSide) {
    negotiated = true;
    this.peer = peer;
    ts = timestampsOk(params, peer);
    sack = sackOk(params, peer);
    boolean ws = windowScaleOk(params, peer);
    sndShift = ws ? Math.min(peer.wscale(), MAX_WSCALE) : 0;
    rcvShift = ws ? windowScale(params) : 0;
    if (ts) tsRecent = peer.tsVal();
    int peerMss = peer != null && peer.hasMss() ? peer.mss() : DEFAULT_MSS;
    int tsBytes = ts ? TcpOptions.TIMESTAMP_BYTES : 0;
    tcb.sendMss = Math.min(params.mss(), peerMss) - tsBytes;
    // Our SYN was sized with the full MSS (tcp_connect_init); a SYN,ACK with the MSS less the
    // timestamp bytes when the SYN had them (tcp_openreq_init_rwin).
    initialWindow = initialWindow(params, params.mss() - (synAckSide ? tsBytes : 0), rcvShift);
    // tcp_init_buffer_space: the window clamp is the full space less one advertised MSS (but at
    // least two), and windows are multiples of 2^Rcv.Wind.Shift (64088 -> 64128).
    int space = fullSpace(params);
    int advmss = params.mss() - tsBytes;
    int clamp = space > 2 * advmss ? Math.max(2 * advmss, space - advmss) : space;
    freshWindow = Math.min(alignUp(Math.min(initialWindow, clamp), rcvShift),
        MAX_FIELD << rcvShift);
    rcvRight = Seq.add(tcb.irs, 1 + initialWindow);
    lastAckSent = tcb.rcvNxt;
  }

  /** TSval now: the millisecond clock plus this connection's offset, mod 2^32. */
  int tsVal(long now) {
    return tsClock(now) + tsOffset;
  }

  /**
   * The window field of a segment we send with {@code flags}. SYNs say the initial window,
   * unscaled and at most 65535. After the handshake (§1.3, "Rule for tcpsim", the receive queue
   * taken as drained): W = max(fresh window, what is still open of the last offer rounded up to
   * 2^shift), field W >> shift, and the right edge moves to RCV.NXT + W — never left.
   */
  int window(Tcb tcb, int flags) {
    if ((flags & Flags.SYN) != 0) {
      int w = negotiated ? initialWindow : initialWindow(params, params.mss(), 0);
      return Math.min(w, MAX_FIELD);
    }
    if ((flags & Flags.ACK) == 0) return 0;
    if (!negotiated) return tcb.rcvWnd;
    int open = Math.max(0, Seq.diff(rcvRight, tcb.rcvNxt));
    int w = Math.max(freshWindow, alignUp(open, rcvShift));
    w = Math.min(w, Math.min(MAX_FIELD, tcb.rcvWnd) >>> rcvShift << rcvShift); // the clamp
    rcvRight = Seq.add(tcb.rcvNxt, w);
    return w >>> rcvShift;
  }

  /**
   * The options of a segment we send at {@code now} with {@code flags} (§1.4): a SYN the full set
   * of §1.1, a SYN,ACK that of §1.2; once timestamps are negotiated every other segment the
   * timestamp option (TSval now, TSecr = TS.Recent) — except a bare RST, which is the reset of a
   * segment (tcp_v4_send_reset: no options). An RST with ACK is the active reset of a full socket
   * (tcp_send_active_reset), which does carry timestamps.
   */
  TcpOptions options(long now, int flags) {
    if ((flags & Flags.SYN) != 0) {
      if ((flags & Flags.ACK) == 0) return synOptions(params, tsVal(now));
      return synAckOptions(params, peer, tsVal(now), tsRecent);
    }
    if ((flags & Flags.RST) != 0 && (flags & Flags.ACK) == 0) return null;
    return ts ? TcpOptions.timestamps(tsVal(now), tsRecent) : null;
  }

  /** We sent a segment acknowledging {@code ack}: it is now Last.ACK.sent. */
  void sent(int flags, int ack) {
    if ((flags & Flags.ACK) != 0) lastAckSent = ack;
  }

  /**
   * An acceptable segment arrived (RFC 7323 §4.3, Linux tcp_replace_ts_recent): its TSval becomes
   * TS.Recent if it is not older and the segment starts at or before Last.ACK.sent — so a
   * delayed or out-of-order segment does not move it.
   */
  void arrived(Segment s) {
    TcpOptions o = s.options();
    if (!ts || s.rst() || o == null || !o.hasTimestamps()) return;
    if (Seq.leq(s.seq(), lastAckSent) && o.tsVal() - tsRecent >= 0) tsRecent = o.tsVal();
  }

  /**
   * The round-trip time that {@code s}'s TSecr gives at {@code now} (tcp_rtt_tsopt_us): the TS
   * clock less the echoed TSval, at least 1 ms; -1 without timestamps or an echo.
   */
  long rttFromTsEcr(Segment s, long now) {
    TcpOptions o = s.options();
    if (!ts || o == null || !o.hasTimestamps() || o.tsEcr() == 0) return -1;
    int delta = tsVal(now) - o.tsEcr();
    if (delta < 0) return -1;
    return Math.max(1, delta) * TcpParams.MS;
  }

  /** The peer's window field in bytes: SYNs unscaled, everything else shifted (RFC 7323 §2.3). */
  int peerWindow(Segment s) {
    return s.syn() ? s.window() : s.window() << sndShift;
  }

  private static int alignUp(int v, int shift) {
    int unit = 1 << shift;
    return (v + unit - 1) & -unit;
  }
}
