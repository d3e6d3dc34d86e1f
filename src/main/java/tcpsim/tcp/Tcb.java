package tcpsim.tcp;

import tcpsim.report.TraceEvent;

/**
 * Transmission control block (RFC 9293 §3.3.1): the variables of one connection, shared by the
 * state behaviours that take turns owning it. Plain fields, no collections: a simulation holds
 * millions of these.
 */
public final class Tcb {
  public static final long NEVER_TIME = Long.MAX_VALUE;
  /** A time that never was: no event of that kind has happened yet. */
  static final long NO_TIME = Long.MIN_VALUE;

  // --- who we are (fixed for the connection's life) ---
  public final int conn;
  public final boolean client;
  public final long origin;
  public final int localHost;
  public final int localPort;
  public final int remoteHost;
  public final int remotePort;
  public final TcpParams params;
  /** The host actor's handle of this endpoint, echoed in every answer. */
  public int slot;
  public final AppScript app;
  /** Whether this endpoint came from a passive OPEN (a listener): decides RST in SYN-RECEIVED. */
  public boolean passiveOpen;

  // --- send sequence space (RFC 9293 §3.3.1, Figure 4) ---
  public int iss;
  public int sndUna;
  public int sndNxt;
  /** Highest sequence number sent so far, plus one: sndNxt may fall back to sndUna on a timeout. */
  public int sndMax;
  public int sndWnd;
  public int sndWl1;
  public int sndWl2;
  /** Bytes the application has written in total. */
  public long written;
  /** The application has closed: a FIN follows the written data. */
  public boolean finQueued;
  /**
   * The most payload one segment may carry (RFC 9293 §3.7.1, the effective send MSS): the
   * host's {@code mss}, unless the connection was made from a SYN cookie, which can only carry
   * one of four MSS values and rounds it down (see {@link SynCookie#MSS_TABLE}). Under {@code
   * profile: linux} the smaller of the two SYNs' MSS options, less the 12 timestamp bytes when
   * timestamps are on (1448; docs/linux-profile.md §1.3).
   */
  public int sendMss;

  // --- receive sequence space (RFC 9293 §3.3.1, Figure 5) ---
  public int irs;
  public int rcvNxt;
  public final int rcvWnd;
  /** Bytes delivered in order to the application. */
  public long received;
  /** Out-of-order data held for reassembly, as [start, end) sequence ranges. */
  int[] oooStart;
  int[] oooEnd;
  int oooCount;
  /** An ACK is owed to the peer: sent alone, or on the next data segment. */
  public boolean ackPending;
  /**
   * Linux's delayed-ACK state ({@code profile: linux}, docs/linux-profile.md §2); null under the
   * RFC profile, which ACKs every segment at once.
   */
  final DelayedAck delAck;

  // --- retransmission (RFC 6298) ---
  public final RtoEstimator rto;
  public long retransmitAt = NEVER_TIME;
  public int retries;
  /** The segment being timed for an RTT sample (Karn: only one never retransmitted). */
  boolean rttTiming;
  int rttSeq;
  long rttSentAt;
  boolean synRetransmitted;
  /**
   * When the earliest unacknowledged data or FIN was first retransmitted, or {@link #NO_TIME}:
   * under {@code profile: linux} the retransmission limit is a time budget counted from here
   * (tcp_retransmit_skb's {@code retrans_stamp}).
   */
  long firstRetransmitAt = NO_TIME;
  /**
   * When the last ACK answering an invalid segment (out of window, or a challenge ACK) went out,
   * or {@link #NO_TIME}: Linux sends at most one per tcp_invalid_ratelimit ({@code
   * last_oow_ack_time}, {@code tw_last_oow_ack_time}).
   */
  long lastInvalidAckAt = NO_TIME;

  // --- other timers ---
  /**
   * The current state's own timer: TIME-WAIT's 2×MSL (60 s under {@code profile: linux}), or the
   * life of an orphaned FIN-WAIT-2 (tcp_fin_timeout).
   */
  public long stateTimerAt = NEVER_TIME;
  /** Linux's delayed-ACK timer ({@link DelayedAck}): the owed ACK goes out alone then. */
  public long delAckAt = NEVER_TIME;
  /** The application's next action. */
  public long appAt = NEVER_TIME;
  public AppAction appAction = AppAction.NONE;
  /** The application's next step ({@link AppScript#steps}). */
  int appStep;
  /** Bytes the application's reads have consumed (of {@link #received}). */
  long readMark;
  /** The peer's FIN has been read: a read returns end of file. */
  boolean endOfFile;
  /**
   * The application called close(), not shutdown(): it reads no more. Under {@code profile:
   * linux} data arriving afterwards is answered with an RST.
   */
  public boolean fullyClosed;

  // --- TCP options under profile: linux (docs/linux-profile.md §1); null under rfc ---
  final OptionState opts;

  // --- accounting ---
  public long openedAt = -1;
  public long establishedAt = -1;
  public int emitIndex;
  /** Where this window's emissions go; set by the endpoint for the length of one window. */
  public Outbox out;

  /**
   * What happens when {@link #appAt} comes: the application connects, resumes its script
   * (after a pause, or to make a call), or calls close regardless of its script.
   */
  public enum AppAction { NONE, CONNECT, RESUME, CLOSE }

  public Tcb(int conn, boolean client, long origin, int localHost, int localPort, int remoteHost,
      int remotePort, TcpParams params, AppScript app) {
    this.conn = conn;
    this.client = client;
    this.origin = origin;
    this.localHost = localHost;
    this.localPort = localPort;
    this.remoteHost = remoteHost;
    this.remotePort = remotePort;
    this.params = params;
    this.app = app;
    this.rcvWnd = params.rcvWindow();
    this.sendMss = params.mss();
    this.rto = new RtoEstimator(params);
    this.delAck = params.isLinux() ? new DelayedAck(params) : null;
    this.opts = params.isLinux() ? new OptionState(params) : null;
  }

  /**
   * The timestamp offset of this connection from the number {@code drawn} for it from its seeded
   * stream (Linux: secure_tcp_ts_off, random per connection; 0 with tcp_timestamps = 2).
   */
  public void setTsOffset(int drawn) {
    if (opts != null) opts.tsOffset = OptionState.tsOffset(params, drawn);
  }

  /** The options this connection's segment {@code s} negotiates, as its peer's SYN (§1.2). */
  void peerSyn(Segment s, boolean synAckSide) {
    if (opts != null) opts.peerSyn(this, s.options(), synAckSide);
  }

  /** An acceptable segment arrived: RFC 7323 §4.3's TS.Recent may take its TSval. */
  void arrived(Segment s) {
    if (opts != null) opts.arrived(s);
  }

  /**
   * Segment {@code s} acknowledged new data up to {@code ack} (SND.UNA moves there): take an RTT
   * sample if one is due — RFC 6298 with Karn's rule, from the one segment being timed if {@code
   * ack} covers it. Under {@code profile: linux} Linux's estimator takes it ({@link
   * RtoEstimator#sampleLinux}), and with timestamps an ACK that covers no timed segment — after a
   * retransmitted SYN or data, too — gives a sample from its TSecr (tcp_ack_update_rtt,
   * docs/linux-profile.md §1.4, §3).
   */
  void rttSample(Segment s, int ack, long now) {
    if (rttTiming && Seq.gt(ack, rttSeq)) {
      rttTiming = false;
      if (opts == null) rto.sample(now - rttSentAt);
      else rto.sampleLinux(now - rttSentAt, ack, sndNxt);
      return;
    }
    long r = opts == null ? -1 : opts.rttFromTsEcr(s, now);
    if (r > 0) rto.sampleLinux(r, ack, sndNxt);
  }

  /** The send window {@code s} offers, in bytes: its field scaled as negotiated (RFC 7323 §2.3). */
  int peerWindow(Segment s) {
    return opts == null ? s.window() : opts.peerWindow(s);
  }

  public long nextTimer() {
    return Math.min(Math.min(retransmitAt, delAckAt), Math.min(stateTimerAt, appAt));
  }

  /** Sequence number just past the data the application has written. */
  int dataEnd() {
    return Seq.add(iss, 1 + written);
  }

  /** Sequence number the FIN occupies (valid once the application has closed). */
  int finSeq() {
    return dataEnd();
  }

  boolean finSent() {
    return finQueued && Seq.gt(sndMax, finSeq());
  }

  boolean finAcked() {
    return finQueued && Seq.gt(sndUna, finSeq());
  }

  /**
   * RFC 9293 §3.10.7.4, first check: the four cases of segment acceptability against the
   * receive window.
   */
  boolean acceptable(Segment s) {
    int segLen = s.segLen();
    int wndEnd = Seq.add(rcvNxt, rcvWnd);
    if (segLen == 0) {
      return rcvWnd == 0 ? s.seq() == rcvNxt : Seq.inWindow(s.seq(), rcvNxt, wndEnd);
    }
    if (rcvWnd == 0) return false;
    return Seq.inWindow(s.seq(), rcvNxt, wndEnd)
        || Seq.inWindow(Seq.add(s.seq(), segLen - 1), rcvNxt, wndEnd);
  }

  /** Put a segment on the wire from this endpoint and trace it. */
  void emit(long now, int flags, int seq, int ack, int len, boolean retransmit) {
    int window = (flags & Flags.ACK) != 0 || (flags & Flags.SYN) != 0 ? rcvWnd : 0;
    TcpOptions options = null;
    if (opts != null) { // profile: linux: Linux's windows and options (§1.3, §1.4)
      window = opts.window(this, flags);
      options = opts.options(now, flags);
      opts.sent(flags, ack);
    }
    emitTo(out, now, origin, emitIndex++, localHost, localPort, remoteHost, remotePort, conn,
        flags, seq, ack, window, len, retransmit, options);
  }

  /** Put a segment on the wire and trace its sending; shared by endpoints and listeners. */
  public static Segment emitTo(Outbox out, long now, long origin, int index, int srcHost,
      int srcPort, int dstHost, int dstPort, int conn, int flags, int seq, int ack, int window,
      int len, boolean retransmit) {
    return emitTo(out, now, origin, index, srcHost, srcPort, dstHost, dstPort, conn, flags, seq,
        ack, window, len, retransmit, null);
  }

  /** {@link #emitTo} for a segment with TCP {@code options} (null: none). */
  public static Segment emitTo(Outbox out, long now, long origin, int index, int srcHost,
      int srcPort, int dstHost, int dstPort, int conn, int flags, int seq, int ack, int window,
      int len, boolean retransmit, TcpOptions options) {
    Segment s = new Segment(srcHost, srcPort, dstHost, dstPort, seq, ack, flags, window, len,
        retransmit, conn, origin, index, now, options);
    out.segments.add(s);
    out.trace.add(TraceEvent.segment(TraceEvent.Kind.SEND, now, origin, index, 0, s, null));
    return s;
  }

  void traceRecv(long now, Segment s) {
    out.trace.add(TraceEvent.segment(TraceEvent.Kind.RECV, now, origin, emitIndex++, 0, s, null));
  }

  void traceState(long now, TcpState from, TcpState to) {
    out.trace.add(TraceEvent.state(now, origin, emitIndex++, conn, localHost, localPort,
        remoteHost, remotePort, from, to));
  }

  void result(Outcome outcome, long now) {
    out.results.add(new EndpointResult(conn, client, outcome, openedAt, establishedAt, now));
  }

  // --- out-of-order reassembly (RFC 9293 §3.10.7.4, seventh: segments beyond RCV.NXT may be
  // held; we hold them so a single loss does not force the peer to resend the whole window) ---

  void holdOutOfOrder(int start, int end) {
    if (oooStart == null) {
      oooStart = new int[4];
      oooEnd = new int[4];
    }
    for (int i = 0; i < oooCount; i++) {
      if (Seq.leq(start, oooEnd[i]) && Seq.leq(oooStart[i], end)) { // overlaps or touches
        oooStart[i] = Seq.lt(start, oooStart[i]) ? start : oooStart[i];
        oooEnd[i] = Seq.max(end, oooEnd[i]);
        return;
      }
    }
    if (oooCount == oooStart.length) {
      oooStart = java.util.Arrays.copyOf(oooStart, oooCount * 2);
      oooEnd = java.util.Arrays.copyOf(oooEnd, oooCount * 2);
    }
    oooStart[oooCount] = start;
    oooEnd[oooCount] = end;
    oooCount++;
  }

  /** Move RCV.NXT over held ranges that have become contiguous; returns the bytes gained. */
  long drainOutOfOrder() {
    long gained = 0;
    boolean progress = true;
    while (progress && oooCount > 0) {
      progress = false;
      for (int i = 0; i < oooCount; i++) {
        if (Seq.leq(oooStart[i], rcvNxt)) {
          if (Seq.gt(oooEnd[i], rcvNxt)) {
            gained += Seq.diff(oooEnd[i], rcvNxt);
            rcvNxt = oooEnd[i];
          }
          oooCount--;
          oooStart[i] = oooStart[oooCount];
          oooEnd[i] = oooEnd[oooCount];
          progress = true;
          break;
        }
      }
    }
    return gained;
  }
}
