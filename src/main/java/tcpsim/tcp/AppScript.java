package tcpsim.tcp;

import java.util.ArrayList;
import java.util.List;

/**
 * What the application on one endpoint does with its socket: the calls it makes, in order. The
 * simulator moves byte counts, so a write is a number of bytes and a read waits for a number of
 * bytes (or for end of file). The endpoint runs the steps as far as it can whenever something
 * happens (the connection is established, data or the peer's FIN is read, a pause ends) and
 * stops at a step that has to wait.
 *
 * <p>Steps: {@link Write} (send so many bytes), {@link Read} (wait until so many more bytes have
 * arrived, or end of file), {@link Pause} (wait so long), {@link Until} (wait until a virtual
 * time), and the calls {@link Call#SHUTDOWN} ({@code shutdown(SHUT_WR)}: our FIN follows the
 * data, we still read), {@link Call#CLOSE} ({@code close()}: the same on the wire, but the
 * application no longer reads — under {@code profile: linux} data arriving afterwards is
 * answered with an RST) and {@link Call#ABORT} (RFC 9293 §3.10.5: an RST, the connection is
 * gone). After the last step the application does nothing more.
 *
 * @param steps the calls, in order
 * @param abortOnClose the application's shutdown or close is an ABORT instead (it crashes out
 *     or sets SO_LINGER to zero): an RST, not a FIN
 */
public record AppScript(List<Step> steps, boolean abortOnClose) {

  /** One call of the application. */
  public sealed interface Step permits Write, Read, Pause, Until, Call {}

  /** Write {@code bytes} bytes (sent as the window allows). */
  public record Write(long bytes) implements Step {}

  /**
   * Wait until {@code bytes} more bytes have been read (counted from the previous read), or
   * until end of file if {@code bytes} is {@link #EOF} — a read also ends at end of file.
   */
  public record Read(long bytes) implements Step {
    public static final long EOF = -1;
  }

  /** Wait {@code nanos} of virtual time. */
  public record Pause(long nanos) implements Step {}

  /** Wait until virtual time {@code time} (ns; at once if it has passed). */
  public record Until(long time) implements Step {}

  /** The socket calls that end the application's sending. */
  public enum Call implements Step { SHUTDOWN, CLOSE, ABORT }

  public AppScript {
    steps = List.copyOf(steps);
  }

  public AppScript(List<Step> steps) {
    this(steps, false);
  }

  /**
   * The classic request/response application as a script.
   *
   * @param firstWrite bytes written as soon as the connection is ESTABLISHED
   * @param replyAfter once this many bytes have been read, write {@code replyBytes} (a server
   *     answering a request); -1 for never
   * @param replyBytes bytes of that reply
   * @param closeFirst whether this side closes actively once it has written everything and read
   *     {@code expectBytes}, after waiting {@code hold}
   * @param expectBytes bytes to read before an active close
   * @param hold how long to wait before the active close, ns
   * @param closeAt absolute virtual time of a close both sides make at once (simultaneous
   *     close), or -1
   * @param lastBytes when the peer's FIN arrives (end of file) and we have not closed yet: bytes
   *     to write before our own close
   * @param lastDelay how long after end of file those bytes are written and the close follows
   * @param abort whether this side's own close (the active close after {@code hold}, or the
   *     {@code closeAt} close) is an ABORT instead (RFC 9293 §3.10.5: send RST, enter CLOSED)
   */
  public static AppScript classic(long firstWrite, long replyAfter, long replyBytes,
      boolean closeFirst, long expectBytes, long hold, long closeAt, long lastBytes,
      long lastDelay, boolean abort) {
    List<Step> s = new ArrayList<>();
    if (firstWrite > 0) s.add(new Write(firstWrite));
    if (replyAfter >= 0) {
      if (replyAfter > 0) s.add(new Read(replyAfter));
      if (replyBytes > 0) s.add(new Write(replyBytes));
    }
    if (closeAt >= 0) {
      s.add(new Until(closeAt));
      s.add(Call.CLOSE);
    } else if (closeFirst) {
      long unread = expectBytes - Math.max(replyAfter, 0);
      if (unread > 0) s.add(new Read(unread));
      s.add(new Pause(hold));
      s.add(Call.CLOSE);
    } else {
      // The passive closer: on end of file, its last data after a delay, then its own close.
      s.add(new Read(Read.EOF));
      s.add(new Pause(lastDelay));
      if (lastBytes > 0) s.add(new Write(lastBytes));
      s.add(Call.CLOSE);
    }
    return new AppScript(s, abort);
  }

  /** {@link #classic} without an abort. */
  public AppScript(long firstWrite, long replyAfter, long replyBytes, boolean closeFirst,
      long expectBytes, long hold, long closeAt, long lastBytes, long lastDelay) {
    this(classic(firstWrite, replyAfter, replyBytes, closeFirst, expectBytes, hold, closeAt,
        lastBytes, lastDelay, false).steps, false);
  }

  /** {@link #classic} with or without an abort. */
  public AppScript(long firstWrite, long replyAfter, long replyBytes, boolean closeFirst,
      long expectBytes, long hold, long closeAt, long lastBytes, long lastDelay, boolean abort) {
    this(classic(firstWrite, replyAfter, replyBytes, closeFirst, expectBytes, hold, closeAt,
        lastBytes, lastDelay, abort).steps, abort);
  }

  /** This script, but its shutdown or close is an abort. */
  public AppScript aborting() {
    return new AppScript(steps, true);
  }

  /**
   * This script with every close() made a shutdown(SHUT_WR): the same FIN, but the application
   * keeps its socket and reads what the peer still sends. The byte-count shorthand uses it for
   * an active closer under {@code profile: linux} when the passive closer answers the FIN with
   * {@code lastBytes}, which Linux would refuse with an RST after a close().
   */
  public AppScript halfClosing() {
    if (!steps.contains(Call.CLOSE)) return this;
    List<Step> s = new ArrayList<>(steps.size());
    for (Step step : steps) s.add(step == Call.CLOSE ? Call.SHUTDOWN : step);
    return new AppScript(s, abortOnClose);
  }

  /** Whether this script aborts (sends an RST) instead of closing. */
  public boolean abort() {
    return abortOnClose || steps.contains(Call.ABORT);
  }

  /** Whether a step waits for a point in time (so the script belongs to one connection). */
  public boolean hasUntil() {
    return steps.stream().anyMatch(s -> s instanceof Until);
  }

  /** This script with every {@link Until} moved by {@code offset} ns (a per-connection copy). */
  public AppScript shiftedBy(long offset) {
    if (offset == 0 || !hasUntil()) return this;
    List<Step> s = new ArrayList<>(steps.size());
    for (Step step : steps) s.add(step instanceof Until u ? new Until(u.time() + offset) : step);
    return new AppScript(s, abortOnClose);
  }

  /** An application that connects, never writes and never closes: a bare socket. */
  public static AppScript idle() {
    return new AppScript(List.of());
  }
}
