package tcpsim.tcp;

/**
 * CLOSED: no connection. Before OPEN the endpoint waits here for its application's connect; after
 * the connection ended ({@code ended}) it answers stray segments like a port nobody uses.
 */
final class Closed extends TcpEndpoint {
  final boolean ended;

  Closed(Tcb tcb, boolean ended) {
    super(tcb);
    this.ended = ended;
  }

  @Override
  public TcpState state() {
    return TcpState.CLOSED;
  }

  /** RFC 9293 §3.10.7.1: everything but a RST is answered with a RST. */
  @Override
  protected TcpEndpoint onSegment(Segment s, long now) {
    tcb.emitIndex = ClosedPort.answer(tcb.out, now, tcb.origin, tcb.emitIndex, s);
    return this;
  }

  /**
   * OPEN, active (RFC 9293 §3.10.1): choose the ISS (already drawn from this endpoint's seeded
   * stream), send {@code <SEQ=ISS><CTL=SYN>}, set SND.UNA=ISS and SND.NXT=ISS+1, enter SYN-SENT.
   */
  @Override
  protected TcpEndpoint onOpen(long now) {
    if (ended) return this;
    tcb.openedAt = now;
    tcb.sndUna = tcb.iss;
    tcb.sndNxt = Seq.add(tcb.iss, 1);
    tcb.sndMax = tcb.sndNxt;
    TcpEndpoint next = moveTo(new SynSent(tcb), now);
    tcb.emit(now, Flags.SYN, tcb.iss, 0, 0, false);
    startRttTiming(tcb.iss, now);
    armRetransmitTimer(now);
    return next;
  }
}
