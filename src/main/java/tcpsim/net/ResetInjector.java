package tcpsim.net;

import java.util.Arrays;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Segment;
import tcpsim.tcp.Seq;

/**
 * The middlebox behind {@link Fault.Reset} faults (RFC 5961 §3): it watches the connections a
 * reset fault may hit and, at the fault's time, forges one RST per matching direction.
 *
 * <p>What it watches: per connection direction, the highest sequence number the sender has
 * used ({@code SEG.SEQ + SEG.LEN}, its SND.NXT as far as the wire shows) and the highest
 * acknowledgement it has sent. Only segments that the network delivers intact count (a lost or
 * corrupted segment never moves the receiver's RCV.NXT), and only
 * <ul>
 *   <li>while some reset fault is still to come: the table is freed after the last one;
 *   <li>for connections with a direction that matches the target of a reset fault still to
 *       come (both directions are then followed, so that an RST either way is seen);
 *   <li>for connection ids >= 0 (a scenario's connections are numbered from 0).
 * </ul>
 * A connection on which either side sent an RST is over; it is not reset again. (RSTs the
 * network injected itself do not count: an in-window one leaves the connection alive.)
 *
 * <p>Memory: primitive arrays indexed by connection id, about 30 bytes per connection (both
 * directions), allocated at the first matching segment: 30 MB for a million connections.
 *
 * <p>The forged RST pretends to be the direction's sender: {@code <SEQ=its SND.NXT>
 * <ACK=its last ACK><CTL=RST,ACK>} (no ACK bit if it never sent one). With {@code seq: exact}
 * that is the receiver's RCV.NXT once what was sent before arrives, so the receiver resets
 * (RFC 9293 §3.10.7.4); with {@code seq: in-window} it is one more, inside any receive window
 * of two bytes or more but not exact, so RFC 5961 §3.2 makes the receiver answer with a
 * challenge ACK and keep the connection.
 */
final class ResetInjector {
  private static final byte SEEN = 1;
  private static final byte ACKED = 2;
  private static final byte OVER = 4;
  /** Connection ids above this are not tracked (their arrays would not fit). */
  private static final int MAX_CONN = (Integer.MAX_VALUE - 8) / 2;

  private final FaultSchedule schedule;
  private final int[] order;
  private int next;

  // Per end (2 * conn + e; end 0 is the lower (host, port) of the two, end 1 the other).
  private int[] endHost = new int[0];
  private char[] endPort = new char[0];
  // Per direction (2 * conn + d; direction d is sent by end d to end 1 - d).
  private int[] sndNxt = new int[0];
  private int[] lastAck = new int[0];
  private byte[] state = new byte[0];
  /** Connections the arrays hold; the arrays are null once the last reset is done. */
  private int capacity;

  ResetInjector(FaultSchedule schedule) {
    this.schedule = schedule;
    this.order = schedule.resetsInOrder();
  }

  /** Whether the schedule has no reset fault: no injector is needed. */
  static boolean needed(FaultSchedule schedule) {
    return schedule.resetsInOrder().length > 0;
  }

  /** Time of the next reset to inject, or {@code Long.MAX_VALUE}. */
  long nextAt() {
    return next < order.length ? schedule.get(order[next]).at() : Long.MAX_VALUE;
  }

  /** Index of the next reset fault to inject; valid while {@link #nextAt()} is finite. */
  int nextFault() {
    return order[next];
  }

  /** Notes a segment the network handled; {@code intact}: a copy arrives uncorrupted. */
  void observe(Segment s, boolean intact) {
    if (state == null || s.conn() < 0 || s.conn() > MAX_CONN) return;
    // Both directions of a watched connection are followed: an RST either way ends it.
    if (!pendingTargetMatches(s.srcHost(), s.dstHost())
        && !pendingTargetMatches(s.dstHost(), s.srcHost())) {
      return;
    }
    int c = s.conn();
    ensureCapacity(c);
    boolean srcIsLower = compareEnds(s.srcHost(), s.srcPort(), s.dstHost(), s.dstPort()) <= 0;
    int d = srcIsLower ? 0 : 1;
    int dir = 2 * c + d;
    if ((state[2 * c] | state[2 * c + 1]) == 0) {
      endHost[2 * c + d] = s.srcHost();
      endPort[2 * c + d] = (char) s.srcPort();
      endHost[2 * c + 1 - d] = s.dstHost();
      endPort[2 * c + 1 - d] = (char) s.dstPort();
    } else if (endHost[2 * c + d] != s.srcHost() || endPort[2 * c + d] != s.srcPort()
        || endHost[2 * c + 1 - d] != s.dstHost() || endPort[2 * c + 1 - d] != s.dstPort()) {
      return; // another 4-tuple under this id (not a connection of the scenario): ignore it
    }
    if (s.rst()) { // one side has given up on the connection: nothing left to reset
      state[2 * c] |= OVER;
      state[2 * c + 1] |= OVER;
      return;
    }
    if (!intact) return;
    int end = Seq.add(s.seq(), s.segLen());
    if ((state[dir] & SEEN) == 0 || Seq.gt(end, sndNxt[dir])) sndNxt[dir] = end;
    if (s.ackFlag()) {
      if ((state[dir] & ACKED) == 0 || Seq.gt(s.ack(), lastAck[dir])) lastAck[dir] = s.ack();
      state[dir] |= ACKED;
    }
    state[dir] |= SEEN;
  }

  /**
   * The RSTs of the next reset fault, in connection order (then lower end's direction first),
   * sent at the fault's time; moves on to the next fault. The caller transmits them.
   */
  Segment[] injectNext() {
    int index = order[next++];
    Fault f = schedule.get(index);
    boolean exact = ((Fault.Reset) f.effect()).seq() == Fault.ResetSeq.EXACT;
    long origin = FaultSchedule.injectionOrigin(index);
    Segment[] out = new Segment[8];
    int n = 0;
    for (int c = 0; c < capacity; c++) {
      for (int d = 0; d < 2; d++) {
        int dir = 2 * c + d;
        if ((state[dir] & SEEN) == 0 || (state[dir] & OVER) != 0
            || (state[2 * c + 1 - d] & OVER) != 0) {
          continue;
        }
        int src = 2 * c + d;
        int dst = 2 * c + 1 - d;
        if (!f.target().matches(endHost[src], endHost[dst])) continue;
        boolean ack = (state[dir] & ACKED) != 0;
        // RFC 5961 §3.2: exactly RCV.NXT resets; anything else in the window is challenged.
        int seq = exact ? sndNxt[dir] : Seq.add(sndNxt[dir], 1);
        if (n == out.length) out = Arrays.copyOf(out, 2 * n);
        out[n] = new Segment(endHost[src], endPort[src], endHost[dst], endPort[dst], seq,
            ack ? lastAck[dir] : 0, Flags.RST | (ack ? Flags.ACK : 0), 0, 0, false, c, origin, n,
            f.at());
        n++;
      }
    }
    if (next == order.length) { // no reset to come: stop watching
      endHost = null;
      endPort = null;
      sndNxt = null;
      lastAck = null;
      state = null;
      capacity = 0;
    }
    return Arrays.copyOf(out, n);
  }

  private boolean pendingTargetMatches(int srcHost, int dstHost) {
    for (int k = next; k < order.length; k++) {
      if (schedule.get(order[k]).target().matches(srcHost, dstHost)) return true;
    }
    return false;
  }

  private void ensureCapacity(int conn) {
    if (conn < capacity) return;
    int cap = (int) Math.min(MAX_CONN + 1L, Math.max(conn + 1L, Math.max(1024L, 2L * capacity)));
    endHost = Arrays.copyOf(endHost, 2 * cap);
    endPort = Arrays.copyOf(endPort, 2 * cap);
    sndNxt = Arrays.copyOf(sndNxt, 2 * cap);
    lastAck = Arrays.copyOf(lastAck, 2 * cap);
    state = Arrays.copyOf(state, 2 * cap);
    capacity = cap;
  }

  private static int compareEnds(int hostA, int portA, int hostB, int portB) {
    int c = Integer.compare(hostA, hostB);
    return c != 0 ? c : Integer.compare(portA, portB);
  }
}
