package tcpsim.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongToIntFunction;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;

/**
 * A socket in LISTEN with its SYN backlog and accept queue (RFC 9293 §3.10.7.2).
 *
 * <p>As in a real kernel, a half-open connection (SYN-RECEIVED after a passive open) is a small
 * record owned by the listener, not a full endpoint: a SYN flood fills thousands of them. The
 * full endpoint — an actor — is created only when the handshake's last ACK arrives, and is handed
 * that ACK to finish the handshake in its own SYN-RECEIVED state.
 *
 * <p>With SYN cookies (RFC 4987 §3.6; Linux net/ipv4/syncookies.c) a SYN is answered without
 * even that record: the SYN,ACK's sequence number is a {@link SynCookie} that encodes the 4-tuple,
 * the client's ISN, a coarse time and the MSS, and the ACK that echoes it back is enough to build
 * the connection. {@link TcpParams#synCookies()} decides when, as Linux's tcp_syncookies does.
 *
 * <p>Under {@code profile: linux} the listener follows Linux 6.12 where the RFCs leave the choice
 * open (docs/linux-profile.md §4, §5): the SYN queue holds backlog + 1 requests; a SYN is also
 * dropped while the accept queue is full, and, with cookies off, from a peer not yet proven once
 * three quarters of tcp_max_syn_backlog are taken; a request's timer is a fixed 1 s doubling,
 * and old requests are pruned when the queue is more than half full; a duplicate SYN is
 * answered at most once per tcp_invalid_ratelimit and re-arms the timer.
 */
public final class Listener {
  /** TCP_TIMEOUT_INIT: a request's first SYN,ACK timeout under Linux, whatever the RTO knobs. */
  static final long REQUEST_TIMEOUT = 1 * TcpParams.S;
  /**
   * TCP_METRICS_TIMEOUT: how long Linux's TCP metrics cache remembers a peer's RTT, which is
   * what makes it "proven" for the ¾ rule (tcp_peer_is_proven, net/ipv4/tcp_metrics.c).
   */
  static final long PROVEN_FOR = 3600 * TcpParams.S;
  private static final long NEVER = Long.MIN_VALUE;

  private final int host;
  private final int port;
  private final TcpParams params;
  private final LongToIntFunction issForOrigin;
  private final boolean linux;
  /** Each connection's timestamp offset, by origin (profile: linux; docs/linux-profile.md §1.4). */
  private final LongToIntFunction tsOffsetForOrigin;
  private final HashMap<Long, HalfOpen> halfOpen = new HashMap<>();
  /**
   * Requests whose timer has not fired yet (Linux: the request queue's {@code young}); the
   * pruning rule of {@link #linuxTimer} weighs them against the whole queue.
   */
  private int young;
  /** Linux: peers proven alive (see {@link #proven}), with when they were last proven. */
  private final HashMap<Integer, Long> provenAt = new HashMap<>();
  /**
   * The SYN,ACK timers, one entry per arming: an entry is stale once its half-open entry is gone
   * or was re-armed since ({@link HalfOpen#arm}), and is skipped when it comes up.
   */
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(Timer::compare);
  private final ListenerStats stats;
  private final SynCookie cookies;
  private static final long NO_COOKIE_YET = Long.MIN_VALUE;
  /**
   * When this listener last sent a cookie, or {@link #NO_COOKIE_YET}: ACKs are checked for a
   * cookie only within {@link SynCookie#VALID} of it (Linux keeps this in the listener's
   * ts_recent_stamp: tcp_synq_overflow / tcp_synq_no_recent_overflow). Linux refreshes the
   * stamp at most once a second to spare a cache line; here it is exact.
   */
  private long lastCookieSentAt = NO_COOKIE_YET;

  /** A half-open connection: what the listener remembers between SYN and ACK. */
  static final class HalfOpen {
    final int remoteHost;
    final int remotePort;
    final int conn;
    final long origin;
    final int irs;
    final int iss;
    final long firstSynAt;
    long synAckSentAt;
    /** The timeout the timer was last armed with. */
    long rto;
    /** SYN,ACK timer firings that resent it (Linux: the request's {@code num_timeout}). */
    int retries;
    /** Linux: the SYN,ACK was sent more than once, so it gives no RTT sample (num_retrans). */
    boolean resent;
    /** Linux: when a duplicate SYN or an out-of-window segment was last answered. */
    long lastOowAckAt = NEVER;
    /** How often the timer was armed; a {@link Timer} of an earlier arming is stale. */
    int arm;
    int emitIndex;
    boolean alive = true;
    /** profile: linux: the SYN's options (null if none) and our TS offset — Linux's ireq. */
    TcpOptions syn;
    int tsOffset;

    HalfOpen(int remoteHost, int remotePort, int conn, long origin, int irs, int iss, long now,
        long rto) {
      this.remoteHost = remoteHost;
      this.remotePort = remotePort;
      this.conn = conn;
      this.origin = origin;
      this.irs = irs;
      this.iss = iss;
      this.firstSynAt = now;
      this.rto = rto;
    }
  }

  /** One arming of a half-open entry's SYN,ACK timer. */
  private record Timer(long at, HalfOpen h, int arm) {
    static int compare(Timer a, Timer b) {
      int c = Long.compare(a.at, b.at);
      return c != 0 ? c : Long.compare(a.h.origin, b.h.origin);
    }

    boolean stale() {
      return !h.alive || arm != h.arm;
    }
  }

  /** What the host must do after a segment reached this listener. */
  public record Handoff(Tcb tcb, Segment ack) {}

  /**
   * A listener whose SYN cookie secret comes from {@code issForOrigin} itself: the ISS function
   * is a keyed hash of (scenario seed, origin), so its value at the listener's own origin (an id
   * no endpoint has) is a number fixed by the seed and different for every listener — a secret
   * that keeps the run deterministic, as Linux's boot-time random syncookie_secret does not.
   */
  public Listener(int host, int port, TcpParams params, LongToIntFunction issForOrigin) {
    this(host, port, params, issForOrigin,
        issForOrigin.applyAsInt(listenerOrigin(host, port)));
  }

  /** A listener whose SYN cookies are keyed by {@code cookieSecret}. */
  public Listener(int host, int port, TcpParams params, LongToIntFunction issForOrigin,
      long cookieSecret) {
    this(host, port, params, issForOrigin, origin -> 0, cookieSecret);
  }

  /**
   * A listener whose connections take their timestamp offsets from {@code tsOffsetForOrigin}
   * (the number drawn for each from its seeded stream), SYN cookie secret as in {@link
   * #Listener(int, int, TcpParams, LongToIntFunction)}.
   */
  public Listener(int host, int port, TcpParams params, LongToIntFunction issForOrigin,
      LongToIntFunction tsOffsetForOrigin) {
    this(host, port, params, issForOrigin, tsOffsetForOrigin,
        issForOrigin.applyAsInt(listenerOrigin(host, port)));
  }

  private Listener(int host, int port, TcpParams params, LongToIntFunction issForOrigin,
      LongToIntFunction tsOffsetForOrigin, long cookieSecret) {
    this.host = host;
    this.port = port;
    this.params = params;
    this.linux = params.isLinux();
    this.issForOrigin = issForOrigin;
    this.tsOffsetForOrigin = tsOffsetForOrigin;
    this.stats = new ListenerStats(host, port);
    this.cookies = new SynCookie(cookieSecret);
  }

  public ListenerStats stats() {
    return stats;
  }

  public int halfOpenCount() {
    return halfOpen.size();
  }

  /** The origin (stable id) of the server endpoint of connection {@code conn}. */
  public static long serverOrigin(int conn) {
    return ((long) conn << 1) | 1;
  }

  /**
   * A segment for this port that matches no endpoint. Returns a handoff when it completes a
   * handshake: the host then creates the endpoint around the TCB and gives it the ACK.
   */
  public Handoff onSegment(Segment s, long now, Outbox out, AppScript serverApp) {
    long key = key(s.srcHost(), s.srcPort());
    HalfOpen h = halfOpen.get(key);
    if (h != null) return synReceived(h, key, s, now, out, serverApp);
    // Linux looks for a cookie in any ACK without SYN or RST that matches no request socket,
    // before the LISTEN rules (tcp_v4_do_rcv -> tcp_v4_cookie_check -> cookie_v4_check), but
    // only if cookies are enabled and one was sent recently (tcp_synq_no_recent_overflow).
    if (s.ackFlag() && !s.syn() && !s.rst() && params.synCookies() != TcpParams.SynCookies.OFF
        && lastCookieSentAt != NO_COOKIE_YET && now - lastCookieSentAt <= SynCookie.VALID) {
      return cookieAck(s, now, out, serverApp);
    }
    listen(s, now, out);
    return null;
  }

  /** The rules of LISTEN (RFC 9293 §3.10.7.2) for a segment that matches no half-open entry. */
  private void listen(Segment s, long now, Outbox out) {
    if (!s.syn() || s.ackFlag() || s.rst()) {
      traceRecv(now, listenerOrigin(), stats.nextIndex++, s, out);
    }
    if (s.rst()) return; // LISTEN: an incoming RST is ignored
    if (s.ackFlag()) { // LISTEN: any ACK is bad here; <SEQ=SEG.ACK><CTL=RST>
      stats.resetsSent++;
      Tcb.emitTo(out, now, listenerOrigin(), stats.nextIndex++, host, port, s.srcHost(),
          s.srcPort(), s.conn(), Flags.RST, s.ack(), 0, 0, 0, false);
      return;
    }
    if (!s.syn()) return;
    // Linux, tcp_conn_request: "(syncookies == 2 || inet_csk_reqsk_queue_is_full(sk))" asks
    // tcp_syn_flood_action, which says "send a cookie" unless tcp_syncookies is 0.
    boolean backlogFull = synQueueFull();
    boolean wantCookie = switch (params.synCookies()) {
      case OFF -> false;
      case ON_OVERFLOW -> backlogFull;
      case ALWAYS -> true;
    };
    if (!wantCookie && backlogFull) { // TCPReqQFullDrop
      dropSyn(s, now, out, DropReason.SYN_BACKLOG_FULL);
      return;
    }
    if (linux && acceptQueueFull()) {
      // tcp_conn_request: "if (sk_acceptq_is_full(sk))" drops the SYN, cookie or not, before
      // anything is sent (ListenOverflows): a connection could not be handed to the application.
      stats.listenOverflows++;
      dropSyn(s, now, out, DropReason.ACCEPT_QUEUE_FULL);
      return;
    }
    if (wantCookie) {
      sendCookieSynAck(s, now, out);
      return;
    }
    if (linux && params.synCookies() == TcpParams.SynCookies.OFF && unprovenPeerDrop(s, now)) {
      dropSyn(s, now, out, DropReason.SYN_BACKLOG_FULL);
      return;
    }
    // LISTEN + SYN: remember the peer, choose our ISS, answer <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    long origin = serverOrigin(s.conn());
    HalfOpen e = new HalfOpen(s.srcHost(), s.srcPort(), s.conn(), origin, s.seq(),
        issForOrigin.applyAsInt(origin), now, firstSynAckTimeout(params));
    if (params.isLinux()) {
      e.syn = s.options();
      e.tsOffset = tsOffset(origin);
    }
    halfOpen.put(key(s.srcHost(), s.srcPort()), e);
    young++;
    traceRecv(now, origin, e.emitIndex++, s, out);
    stats.synBacklogPeak = Math.max(stats.synBacklogPeak, halfOpen.size());
    out.trace.add(TraceEvent.state(now, origin, e.emitIndex++, e.conn, host, port, e.remoteHost,
        e.remotePort, TcpState.LISTEN, TcpState.SYN_RECEIVED));
    sendSynAck(e, now, out, false);
  }

  /**
   * Whether a SYN finds the SYN queue full. RFC profile: at {@code synBacklog} entries. Linux
   * (inet_csk_reqsk_queue_is_full): when the queue is longer than the backlog, so it holds
   * backlog + 1 requests — since commit 3479c7549fb1 (2025, also in 6.12.y); the {@code >=} test
   * of the kernels before it with {@code tcp_reqsk_full: ge}.
   */
  private boolean synQueueFull() {
    return halfOpen.size() >= synQueueCapacity(params);
  }

  /**
   * How many half-open entries a listener with {@code params} holds: {@code synBacklog}, or
   * under {@code profile: linux} (unless {@code tcp_reqsk_full: ge}) one more.
   */
  public static int synQueueCapacity(TcpParams params) {
    boolean plusOne = params.isLinux() && !params.linuxKnobs().reqskFullAtBacklog();
    return plusOne ? params.synBacklog() + 1 : params.synBacklog();
  }

  /**
   * The first SYN,ACK timeout of a half-open entry, after which it doubles: {@code rtoInitial},
   * or under {@code profile: linux} TCP_TIMEOUT_INIT (1 s) whatever the RTO knobs say.
   */
  public static long firstSynAckTimeout(TcpParams params) {
    return params.isLinux() ? REQUEST_TIMEOUT : params.rtoInitial();
  }

  /**
   * Whether the accept queue is full. RFC profile: at {@code acceptBacklog} connections. Linux
   * (sk_acceptq_is_full): when longer than the backlog, so backlog + 1 connections wait. The
   * application here accepts at once, so the queue fills only when its backlog is 0 or a test
   * holds connections in it.
   */
  private boolean acceptQueueFull() {
    return linux ? stats.acceptQueue > params.acceptBacklog()
        : stats.acceptQueue >= params.acceptBacklog();
  }

  /**
   * Linux's "kill the following clause, if you dislike this way" (tcp_conn_request), with
   * tcp_syncookies 0: once fewer than a quarter of tcp_max_syn_backlog's slots are free, a SYN
   * from a peer that is not {@link #proven} is dropped, keeping the rest for peers known to be
   * alive. With the default (4096) it matters only for backlogs above about 3000.
   */
  private boolean unprovenPeerDrop(Segment s, long now) {
    int max = params.linuxKnobs().maxSynBacklog();
    return max - halfOpen.size() < (max >> 2) && !proven(s.srcHost(), now);
  }

  /**
   * Whether {@code peer} is proven alive (tcp_peer_is_proven): Linux asks its TCP metrics cache
   * for an RTT to that address, which a connection stores when it ends with an RTT sample and
   * which is kept for an hour. Here: a handshake with that host completed at this listener
   * within the last hour and its SYN,ACK gave an RTT sample (it was not resent). The listener
   * sees only the handshake, not how the connection ends; and the set is this listener's, where
   * Linux's cache is the host's.
   */
  private boolean proven(int peer, long now) {
    Long at = provenAt.get(peer);
    return at != null && now - at < PROVEN_FOR;
  }

  /** A SYN the listener drops without an answer (ListenDrops), traced with {@code reason}. */
  private void dropSyn(Segment s, long now, Outbox out, DropReason reason) {
    stats.synDropped++;
    stats.listenDrops++;
    out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, now, listenerOrigin(),
        stats.nextIndex++, 0, s, reason));
  }

  /**
   * The MSS an RFC-profile cookie encodes: our own {@code mss}, the most either side sends
   * here since its segments carry no MSS option ({@code profile: linux} encodes the client's,
   * {@link #sendLinuxCookieSynAck}).
   */
  private int cookieMss(Segment syn) {
    return params.mss();
  }

  /**
   * LISTEN + SYN with cookies: answer <SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK> and keep nothing
   * (Linux: tcp_conn_request with want_cookie sends the SYN,ACK and frees the request at once).
   * So this SYN,ACK is never retransmitted: if it is lost, only the client's SYN retransmission
   * brings another one.
   *
   * <p>The MSS a cookie carries is this listener's own {@code mss} rounded down to
   * {@link SynCookie#MSS_TABLE}. Linux encodes the MSS the client's SYN offered, but under
   * {@code profile: rfc} segments carry no options: each side sends at most its own {@code mss},
   * so ours is what the connection would have used, and the rounding is the cost (1400 becomes
   * 1300). {@code profile: linux} does as Linux ({@link #sendLinuxCookieSynAck}).
   *
   * <p>The listener has no per-connection record to number this SYN,ACK's events, so it sends
   * and traces it under its own id and running count, like its RSTs; the connection id in the
   * segment still ties it to the connection in traces and pcaps.
   */
  private void sendCookieSynAck(Segment syn, long now, Outbox out) {
    traceRecv(now, listenerOrigin(), stats.nextIndex++, syn, out);
    if (params.isLinux()) {
      sendLinuxCookieSynAck(syn, now, out);
      return;
    }
    int cookie = cookies.make(host, port, syn.srcHost(), syn.srcPort(), syn.seq(), now,
        SynCookie.mssIndex(cookieMss(syn)));
    stats.cookiesSent++;
    lastCookieSentAt = now;
    Tcb.emitTo(out, now, listenerOrigin(), stats.nextIndex++, host, port, syn.srcHost(),
        syn.srcPort(), syn.conn(), Flags.SYN | Flags.ACK, cookie, Seq.add(syn.seq(), 1),
        params.rcvWindow(), 0, false);
  }

  /**
   * The cookie SYN,ACK of {@code profile: linux} (docs/linux-profile.md §5): the cookie encodes
   * the MSS of the client's SYN (536 without the option, TCP_MSS_DEFAULT). A SYN without
   * timestamps loses its other options (tcp_clear_options): MSS only, window 64240. With
   * timestamps, the options of §1.2, window 65160, and the SYN's window scale and SACK-permitted
   * hidden in the low bits of the TSval, which the client's ACK echoes back.
   */
  private void sendLinuxCookieSynAck(Segment syn, long now, Outbox out) {
    TcpOptions o = syn.options();
    int clientMss = o != null && o.hasMss() ? o.mss() : OptionState.DEFAULT_MSS;
    int cookie = cookies.make(host, port, syn.srcHost(), syn.srcPort(), syn.seq(), now,
        SynCookie.mssIndex(clientMss));
    stats.cookiesSent++;
    lastCookieSentAt = now;
    TcpOptions kept = OptionState.timestampsOk(params, o) ? o : null;
    int tsVal = 0;
    if (kept != null) {
      tsVal = SynCookie.encodeTimestamp(now / TcpParams.MS,
          OptionState.windowScaleOk(params, kept) ? kept.wscale() : TcpOptions.NO_WSCALE,
          OptionState.sackOk(params, kept)) + tsOffset(serverOrigin(syn.conn()));
    }
    TcpOptions options = OptionState.synAckOptions(params, kept, tsVal,
        kept == null ? 0 : kept.tsVal());
    int window = Math.min(OptionState.synAckWindow(params, kept), OptionState.MAX_FIELD);
    Tcb.emitTo(out, now, listenerOrigin(), stats.nextIndex++, host, port, syn.srcHost(),
        syn.srcPort(), syn.conn(), Flags.SYN | Flags.ACK, cookie, Seq.add(syn.seq(), 1),
        window, 0, false, options);
  }

  /**
   * An ACK that matches no half-open entry while cookies are in use: SEG.ACK-1 may be a cookie
   * we sent for this 4-tuple and the client ISN SEG.SEQ-1 (Linux: __cookie_v4_check). If so,
   * build the connection as a completed handshake would have; if not, the segment is an ACK in
   * LISTEN after all (cookie_v4_check hands back the listener, tcp_rcv_state_process returns 1
   * for an ACK in TCP_LISTEN, and tcp_v4_do_rcv answers with tcp_v4_send_reset:
   * <SEQ=SEG.ACK><CTL=RST>).
   */
  private Handoff cookieAck(Segment s, long now, Outbox out, AppScript serverApp) {
    int iss = Seq.add(s.ack(), -1);
    int irs = Seq.add(s.seq(), -1);
    int mssIndex = cookies.check(iss, host, port, s.srcHost(), s.srcPort(), irs, now);
    if (mssIndex < 0) {
      stats.cookiesRejected++;
      listen(s, now, out);
      return null;
    }
    if (acceptQueueFull()) {
      // Linux: tcp_v4_syn_recv_sock fails on a full accept queue, cookie_v4_check drops the ACK
      // and, unlike a half-open entry, nothing remains to try again: the client's next segment
      // (a retransmission, or data) will carry the cookie once more.
      stats.listenOverflows++;
      stats.listenDrops++;
      out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, now, listenerOrigin(),
          stats.nextIndex++, 0, s, DropReason.ACCEPT_QUEUE_FULL));
      return null;
    }
    stats.cookiesAccepted++;
    enterAndLeaveAcceptQueue();
    long origin = serverOrigin(s.conn());
    Tcb tcb = passiveTcb(s.conn(), origin, s.srcHost(), s.srcPort(), iss, irs, serverApp);
    tcb.sendMss = Math.min(params.mss(), SynCookie.MSS_TABLE[mssIndex]);
    if (tcb.opts != null) { // profile: linux: the SYN's options come back with the ACK (§5)
      int mss = SynCookie.MSS_TABLE[mssIndex];
      TcpOptions a = s.options();
      tcb.opts.tsOffset = tsOffset(origin);
      TcpOptions syn = a != null && a.hasTimestamps() && params.linuxKnobs().timestamps() != 0
          ? SynCookie.decodeTimestamp(a.tsEcr() - tcb.opts.tsOffset, mss, a.tsVal())
          : TcpOptions.of(mss, false, false, 0, 0, TcpOptions.NO_WSCALE);
      tcb.opts.peerSyn(tcb, syn, true);
    }
    // Nothing is known of the SYN: the connection opens now, and its SYN,ACK gives no RTT
    // sample (Linux sets snt_synack = 0 for a cookie request, so tcp_synack_rtt_meas skips it).
    tcb.openedAt = now;
    // The connection's own events start here; its state change is traced like a passive
    // open's so that every server side's trace begins LISTEN -> SYN-RECEIVED.
    out.trace.add(TraceEvent.state(now, origin, tcb.emitIndex++, s.conn(), host, port,
        s.srcHost(), s.srcPort(), TcpState.LISTEN, TcpState.SYN_RECEIVED));
    return new Handoff(tcb, s);
  }

  /** The rules of SYN-RECEIVED for a half-open entry (RFC 9293 §3.10.7.4). */
  private Handoff synReceived(HalfOpen h, long key, Segment s, long now, Outbox out,
      AppScript serverApp) {
    int rcvNxt = Seq.add(h.irs, 1);
    boolean completes = s.ackFlag() && !s.syn() && !s.rst() && s.ack() == Seq.add(h.iss, 1)
        && Seq.inWindow(s.seq(), rcvNxt, Seq.add(rcvNxt, params.rcvWindow()));
    if (!completes) traceRecv(now, h.origin, h.emitIndex++, s, out); // else the endpoint traces it
    if (s.syn() && !s.ackFlag()) {
      // The peer did not get our SYN,ACK and resent its SYN: answer it again at once, as Linux
      // does for a SYN matching a request socket (tcp_check_req), rather than a bare ACK.
      if (s.seq() == h.irs) {
        if (linux) {
          if (!s.rst()) duplicateSyn(h, s, now, out); // tcp_check_req: the flags exactly SYN
        } else {
          stats.synAckRetransmits++;
          emit(h, now, out, Flags.SYN | Flags.ACK, h.iss, rcvNxt, true);
        }
      } else if (linux && !s.rst()
          && Seq.inWindow(s.seq(), rcvNxt, Seq.add(rcvNxt, params.rcvWindow()))) {
        // A SYN with another ISN inside the request's window (tcp_check_req, embryonic_reset):
        // Linux answers it as a segment without a socket, <SEQ=0><ACK=SEG.SEQ+1><CTL=RST,ACK>,
        // and drops the request. (Outside the window it is ignored here; Linux would send a
        // rate-limited ACK.)
        h.emitIndex = ClosedPort.answer(out, now, h.origin, h.emitIndex, s);
        remove(h, key, now, out, Outcome.RESET);
      }
      return null;
    }
    if (s.rst()) {
      if (s.seq() == rcvNxt) { // exact: back to LISTEN, the entry is gone
        remove(h, key, now, out, Outcome.RESET);
      } else if (Seq.inWindow(s.seq(), rcvNxt, Seq.add(rcvNxt, params.rcvWindow()))) {
        emit(h, now, out, Flags.ACK, Seq.add(h.iss, 1), rcvNxt, false); // RFC 5961 challenge ACK
      }
      return null;
    }
    if (!s.ackFlag()) return null;
    if (s.ack() != Seq.add(h.iss, 1)) { // does not acknowledge our SYN: <SEQ=SEG.ACK><CTL=RST>
      emit(h, now, out, Flags.RST, s.ack(), 0, false);
      return null;
    }
    if (!Seq.inWindow(s.seq(), rcvNxt, Seq.add(rcvNxt, params.rcvWindow()))) {
      // Out of window: an ACK, which Linux rate-limits (tcp_check_req, tcp_oow_rate_limited).
      if (!linux || !oowRateLimited(h, s, now)) {
        emit(h, now, out, Flags.ACK, Seq.add(h.iss, 1), rcvNxt, false);
      }
      return null;
    }
    if (acceptQueueFull()) {
      stats.listenOverflows++; // Linux, tcp_v4_syn_recv_sock: ListenOverflows and ListenDrops
      stats.listenDrops++;
      if (linux && params.linuxKnobs().abortOnOverflow()) {
        // tcp_abort_on_overflow = 1 (tcp_check_req, embryonic_reset): the listener answers
        // <SEQ=SEG.ACK><CTL=RST> and the request is gone.
        emit(h, now, out, Flags.RST, s.ack(), 0, false);
        remove(h, key, now, out, Outcome.RESET);
        return null;
      }
      // Like Linux, drop the ACK and keep the entry: the SYN,ACK timer will try again.
      out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, now, h.origin, h.emitIndex++, 0, s,
          DropReason.ACCEPT_QUEUE_FULL));
      return null;
    }
    enterAndLeaveAcceptQueue();
    unlink(h, key);
    Tcb tcb = passiveTcb(h.conn, h.origin, h.remoteHost, h.remotePort, h.iss, h.irs, serverApp);
    if (tcb.opts != null) { // the request's options become the connection's (tcp_openreq_init)
      tcb.opts.tsOffset = h.tsOffset;
      tcb.opts.peerSyn(tcb, h.syn, true);
    }
    tcb.openedAt = h.firstSynAt;
    tcb.emitIndex = h.emitIndex;
    tcb.retries = h.retries;
    // Karn: the SYN,ACK's RTT counts only if it was never resent; under Linux neither by the
    // timer nor for a duplicate SYN (tcp_synack_rtt_meas looks at num_retrans).
    boolean timed = linux ? !h.resent : h.retries == 0;
    tcb.synRetransmitted = !timed;
    if (timed) {
      tcb.rttTiming = true;
      tcb.rttSeq = h.iss;
      tcb.rttSentAt = h.synAckSentAt;
      if (linux) provenAt.put(h.remoteHost, now);
    }
    return new Handoff(tcb, s);
  }

  /**
   * Linux, a retransmitted SYN (same ISN, SYN alone) for a live request (tcp_check_req): the
   * SYN,ACK again at once and the request timer re-armed at now + 1 s × 2^firings — unless one
   * such answer went out less than tcp_invalid_ratelimit (500 ms) ago; then nothing.
   */
  private void duplicateSyn(HalfOpen h, Segment s, long now, Outbox out) {
    if (oowRateLimited(h, s, now)) return; // TCPACKSkippedSynRecv
    stats.synAckRetransmits++;
    h.resent = true;
    emit(h, now, out, Flags.SYN | Flags.ACK, h.iss, Seq.add(h.irs, 1), true);
    h.rto = requestTimeout(h.retries);
    arm(h, now + h.rto);
  }

  /**
   * Linux's __tcp_oow_rate_limited for a request: whether an answer to {@code s} must be
   * skipped because the last one went out less than tcp_invalid_ratelimit ago; if not, this
   * answer is the new last one. Segments with data or FIN are never limited (SYNs are).
   */
  private boolean oowRateLimited(HalfOpen h, Segment s, long now) {
    if (s.segLen() != 0 && !s.syn()) return false;
    if (h.lastOowAckAt != NEVER && now - h.lastOowAckAt < params.linuxKnobs().invalidRateLimit()) {
      return true;
    }
    h.lastOowAckAt = now;
    return false;
  }

  /**
   * The handshake completes: the connection enters the accept queue and the application, which
   * accepts at once, takes it out again.
   */
  private void enterAndLeaveAcceptQueue() {
    stats.acceptQueue++;
    stats.acceptQueuePeak = Math.max(stats.acceptQueuePeak, stats.acceptQueue);
    stats.acceptQueue--;
    stats.accepted++;
  }

  /**
   * The TCB of a passive open whose SYN,ACK (ISS {@code iss}) is out and whose peer's SYN (IRS
   * {@code irs}) is in: SYN-RECEIVED, waiting for the ACK that the new endpoint is given next.
   */
  private Tcb passiveTcb(int conn, long origin, int remoteHost, int remotePort, int iss, int irs,
      AppScript serverApp) {
    Tcb tcb = new Tcb(conn, false, origin, host, port, remoteHost, remotePort, params, serverApp);
    tcb.iss = iss;
    tcb.irs = irs;
    tcb.sndUna = iss;
    tcb.sndNxt = Seq.add(iss, 1);
    tcb.sndMax = tcb.sndNxt;
    tcb.rcvNxt = Seq.add(irs, 1);
    return tcb;
  }

  public long nextTimer() {
    Timer t;
    while ((t = timers.peek()) != null && t.stale()) timers.poll(); // lazily drop stale ones
    return t == null ? Tcb.NEVER_TIME : t.at;
  }

  /**
   * The earliest SYN,ACK timer, due at {@code now}: resend with a doubled timeout, or after
   * tcp_synack_retries drop the entry without sending anything (as Linux does).
   */
  public void fireTimer(long now, Outbox out) {
    nextTimer();
    Timer t = timers.poll();
    if (t == null || t.at != now) throw new IllegalStateException("no timer due at " + now);
    HalfOpen h = t.h;
    if (linux) {
      linuxTimer(h, now, out);
      return;
    }
    if (h.retries >= params.synAckRetries()) {
      remove(h, key(h.remoteHost, h.remotePort), now, out, Outcome.SYNACK_TIMEOUT);
      return;
    }
    h.retries++;
    h.rto = Math.min(h.rto * 2, params.rtoMax());
    sendSynAck(h, now, out, true);
  }

  /**
   * Linux's reqsk_timer_handler (net/ipv4/inet_connection_sock.c). The retry limit is
   * tcp_synack_retries, lowered while the queue is more than half full (2Q > max(8, backlog)) of
   * old requests: starting from twice the young ones, while the limit is above 2 and Q reaches
   * that threshold, the limit drops by one and the threshold doubles. So with no young request
   * left an old one dies at its third firing, 7 s after its SYN, instead of 63 s. A request that
   * has fired as often as the limit expires, silently; any other gets its SYN,ACK again, and the
   * timer is re-armed at 1 s × 2^firings (capped at rtoMax): SYN,ACKs at 0, 1, 3, 7, 15, 31 s,
   * expiry at 63 s.
   */
  private void linuxTimer(HalfOpen h, long now, Outbox out) {
    int limit = params.synAckRetries();
    int q = halfOpen.size();
    if (2L * q > Math.max(8, params.synBacklog())) {
      long threshold = 2L * young;
      while (limit > 2 && q >= threshold) {
        limit--;
        threshold <<= 1;
      }
    }
    if (h.retries >= limit) {
      remove(h, key(h.remoteHost, h.remotePort), now, out, Outcome.SYNACK_TIMEOUT);
      return;
    }
    if (h.retries == 0) young--; // fired once: no longer young
    h.retries++;
    h.resent = true;
    h.rto = requestTimeout(h.retries);
    sendSynAck(h, now, out, true);
  }

  /** Linux's reqsk_timeout: a request's timeout after {@code firings} firings. */
  private long requestTimeout(int firings) {
    return firings >= 40 ? params.rtoMax()
        : Math.min(REQUEST_TIMEOUT << firings, params.rtoMax());
  }

  private void sendSynAck(HalfOpen h, long now, Outbox out, boolean retransmit) {
    if (retransmit) stats.synAckRetransmits++;
    h.synAckSentAt = now;
    emit(h, now, out, Flags.SYN | Flags.ACK, h.iss, Seq.add(h.irs, 1), retransmit);
    arm(h, now + h.rto);
  }

  /** (Re-)arm the entry's SYN,ACK timer at {@code at}; an earlier arming goes stale. */
  private void arm(HalfOpen h, long at) {
    h.arm++;
    timers.add(new Timer(at, h, h.arm));
  }

  private void emit(HalfOpen h, long now, Outbox out, int flags, int seq, int ack,
      boolean retransmit) {
    int window = params.rcvWindow();
    TcpOptions options = null;
    if (params.isLinux() && (flags & Flags.RST) == 0) {
      // A request's SYN,ACK has the options of §1.2 and the window of §1.3; its other answers
      // (tcp_v4_reqsk_send_ack) the timestamps and that window scaled.
      window = OptionState.synAckWindow(params, h.syn);
      int tsVal = OptionState.tsClock(now) + h.tsOffset;
      boolean ts = OptionState.timestampsOk(params, h.syn);
      if ((flags & Flags.SYN) != 0) {
        options = OptionState.synAckOptions(params, h.syn, tsVal, ts ? h.syn.tsVal() : 0);
        window = Math.min(window, OptionState.MAX_FIELD);
      } else {
        if (ts) options = TcpOptions.timestamps(tsVal, h.syn.tsVal());
        if (OptionState.windowScaleOk(params, h.syn)) window >>>= OptionState.windowScale(params);
      }
    } else if ((flags & Flags.RST) != 0 && params.isLinux()) {
      window = 0; // tcp_v4_send_reset
    }
    Tcb.emitTo(out, now, h.origin, h.emitIndex++, host, port, h.remoteHost, h.remotePort, h.conn,
        flags, seq, ack, window, 0, retransmit, options);
  }

  /** The timestamp offset of the server side with id {@code origin}. */
  private int tsOffset(long origin) {
    return OptionState.tsOffset(params, tsOffsetForOrigin.applyAsInt(origin));
  }

  /** The entry leaves the SYN queue (Linux: reqsk_queue_removed) and its timer goes stale. */
  private void unlink(HalfOpen h, long key) {
    halfOpen.remove(key);
    h.alive = false;
    if (h.retries == 0) young--;
  }

  private void remove(HalfOpen h, long key, long now, Outbox out, Outcome outcome) {
    unlink(h, key);
    out.trace.add(TraceEvent.state(now, h.origin, h.emitIndex++, h.conn, host, port,
        h.remoteHost, h.remotePort, TcpState.SYN_RECEIVED, TcpState.CLOSED));
    out.results.add(new EndpointResult(h.conn, false, outcome, h.firstSynAt, -1, now));
  }

  /**
   * The host crashed: every half-open entry vanishes (ending {@link Outcome#CRASHED}, nothing
   * sent), and the SYN-ACK timers with them. The socket itself listens again when the host is
   * back (the server application restarts); its counters go on.
   */
  public void crash(long now, Outbox out) {
    List<HalfOpen> gone = new ArrayList<>(halfOpen.values());
    gone.sort((a, b) -> Long.compare(a.origin, b.origin)); // a fixed trace order
    for (HalfOpen h : gone) remove(h, key(h.remoteHost, h.remotePort), now, out, Outcome.CRASHED);
    timers.clear();
    provenAt.clear(); // Linux's TCP metrics cache does not survive a reboot
  }

  /** Report every half-open entry as still open at the end of the run. */
  public void finish(long now, Outbox out) {
    halfOpen.values().stream()
        .sorted((a, b) -> Long.compare(a.origin, b.origin))
        .forEach(h -> out.results.add(
            new EndpointResult(h.conn, false, Outcome.OPEN, h.firstSynAt, -1, now)));
  }

  private static void traceRecv(long now, long origin, int index, Segment s, Outbox out) {
    out.trace.add(TraceEvent.segment(TraceEvent.Kind.RECV, now, origin, index, 0, s, null));
  }

  private long listenerOrigin() {
    return listenerOrigin(host, port);
  }

  /** The listener's own id for its events: negative, so no endpoint or host has it. */
  private static long listenerOrigin(int host, int port) {
    return -1L - ((long) host << 16) - port;
  }

  private static long key(int remoteHost, int remotePort) {
    return ((long) remoteHost << 16) | remotePort;
  }
}
