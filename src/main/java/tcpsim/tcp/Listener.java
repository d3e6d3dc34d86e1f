package tcpsim.tcp;

import java.util.HashMap;
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
 */
public final class Listener {
  private final int host;
  private final int port;
  private final TcpParams params;
  private final LongToIntFunction issForOrigin;
  private final HashMap<Long, HalfOpen> halfOpen = new HashMap<>();
  private final PriorityQueue<HalfOpen> timers = new PriorityQueue<>(HalfOpen::compareDeadline);
  private final ListenerStats stats;

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
    long deadline;
    long rto;
    int retries;
    int emitIndex;
    boolean alive = true;

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

    static int compareDeadline(HalfOpen a, HalfOpen b) {
      int c = Long.compare(a.deadline, b.deadline);
      return c != 0 ? c : Long.compare(a.origin, b.origin);
    }
  }

  /** What the host must do after a segment reached this listener. */
  public record Handoff(Tcb tcb, Segment ack) {}

  public Listener(int host, int port, TcpParams params, LongToIntFunction issForOrigin) {
    this.host = host;
    this.port = port;
    this.params = params;
    this.issForOrigin = issForOrigin;
    this.stats = new ListenerStats(host, port);
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
    if (!s.syn() || s.ackFlag() || s.rst()) {
      traceRecv(now, listenerOrigin(), stats.nextIndex++, s, out);
    }
    if (s.rst()) return null; // LISTEN: an incoming RST is ignored
    if (s.ackFlag()) { // LISTEN: any ACK is bad here; <SEQ=SEG.ACK><CTL=RST>
      stats.resetsSent++;
      Tcb.emitTo(out, now, listenerOrigin(), stats.nextIndex++, host, port, s.srcHost(),
          s.srcPort(), s.conn(), Flags.RST, s.ack(), 0, 0, 0, false);
      return null;
    }
    if (!s.syn()) return null;
    if (halfOpen.size() >= params.synBacklog()) {
      stats.synDropped++;
      out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, now, listenerOrigin(),
          stats.nextIndex++, 0, s, DropReason.SYN_BACKLOG_FULL));
      return null;
    }
    // LISTEN + SYN: remember the peer, choose our ISS, answer <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
    long origin = serverOrigin(s.conn());
    HalfOpen e = new HalfOpen(s.srcHost(), s.srcPort(), s.conn(), origin, s.seq(),
        issForOrigin.applyAsInt(origin), now, params.rtoInitial());
    halfOpen.put(key, e);
    traceRecv(now, origin, e.emitIndex++, s, out);
    stats.synBacklogPeak = Math.max(stats.synBacklogPeak, halfOpen.size());
    out.trace.add(TraceEvent.state(now, origin, e.emitIndex++, e.conn, host, port, e.remoteHost,
        e.remotePort, TcpState.LISTEN, TcpState.SYN_RECEIVED));
    sendSynAck(e, now, out, false);
    return null;
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
        stats.synAckRetransmits++;
        emit(h, now, out, Flags.SYN | Flags.ACK, h.iss, rcvNxt, true);
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
      emit(h, now, out, Flags.ACK, Seq.add(h.iss, 1), rcvNxt, false);
      return null;
    }
    if (stats.acceptQueue >= params.acceptBacklog()) {
      // Like Linux, drop the ACK and keep the entry: the SYN,ACK timer will try again.
      out.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, now, h.origin, h.emitIndex++, 0, s,
          DropReason.ACCEPT_QUEUE_FULL));
      return null;
    }
    // The handshake completes: the connection enters the accept queue and the application,
    // which accepts at once, takes it out again.
    stats.acceptQueue++;
    stats.acceptQueuePeak = Math.max(stats.acceptQueuePeak, stats.acceptQueue);
    stats.acceptQueue--;
    stats.accepted++;
    halfOpen.remove(key);
    h.alive = false;
    Tcb tcb = new Tcb(h.conn, false, h.origin, host, port, h.remoteHost, h.remotePort, params,
        serverApp);
    tcb.iss = h.iss;
    tcb.irs = h.irs;
    tcb.sndUna = h.iss;
    tcb.sndNxt = Seq.add(h.iss, 1);
    tcb.sndMax = tcb.sndNxt;
    tcb.rcvNxt = rcvNxt;
    tcb.openedAt = h.firstSynAt;
    tcb.emitIndex = h.emitIndex;
    tcb.retries = h.retries;
    tcb.synRetransmitted = h.retries > 0;
    if (h.retries == 0) { // Karn: the SYN,ACK's RTT counts only if it was never resent
      tcb.rttTiming = true;
      tcb.rttSeq = h.iss;
      tcb.rttSentAt = h.synAckSentAt;
    }
    return new Handoff(tcb, s);
  }

  public long nextTimer() {
    HalfOpen h;
    while ((h = timers.peek()) != null && !h.alive) timers.poll(); // lazily drop removed entries
    return h == null ? Tcb.NEVER_TIME : h.deadline;
  }

  /**
   * The earliest SYN,ACK timer, due at {@code now}: resend with a doubled timeout, or after
   * tcp_synack_retries drop the entry without sending anything (as Linux does).
   */
  public void fireTimer(long now, Outbox out) {
    nextTimer();
    HalfOpen h = timers.poll();
    if (h == null || h.deadline != now) throw new IllegalStateException("no timer due at " + now);
    if (h.retries >= params.synAckRetries()) {
      remove(h, key(h.remoteHost, h.remotePort), now, out, Outcome.SYNACK_TIMEOUT);
      return;
    }
    h.retries++;
    h.rto = Math.min(h.rto * 2, params.rtoMax());
    sendSynAck(h, now, out, true);
  }

  private void sendSynAck(HalfOpen h, long now, Outbox out, boolean retransmit) {
    if (retransmit) stats.synAckRetransmits++;
    h.synAckSentAt = now;
    emit(h, now, out, Flags.SYN | Flags.ACK, h.iss, Seq.add(h.irs, 1), retransmit);
    h.deadline = now + h.rto;
    timers.add(h);
  }

  private void emit(HalfOpen h, long now, Outbox out, int flags, int seq, int ack,
      boolean retransmit) {
    Tcb.emitTo(out, now, h.origin, h.emitIndex++, host, port, h.remoteHost, h.remotePort, h.conn,
        flags, seq, ack, params.rcvWindow(), 0, retransmit);
  }

  private void remove(HalfOpen h, long key, long now, Outbox out, Outcome outcome) {
    halfOpen.remove(key);
    h.alive = false;
    out.trace.add(TraceEvent.state(now, h.origin, h.emitIndex++, h.conn, host, port,
        h.remoteHost, h.remotePort, TcpState.SYN_RECEIVED, TcpState.CLOSED));
    out.results.add(new EndpointResult(h.conn, false, outcome, h.firstSynAt, -1, now));
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
    return -1L - ((long) host << 16) - port;
  }

  private static long key(int remoteHost, int remotePort) {
    return ((long) remoteHost << 16) | remotePort;
  }
}
