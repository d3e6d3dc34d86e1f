package tcpsim.tcp;

/**
 * One TCP segment on the simulated wire.
 *
 * <p>The header fields are what RFC 9293 §3.1 defines (ports, sequence and acknowledgement
 * numbers, control bits, window); the payload is only a length, since the simulator moves byte
 * counts, not bytes. Three fields are simulator bookkeeping, never read by TCP rules:
 * {@code conn} ties the segment to a connection for traces and reports (like a capture tool's
 * stream index), {@code origin} and {@code emitIndex} identify who emitted it and in which
 * order, and {@code sentAt} when, giving every segment a stable key so that equal-time events sort the same way on every
 * run.
 *
 * <p>{@code options} are the header's TCP options, or null when it has none (every segment of
 * {@code profile: rfc}; resets; a flood tool's bare SYN). {@code window} is the field as sent: a
 * receiver applies the negotiated window scale itself (RFC 7323 §2.3).
 */
public record Segment(
    int srcHost,
    int srcPort,
    int dstHost,
    int dstPort,
    int seq,
    int ack,
    int flags,
    int window,
    int len,
    boolean retransmit,
    int conn,
    long origin,
    int emitIndex,
    long sentAt,
    TcpOptions options) {

  /** A segment without TCP options. */
  public Segment(int srcHost, int srcPort, int dstHost, int dstPort, int seq, int ack, int flags,
      int window, int len, boolean retransmit, int conn, long origin, int emitIndex,
      long sentAt) {
    this(srcHost, srcPort, dstHost, dstPort, seq, ack, flags, window, len, retransmit, conn,
        origin, emitIndex, sentAt, null);
  }

  public boolean syn() {
    return (flags & Flags.SYN) != 0;
  }

  public boolean ackFlag() {
    return (flags & Flags.ACK) != 0;
  }

  public boolean rst() {
    return (flags & Flags.RST) != 0;
  }

  public boolean fin() {
    return (flags & Flags.FIN) != 0;
  }

  /** SEG.LEN: payload plus one for each of SYN and FIN, which occupy sequence space. */
  public int segLen() {
    return len + (syn() ? 1 : 0) + (fin() ? 1 : 0);
  }

  /** Stable tie-break between segments at the same virtual time: emitter, then emit order. */
  public static int compareOrder(Segment a, Segment b) {
    int c = Long.compare(a.origin, b.origin);
    return c != 0 ? c : Integer.compare(a.emitIndex, b.emitIndex);
  }

  @Override
  public String toString() {
    return Flags.names(flags) + " seq=" + Seq.unsigned(seq) + " ack=" + Seq.unsigned(ack)
        + " len=" + len + " win=" + window + (options == null ? "" : " " + options);
  }
}
