package tcpsim.tcp;

/**
 * What the application on one endpoint does with its socket. The simulator moves byte counts,
 * so an application is a small script of writes and a close, driven by what it has read.
 *
 * @param firstWrite bytes written as soon as the connection is ESTABLISHED
 * @param replyAfter once this many bytes have been read, write {@code replyBytes} (a server
 *     answering a request); -1 for never
 * @param replyBytes bytes of that reply
 * @param closeFirst whether this side closes actively once it has written everything and read
 *     {@code expectBytes}, after waiting {@code hold}
 * @param expectBytes bytes to read before an active close
 * @param hold how long to wait before the active close, ns
 * @param closeAt absolute virtual time of a close both sides make at once (simultaneous close),
 *     or -1
 * @param lastBytes when the peer's FIN arrives (end of file) and we have not closed yet: bytes
 *     to write before our own close
 * @param lastDelay how long after end of file those bytes are written and the close follows, ns
 * @param abort whether this side's own close (the active close after {@code hold}, or the
 *     {@code closeAt} close) is an ABORT instead (RFC 9293 §3.10.5: send RST, enter CLOSED)
 */
public record AppScript(
    long firstWrite,
    long replyAfter,
    long replyBytes,
    boolean closeFirst,
    long expectBytes,
    long hold,
    long closeAt,
    long lastBytes,
    long lastDelay,
    boolean abort) {

  /** A script that closes normally (no abort). */
  public AppScript(long firstWrite, long replyAfter, long replyBytes, boolean closeFirst,
      long expectBytes, long hold, long closeAt, long lastBytes, long lastDelay) {
    this(firstWrite, replyAfter, replyBytes, closeFirst, expectBytes, hold, closeAt, lastBytes,
        lastDelay, false);
  }

  /** This script, but its own close is an abort. */
  public AppScript aborting() {
    return new AppScript(firstWrite, replyAfter, replyBytes, closeFirst, expectBytes, hold,
        closeAt, lastBytes, lastDelay, true);
  }

  /** An application that connects, never writes and never closes: a bare socket. */
  public static AppScript idle() {
    return new AppScript(0, -1, 0, false, 0, 0, -1, 0, 0);
  }
}
