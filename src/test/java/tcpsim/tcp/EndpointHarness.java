package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.BehaviorTestKit;
import akka.actor.testkit.typed.javadsl.TestInbox;
import java.util.ArrayList;
import java.util.List;
import tcpsim.report.TraceEvent;

/**
 * Builds one endpoint directly in a TCP state and feeds it segments, one window at a time, with
 * Akka's synchronous {@link BehaviorTestKit}: no threads, no sleeps, virtual time only.
 *
 * <p>The local side is host 0 port 1000 ("A"), the peer host 1 port 80 ("B"). Sequence numbers
 * are chosen by the test: {@code iss} is ours, {@code irs} the peer's.
 */
final class EndpointHarness {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;
  static final int LOCAL_HOST = 0;
  static final int LOCAL_PORT = 1000;
  static final int PEER_HOST = 1;
  static final int PEER_PORT = 80;

  final Tcb tcb;
  final BehaviorTestKit<EndpointMsg> kit;
  final TestInbox<EndpointMsg.EndpointDone> inbox = TestInbox.create();
  /** Everything the endpoint sent, in order, across all windows. */
  final List<Segment> sent = new ArrayList<>();
  final List<TraceEvent> trace = new ArrayList<>();
  final List<EndpointResult> results = new ArrayList<>();
  private int peerEmit;
  long lastNextTimer;
  boolean stopped;

  private final TcpState initial;

  private EndpointHarness(Tcb tcb, BehaviorTestKit<EndpointMsg> kit, TcpState initial) {
    this.tcb = tcb;
    this.kit = kit;
    this.initial = initial;
  }

  static Tcb tcb(TcpParams params, AppScript app) {
    return new Tcb(0, true, 0, LOCAL_HOST, LOCAL_PORT, PEER_HOST, PEER_PORT, params, app);
  }

  /** A client endpoint in CLOSED whose application connects at {@code openAt}. */
  static EndpointHarness client(TcpParams params, AppScript app, int iss, long openAt) {
    Tcb tcb = tcb(params, app);
    tcb.iss = iss;
    return new EndpointHarness(tcb, BehaviorTestKit.create(Endpoints.activeOpen(tcb, openAt)),
        TcpState.CLOSED);
  }

  /**
   * An endpoint in a synchronized state, as if the handshake completed: ISS {@code iss}, IRS
   * {@code irs}, nothing written or received yet, peer window 65535.
   */
  static EndpointHarness synchronizedIn(TcpState state, TcpParams params, AppScript app,
      int iss, int irs, long now) {
    Tcb tcb = tcb(params, app);
    tcb.iss = iss;
    tcb.irs = irs;
    tcb.sndUna = Seq.add(iss, 1);
    tcb.sndNxt = tcb.sndUna;
    tcb.sndMax = tcb.sndUna;
    tcb.sndWnd = 65535;
    tcb.sndWl1 = irs;
    tcb.sndWl2 = tcb.sndUna;
    tcb.rcvNxt = Seq.add(irs, 1);
    tcb.openedAt = 0;
    tcb.establishedAt = 0;
    if (tcb.delAck != null) tcb.delAck.established(tcb, now); // profile linux: RCV.WUP = RCV.NXT
    return new EndpointHarness(tcb, BehaviorTestKit.create(Endpoints.inState(state, tcb, now)),
        state);
  }

  /**
   * A CLOSED endpoint whose connection has ended ({@code Closed.ended}): what is left after a
   * reset or a timeout, answering stray segments like a closed port.
   */
  static EndpointHarness endedClosed(TcpParams params) {
    Tcb tcb = tcb(params, AppScript.idle());
    return new EndpointHarness(tcb,
        BehaviorTestKit.create(new Closed(tcb, true)),
        TcpState.CLOSED);
  }

  /**
   * The endpoint a listener hands off when a handshake completes (passive open): it starts in
   * SYN-RECEIVED around the listener's TCB; deliver the handoff's ACK to it next.
   */
  static EndpointHarness passive(Tcb tcb) {
    return new EndpointHarness(tcb, BehaviorTestKit.create(Endpoints.passiveOpen(tcb)),
        TcpState.SYN_RECEIVED);
  }

  /**
   * A client that has completed its handshake: OPEN at 0 sends the SYN, the peer's SYN,ACK
   * (seq {@code irs}, window {@code peerWindow}) arrives at {@code rtt}. The application starts
   * its script there (e.g. its first write goes out at {@code rtt}).
   */
  static EndpointHarness established(TcpParams params, AppScript app, int iss, int irs,
      int peerWindow, long rtt) {
    EndpointHarness h = client(params, app, iss, 0);
    h.advanceTo(1);
    h.deliver(h.fromPeer(Flags.SYN | Flags.ACK, irs, Seq.add(iss, 1), 0, peerWindow), rtt);
    assertEquals(TcpState.ESTABLISHED, h.state(), "handshake did not complete");
    return h;
  }

  // ------------------------------------------------- shaping the TCB before the first window

  /**
   * Our FIN (seq ISS+1+written) went out at {@code sentAt}; if {@code acked}, the peer has
   * acknowledged it, otherwise its retransmission timer runs from {@code sentAt}.
   */
  EndpointHarness ourFinSent(boolean acked, long sentAt) {
    tcb.finQueued = true;
    tcb.sndNxt = Seq.add(tcb.finSeq(), 1);
    tcb.sndMax = tcb.sndNxt;
    tcb.sndUna = acked ? tcb.sndNxt : tcb.finSeq();
    tcb.retransmitAt = acked ? Tcb.NEVER_TIME : sentAt + tcb.rto.rto();
    return this;
  }

  /** The peer's FIN (seq RCV.NXT) has been received and RCV.NXT moved over it. */
  EndpointHarness peerFinReceived() {
    tcb.rcvNxt = Seq.add(tcb.rcvNxt, 1);
    tcb.endOfFile = true;
    return this;
  }

  /**
   * The application wrote {@code bytes} and they went out at {@code sentAt} (not yet
   * acknowledged): SND.NXT moved over them and the retransmission timer runs.
   */
  EndpointHarness dataSent(long bytes, long sentAt) {
    tcb.written += bytes;
    tcb.sndNxt = tcb.dataEnd();
    tcb.sndMax = tcb.sndNxt;
    tcb.retransmitAt = sentAt + tcb.rto.rto();
    return this;
  }

  /** Schedule the application's {@code action} at {@code at} (it fires when time passes it). */
  EndpointHarness appAt(Tcb.AppAction action, long at) {
    tcb.appAction = action;
    tcb.appAt = at;
    return this;
  }

  /** The application calls CLOSE at {@code t}; returns what was sent then. */
  List<Segment> closeAt(long t) {
    appAt(Tcb.AppAction.CLOSE, t);
    return advanceTo(t + 1);
  }

  /** A segment from the peer to us, advertising a 65535-byte window. */
  Segment fromPeer(int flags, int seq, int ack, int len) {
    return fromPeer(flags, seq, ack, len, 65535);
  }

  /** A segment from the peer to us, advertising {@code window}. */
  Segment fromPeer(int flags, int seq, int ack, int len, int window) {
    return new Segment(PEER_HOST, PEER_PORT, LOCAL_HOST, LOCAL_PORT, seq, ack, flags, window, len,
        false, 0, 1, peerEmit++, 0);
  }

  /** Deliver {@code s} at {@code t} and run the window up to {@code end}; returns what was sent. */
  List<Segment> deliver(Segment s, long t, long end) {
    return window(end, List.of(new Arrival(t, s, 0, false)));
  }

  List<Segment> deliver(Segment s, long t) {
    return deliver(s, t, t + 1);
  }

  /** Run a window with no arrivals up to {@code end} (timers fire); returns what was sent. */
  List<Segment> advanceTo(long end) {
    return window(end, List.of());
  }

  private List<Segment> window(long end, List<Arrival> arrivals) {
    assertTrue(!stopped, "the endpoint has stopped (it reached CLOSED in an earlier window)");
    kit.run(new EndpointMsg.RunWindow(end, arrivals, inbox.getRef()));
    EndpointMsg.EndpointDone done = inbox.receiveMessage();
    sent.addAll(done.out().segments);
    trace.addAll(done.out().trace);
    results.addAll(done.out().results);
    lastNextTimer = done.nextTimer();
    stopped = done.closed();
    return done.out().segments;
  }

  /** The state the endpoint is in now: the target of its last traced transition. */
  TcpState state() {
    TcpState s = initial;
    for (TraceEvent e : trace) if (e.kind() == TraceEvent.Kind.STATE) s = e.to();
    return s;
  }

  /** The state changes traced so far, as "FROM->TO". */
  List<String> transitions() {
    return trace.stream().filter(e -> e.kind() == TraceEvent.Kind.STATE)
        .map(e -> e.from() + "->" + e.to()).toList();
  }

  static void assertSegment(Segment s, int flags, int seq, int ack, int len) {
    assertEquals(Flags.names(flags), Flags.names(s.flags()), "flags of " + s);
    assertEquals(Seq.unsigned(seq), Seq.unsigned(s.seq()), "seq of " + s);
    if ((flags & Flags.ACK) != 0) assertEquals(Seq.unsigned(ack), Seq.unsigned(s.ack()), "ack of " + s);
    assertEquals(len, s.len(), "len of " + s);
  }

  /** Like {@link #assertSegment}, and the segment's retransmit mark. */
  static void assertSegment(Segment s, int flags, int seq, int ack, int len, boolean retransmit) {
    assertSegment(s, flags, seq, ack, len);
    assertEquals(retransmit, s.retransmit(), "retransmit mark of " + s);
  }

  /** The outcomes reported so far. */
  List<Outcome> outcomes() {
    return results.stream().map(EndpointResult::outcome).toList();
  }

  /** Exactly one result, with this outcome, ended at {@code endedAt}. */
  void assertEnded(Outcome outcome, long endedAt) {
    assertEquals(List.of(outcome), outcomes(), "outcomes");
    assertEquals(endedAt, results.get(0).endedAt(), "endedAt");
    assertEquals(TcpState.CLOSED, state());
    assertTrue(stopped, "the endpoint should have stopped");
  }

  static Segment only(List<Segment> segments) {
    assertEquals(1, segments.size(), "expected exactly one segment, got " + segments);
    return segments.get(0);
  }

  static void assertNothingSent(List<Segment> segments) {
    assertTrue(segments.isEmpty(), "expected no segment, got " + segments);
  }
}
