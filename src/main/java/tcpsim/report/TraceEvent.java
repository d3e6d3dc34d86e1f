package tcpsim.report;

import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpOptions;
import tcpsim.tcp.TcpState;

/**
 * One event of the canonical trace.
 *
 * <p>Events are totally ordered by ({@code t}, {@code origin}, {@code index}, {@code sub}):
 * virtual time first, then who produced the event (a stable id of an endpoint or a host) and
 * that producer's own running count. None of these depend on thread scheduling or on the order
 * in which actor messages arrive, so the sorted trace — and its digest — is the same on every
 * run with the same seed.
 *
 * <p>For segment events ({@code SEND}, {@code RECV}, {@code DROP}, {@code DUP}) {@code src} and
 * {@code dst} are the segment's addresses; for {@code STATE}, {@code src} is the endpoint whose
 * state changed and {@code dst} its peer.
 *
 * <p>Segment events also carry the segment's {@code window} field and its TCP {@code options}
 * (null when it has none), so that pcaps show them; {@code window} is -1 where unknown (events
 * made without a segment).
 */
public record TraceEvent(
    long t,
    long origin,
    int index,
    int sub,
    Kind kind,
    int conn,
    int srcHost,
    int srcPort,
    int dstHost,
    int dstPort,
    int flags,
    int seq,
    int ack,
    int len,
    boolean retransmit,
    DropReason reason,
    TcpState from,
    TcpState to,
    int window,
    TcpOptions options) {

  /** An event without window or options (a state change, or a segment of unknown window). */
  public TraceEvent(long t, long origin, int index, int sub, Kind kind, int conn, int srcHost,
      int srcPort, int dstHost, int dstPort, int flags, int seq, int ack, int len,
      boolean retransmit, DropReason reason, TcpState from, TcpState to) {
    this(t, origin, index, sub, kind, conn, srcHost, srcPort, dstHost, dstPort, flags, seq, ack,
        len, retransmit, reason, from, to, -1, null);
  }

  public enum Kind {
    SEND("send"), RECV("recv"), DROP("drop"), DUP("dup"), STATE("state");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public static TraceEvent segment(Kind kind, long t, long origin, int index, int sub,
      Segment s, DropReason reason) {
    return new TraceEvent(t, origin, index, sub, kind, s.conn(), s.srcHost(), s.srcPort(),
        s.dstHost(), s.dstPort(), s.flags(), s.seq(), s.ack(), s.len(), s.retransmit(), reason,
        null, null, s.window(), s.options());
  }

  public static TraceEvent state(long t, long origin, int index, int conn, int host, int port,
      int peerHost, int peerPort, TcpState from, TcpState to) {
    return new TraceEvent(t, origin, index, 0, Kind.STATE, conn, host, port, peerHost, peerPort,
        0, 0, 0, 0, false, null, from, to);
  }

  /** The canonical order of the trace. */
  public static int compare(TraceEvent a, TraceEvent b) {
    int c = Long.compare(a.t, b.t);
    if (c != 0) return c;
    c = Long.compare(a.origin, b.origin);
    if (c != 0) return c;
    c = Integer.compare(a.index, b.index);
    return c != 0 ? c : Integer.compare(a.sub, b.sub);
  }
}
