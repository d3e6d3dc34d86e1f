package tcpsim.tcp;

import java.util.List;

import akka.actor.typed.Behavior;
import akka.actor.typed.ExtensibleBehavior;
import akka.actor.typed.Signal;
import akka.actor.typed.TypedActorContext;
import akka.actor.typed.javadsl.Behaviors;

/**
 * One TCP endpoint as an actor whose behaviour is its state: every subclass is one state of RFC
 * 9293 §3.3.2 and holds that state's rules; a transition returns the next state's behaviour.
 *
 * <p>Time is virtual. The host actor hands the endpoint a whole time window at once (see {@link
 * EndpointMsg.RunWindow}): the segments arriving in it, in canonical order. The endpoint applies
 * them one by one to its current state, firing its own timers (retransmission, TIME-WAIT, the
 * application's next step) in time order between them; a timer due at the same instant as an
 * arrival fires first. Because an endpoint only ever sees its own events in a fixed order, its
 * behaviour does not depend on how threads interleave actors.
 */
public abstract class TcpEndpoint extends ExtensibleBehavior<EndpointMsg> {
  /** RFC 5961 §5.2 bounds acceptable old ACKs by MAX.SND.WND; without scaling that is 65535. */
  static final int MAX_SND_WND = 65535;

  protected final Tcb tcb;

  /**
   * A state holds nothing but the TCB: a transition allocates one small object, and a state
   * needs no actor context (it only ever answers the host that asked).
   */
  protected TcpEndpoint(Tcb tcb) {
    this.tcb = tcb;
  }

  /** The RFC state this behaviour stands for. */
  public abstract TcpState state();

  public Tcb tcb() {
    return tcb;
  }

  /** SEGMENT ARRIVES in this state (RFC 9293 §3.10.7). */
  protected abstract TcpEndpoint onSegment(Segment s, long now);

  /** The retransmission timer expired (RFC 6298 §5.4–5.6). */
  protected TcpEndpoint onRetransmitTimeout(long now) {
    return this;
  }

  /** The state's own timer expired (TIME-WAIT's 2×MSL). */
  protected TcpEndpoint onStateTimer(long now) {
    return this;
  }

  /** Linux's delayed-ACK timer expired ({@link DelayedAck}; only {@code profile: linux} arms it). */
  protected TcpEndpoint onDelayedAckTimeout(long now) {
    return this;
  }

  /** The application calls CLOSE (RFC 9293 §3.10.4). */
  protected TcpEndpoint onClose(long now) {
    return this;
  }

  /**
   * The application calls ABORT (RFC 9293 §3.10.5). In SYN-RECEIVED, ESTABLISHED, FIN-WAIT-1,
   * FIN-WAIT-2 and CLOSE-WAIT: "Send a reset segment: {@code <SEQ=SND.NXT><CTL=RST>}", flush
   * everything queued, delete the TCB, enter CLOSED. In SYN-SENT, CLOSING, LAST-ACK and
   * TIME-WAIT no segment is sent; the TCB is deleted and the state is CLOSED. The endpoint ends
   * {@link Outcome#ABORTED}.
   *
   * <p>The reset is a bare RST as the RFC writes it (Linux's {@code tcp_send_active_reset} also
   * sets ACK; the peer's RST check comes before its ACK check, so either works the same). Its
   * sequence number is the RFC's SND.NXT, the next new sequence number, which is {@code
   * tcb.sndMax} here: {@code tcb.sndNxt} falls back to SND.UNA while retransmitting after a
   * timeout (a go-back), and an RST at that lower number would not be at the peer's RCV.NXT.
   */
  protected TcpEndpoint onAbort(long now) {
    return switch (state()) {
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> {
        tcb.emit(now, Flags.RST, tcb.sndMax, 0, 0, false);
        yield end(Outcome.ABORTED, now);
      }
      case SYN_SENT, CLOSING, LAST_ACK, TIME_WAIT -> end(Outcome.ABORTED, now);
      case CLOSED, LISTEN -> this;
    };
  }

  /** The application calls OPEN (RFC 9293 §3.10.1); only CLOSED accepts it. */
  protected TcpEndpoint onOpen(long now) {
    return this;
  }

  @Override
  public Behavior<EndpointMsg> receive(TypedActorContext<EndpointMsg> ctx, EndpointMsg msg) {
    if (msg instanceof EndpointMsg.RunWindow w) return runWindow(w);
    if (msg instanceof EndpointMsg.Crash c) return crash(c);
    return finish((EndpointMsg.Finish) msg);
  }

  @Override
  public Behavior<EndpointMsg> receiveSignal(TypedActorContext<EndpointMsg> ctx, Signal signal) {
    return Behaviors.unhandled();
  }

  private Behavior<EndpointMsg> runWindow(EndpointMsg.RunWindow w) {
    try {
      return processWindow(w);
    } catch (RuntimeException e) {
      w.replyTo().tell(new EndpointMsg.EndpointDone(tcb.slot, new Outbox(), Tcb.NEVER_TIME, true, e));
      return Behaviors.stopped();
    }
  }

  private Behavior<EndpointMsg> processWindow(EndpointMsg.RunWindow w) {
    Outbox out = new Outbox();
    tcb.out = out;
    TcpEndpoint current = this;
    for (Arrival a : w.arrivals()) {
      current = current.fireTimersBefore(a.time() + 1);
      tcb.traceRecv(a.time(), a.segment());
      current = current.onSegment(a.segment(), a.time());
    }
    current = current.fireTimersBefore(w.end());
    tcb.out = null;
    boolean ended = current instanceof Closed c && c.ended;
    w.replyTo().tell(new EndpointMsg.EndpointDone(
        tcb.slot, out, ended ? Tcb.NEVER_TIME : tcb.nextTimer(), ended));
    return ended ? Behaviors.stopped() : current;
  }

  private Behavior<EndpointMsg> finish(EndpointMsg.Finish f) {
    Outbox out = new Outbox();
    tcb.out = out;
    if (!(this instanceof Closed c && c.ended)) tcb.result(Outcome.OPEN, f.now());
    tcb.out = null;
    f.replyTo().tell(new EndpointMsg.EndpointDone(tcb.slot, out, Tcb.NEVER_TIME, true));
    return Behaviors.stopped();
  }

  /**
   * The host crashed: no segment goes out (a crashed machine sends nothing), the state is
   * traced as gone to CLOSED so that counts of endpoints per state stay right, and the endpoint
   * stops. Its peer learns of it only by silence, or by an RST from the restarted host.
   */
  private Behavior<EndpointMsg> crash(EndpointMsg.Crash c) {
    Outbox out = new Outbox();
    tcb.out = out;
    if (!(this instanceof Closed closed && closed.ended)) end(Outcome.CRASHED, c.now());
    tcb.out = null;
    c.replyTo().tell(new EndpointMsg.EndpointDone(tcb.slot, out, Tcb.NEVER_TIME, true));
    return Behaviors.stopped();
  }

  /** Fire, in time order, every timer due strictly before {@code limit}. */
  private TcpEndpoint fireTimersBefore(long limit) {
    TcpEndpoint current = this;
    long t;
    while ((t = tcb.nextTimer()) < limit) {
      current = current.fireTimer(t);
    }
    return current;
  }

  private TcpEndpoint fireTimer(long t) {
    if (tcb.retransmitAt == t) {
      tcb.retransmitAt = Tcb.NEVER_TIME;
      return onRetransmitTimeout(t);
    }
    if (tcb.stateTimerAt == t) {
      tcb.stateTimerAt = Tcb.NEVER_TIME;
      return onStateTimer(t);
    }
    // The kernel's timers before the application: an ACK due at the instant the application
    // writes goes out alone.
    if (tcb.delAckAt == t) {
      tcb.delAckAt = Tcb.NEVER_TIME;
      return onDelayedAckTimeout(t);
    }
    Tcb.AppAction action = tcb.appAction;
    tcb.appAt = Tcb.NEVER_TIME;
    tcb.appAction = Tcb.AppAction.NONE;
    return switch (action) {
      case CONNECT -> onOpen(t);
      case RESUME -> runApplication(t, true);
      case CLOSE -> tcb.app.abortOnClose() ? onAbort(t) : onClose(t);
      case NONE -> this;
    };
  }

  // ---------------------------------------------------------------- transitions

  /** Enter {@code next}, tracing the state change. */
  protected TcpEndpoint moveTo(TcpEndpoint next, long now) {
    tcb.traceState(now, state(), next.state());
    return next;
  }

  /** The connection is over: enter CLOSED with this outcome and stop all timers. */
  protected TcpEndpoint end(Outcome outcome, long now) {
    tcb.retransmitAt = Tcb.NEVER_TIME;
    tcb.stateTimerAt = Tcb.NEVER_TIME;
    tcb.delAckAt = Tcb.NEVER_TIME;
    tcb.appAt = Tcb.NEVER_TIME;
    tcb.appAction = Tcb.AppAction.NONE;
    tcb.result(outcome, now);
    return moveTo(new Closed(tcb, true), now);
  }

  // ---------------------------------------------------------------- sending

  /** An ACK carrying the current SND.NXT and RCV.NXT (also the challenge ACK of RFC 5961). */
  protected void sendAck(long now) {
    tcb.emit(now, Flags.ACK, tcb.sndNxt, tcb.rcvNxt, 0, false);
    ackSent();
  }

  /** A segment carrying ACK and RCV.NXT went out: it pays whatever ACK was owed. */
  protected void ackSent() {
    if (tcb.delAck != null) tcb.delAck.ackSent(tcb); // also stops the delayed-ACK timer
    tcb.ackPending = false;
  }

  /**
   * The ACK that answers an invalid segment: a challenge ACK (RFC 5961: an RST in the window but
   * not at RCV.NXT, a SYN, an ACK too old) or the ACK of a segment outside the window. Under
   * {@code profile: linux} at most one goes out per tcp_invalid_ratelimit (500 ms) on a
   * connection (tcp_input.c {@code __tcp_oow_rate_limited}, from {@code tcp_send_challenge_ack});
   * the others are dropped unanswered. The RFC profile answers every one.
   */
  protected void sendChallengeAck(long now) {
    if (tcb.params.isLinux()) {
      if (tcb.lastInvalidAckAt != Tcb.NO_TIME
          && now - tcb.lastInvalidAckAt < tcb.params.linuxKnobs().invalidRateLimit()) {
        return;
      }
      tcb.lastInvalidAckAt = now;
    }
    sendAck(now);
  }

  /**
   * The ACK for a segment outside the receive window (RFC 9293 §3.10.7.4, first check). Linux
   * rate-limits it like a challenge ACK, except when the segment carries data or a FIN and no
   * SYN: those are not part of an ACK loop and are always answered ({@code
   * tcp_oow_rate_limited}).
   */
  protected void sendOutOfWindowAck(Segment s, long now) {
    if (!s.syn() && (s.len() > 0 || s.fin())) {
      sendAck(now);
    } else {
      sendChallengeAck(now);
    }
  }

  /**
   * Answer {@code s} as Linux answers a segment for which it has no full socket ({@code
   * tcp_v4_send_reset}, §7 of docs/linux-profile.md): {@code <SEQ=SEG.ACK><CTL=RST>} if it has
   * an ACK, {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>} if not, nothing for an RST; no
   * options. A closed port answers so too ({@link ClosedPort}).
   */
  protected void sendResetWithoutSocket(Segment s, long now) {
    tcb.emitIndex = ClosedPort.answer(tcb.out, now, tcb.origin, tcb.emitIndex, s);
  }

  /** RFC 9293 §3.10.7: the reset sent for an unacceptable ACK is {@code <SEQ=SEG.ACK><CTL=RST>}. */
  protected void sendResetForAck(Segment s, long now) {
    tcb.emit(now, Flags.RST, s.ack(), 0, 0, false);
  }

  /** Start timing a segment for an RTT sample unless one is already being timed. */
  protected void startRttTiming(int seq, long now) {
    if (!tcb.rttTiming) {
      tcb.rttTiming = true;
      tcb.rttSeq = seq;
      tcb.rttSentAt = now;
    }
  }

  /** Arm the retransmission timer if it is not running (RFC 6298 §5.1). */
  protected void armRetransmitTimer(long now) {
    if (tcb.retransmitAt == Tcb.NEVER_TIME) tcb.retransmitAt = now + tcb.rto.rto();
  }

  // ---------------------------------------------------------------- the application

  /** The application writes {@code bytes}; they are sent by the next output. */
  protected void write(long bytes, long now) {
    if (bytes > 0 && !tcb.finQueued) tcb.written += bytes;
  }

  /** Send what the application just wrote, if the state sends data at all. */
  protected void flushWrites(long now) {}

  /** The connection just became ESTABLISHED: the application starts its script. */
  protected void applicationEstablished(long now) {
    tcb.establishedAt = now;
    if (tcb.delAck != null) tcb.delAck.established(tcb, now);
    runApplication(now, false);
  }

  /** In-order data reached the application. */
  protected void applicationRead(long now) {
    runApplication(now, false);
  }

  /** The peer's FIN was read: end of file. */
  protected void applicationEndOfFile(long now) {
    tcb.endOfFile = true;
    runApplication(now, false);
  }

  /**
   * Runs the application's script from where it stopped, as far as it can: writes at once,
   * reads while enough has arrived, pauses by the application timer. A shutdown, close or abort
   * changes the state, which only a timer may do ({@code canCall}); called from anywhere else,
   * the script stops there and the timer resumes it at the same instant.
   */
  protected TcpEndpoint runApplication(long now, boolean canCall) {
    DelayedAck d = tcb.delAck;
    if (d == null) return runScript(now, canCall);
    long copiedBefore = d.copied;
    TcpEndpoint next = runScript(now, canCall);
    // Linux's __tcp_cleanup_rbuf: what the application's read took may call for the owed ACK.
    if (next instanceof Synchronized && d.ackAfterRead(tcb, d.copied - copiedBefore)) {
      next.sendAck(now);
    }
    return next;
  }

  private TcpEndpoint runScript(long now, boolean canCall) {
    TcpEndpoint current = this;
    List<AppScript.Step> steps = tcb.app.steps();
    run:
    while (tcb.appStep < steps.size() && tcb.appAction == Tcb.AppAction.NONE) {
      AppScript.Step step = steps.get(tcb.appStep);
      if (step instanceof AppScript.Write w) {
        write(w.bytes(), now);
      } else if (step instanceof AppScript.Read r) {
        // A read() blocked or called here takes everything that has arrived, and empties the
        // receive queue (what Linux's ACK-after-read rule looks at).
        if (tcb.delAck != null) tcb.delAck.copied = tcb.received;
        long available = tcb.received - tcb.readMark;
        if (r.bytes() == AppScript.Read.EOF || available < r.bytes()) {
          if (!tcb.endOfFile) break run; // wait for more data or the FIN
          tcb.readMark = tcb.received; // end of file ends any read
        } else {
          tcb.readMark += r.bytes();
        }
      } else if (step instanceof AppScript.Pause p) {
        tcb.appStep++;
        scheduleApp(now + p.nanos());
        break;
      } else if (step instanceof AppScript.Until u) {
        tcb.appStep++;
        scheduleApp(Math.max(now, u.time()));
        break;
      } else if (!canCall) {
        scheduleApp(now);
        break;
      } else {
        tcb.appStep++;
        AppScript.Call call = tcb.app.abortOnClose() ? AppScript.Call.ABORT : (AppScript.Call) step;
        // What was written goes out before a FIN, as a write() sends at once; an abort
        // discards it (RFC 9293 §3.10.5).
        if (call != AppScript.Call.ABORT) current.flushWrites(now);
        current = switch (call) {
          case SHUTDOWN -> current.onClose(now);
          case CLOSE -> {
            tcb.fullyClosed = true;
            yield current.closesWithUnreadData() ? current.resetOnClose(now) : current.onClose(now);
          }
          case ABORT -> current.onAbort(now);
        };
        continue;
      }
      tcb.appStep++;
    }
    // Called from a timer, nothing else would send what was just written; from segment
    // processing, the state's own output after the segment does.
    if (canCall) current.flushWrites(now);
    return current;
  }

  /**
   * Under {@code profile: linux}, close() with data in the receive queue that the application
   * never read sends no FIN: it resets the connection (__tcp_close in net/ipv4/tcp.c). States
   * without a full socket (TIME-WAIT) or without data (SYN-SENT, CLOSED) close as usual.
   */
  private boolean closesWithUnreadData() {
    if (!tcb.params.isLinux() || tcb.received <= tcb.readMark) return false;
    return switch (state()) {
      case SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK -> true;
      case CLOSED, LISTEN, SYN_SENT, TIME_WAIT -> false;
    };
  }

  /**
   * close() with unread data (Linux's {@code tcp_send_active_reset}, MIB TCPAbortOnClose): the
   * reset {@code <SEQ=SND.NXT><ACK=RCV.NXT><CTL=RST,ACK>} instead of a FIN, and CLOSED at once.
   * The application threw data away and reset the connection, as with SO_LINGER 0, so the
   * endpoint ends {@link Outcome#ABORTED} and its peer {@code reset}. SND.NXT is {@code
   * tcb.sndMax} for the reason given at {@link #onAbort}.
   */
  private TcpEndpoint resetOnClose(long now) {
    tcb.emit(now, Flags.RST | Flags.ACK, tcb.sndMax, tcb.rcvNxt, 0, false);
    return end(Outcome.ABORTED, now);
  }

  private void scheduleApp(long at) {
    tcb.appAction = Tcb.AppAction.RESUME;
    tcb.appAt = at;
  }
}
