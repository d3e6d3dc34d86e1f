package tcpsim.tcp;

/**
 * The reset a host sends for a segment that finds no connection and no listener, and that a
 * CLOSED endpoint sends likewise (RFC 9293 §3.10.7.1).
 */
public final class ClosedPort {
  private ClosedPort() {}

  /**
   * Answer {@code s} as a closed port would; returns the emitter's next event index.
   *
   * <p>An incoming RST is discarded. Otherwise, if the segment has no ACK the reset is {@code
   * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}, and if it has one, {@code <SEQ=SEG.ACK><CTL=RST>}.
   */
  public static int answer(Outbox out, long now, long origin, int index, Segment s) {
    if (s.rst()) return index;
    if (s.ackFlag()) {
      Tcb.emitTo(out, now, origin, index, s.dstHost(), s.dstPort(), s.srcHost(), s.srcPort(),
          s.conn(), Flags.RST, s.ack(), 0, 0, 0, false);
    } else {
      Tcb.emitTo(out, now, origin, index, s.dstHost(), s.dstPort(), s.srcHost(), s.srcPort(),
          s.conn(), Flags.RST | Flags.ACK, 0, Seq.add(s.seq(), s.segLen()), 0, 0, false);
    }
    return index + 1;
  }
}
