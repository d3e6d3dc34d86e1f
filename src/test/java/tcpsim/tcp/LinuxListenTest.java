package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.tcp.EndpointHarness.MS;
import static tcpsim.tcp.EndpointHarness.S;
import static tcpsim.tcp.EndpointHarness.assertNothingSent;
import static tcpsim.tcp.EndpointHarness.assertSegment;
import static tcpsim.tcp.EndpointHarness.only;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;

/**
 * The listener under {@code profile: linux} (docs/linux-profile.md §4, §5): the SYN queue's
 * {@code >} test, the request timer (1 s doubling, young/old pruning, silent expiry), duplicate
 * SYNs rate-limited, the accept-queue and unproven-peer SYN drops, and their counters.
 *
 * <p>The listener is host 1 port 80; client {@code i} is host {@code 100 + i} (its own address,
 * so peers can be told apart), port 1000, connection {@code i}. Every request gets ISS
 * {@value #ISS}; every client's ISN is {@value #IRS}.
 */
class LinuxListenTest {
  private static final int SERVER = 1;
  private static final int PORT = 80;
  private static final int ISS = 9000;
  private static final int IRS = 5000;

  private Listener listener;
  private Outbox out = new Outbox();
  private int clientEmit;

  /** A linux-profile listener with {@code listen(fd, backlog)} and these further tcp keys. */
  private static Listener listener(int backlog, String tcpKeys) {
    TcpParams p = LinuxParams.with(tcpKeys).withListenBacklog(backlog);
    return new Listener(SERVER, PORT, p, origin -> ISS, 42);
  }

  private Segment fromClient(int i, int flags, int seq, int ack, int len) {
    return new Segment(100 + i, 1000, SERVER, PORT, seq, ack, flags, 65535, len, false, i,
        (long) i << 1, clientEmit++, 0);
  }

  private Segment syn(int i) {
    return fromClient(i, Flags.SYN, IRS, 0, 0);
  }

  private Segment finalAck(int i) {
    return fromClient(i, Flags.ACK, IRS + 1, ISS + 1, 0);
  }

  private List<Segment> receive(Segment s, long now) {
    out = new Outbox();
    assertNull(listener.onSegment(s, now, out, AppScript.idle()), "no handshake completes here");
    return out.segments;
  }

  private Listener.Handoff complete(Segment ack, long now) {
    out = new Outbox();
    Listener.Handoff h = listener.onSegment(ack, now, out, AppScript.idle());
    assertNotNull(h, "the handshake completes");
    return h;
  }

  /** Fire every listener timer due up to {@code until}; returns what went out. */
  private List<Segment> runTimersUntil(long until) {
    List<Segment> sent = new ArrayList<>();
    while (listener.nextTimer() <= until) {
      Outbox o = new Outbox();
      listener.fireTimer(listener.nextTimer(), o);
      sent.addAll(o.segments);
      out.trace.addAll(o.trace);
      out.results.addAll(o.results);
    }
    return sent;
  }

  private List<TraceEvent> drops() {
    return out.trace.stream().filter(e -> e.kind() == TraceEvent.Kind.DROP).toList();
  }

  // ----------------------------------------------------------------- the SYN queue's size

  @Test
  void synQueue_holdsBacklogPlusOne_theNextSynIsDropped() { // inet_csk_reqsk_queue_is_full: >
    listener = listener(2, "synCookies: off");
    for (int i = 1; i <= 3; i++) {
      assertSegment(only(receive(syn(i), 0)), Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, false);
    }
    assertEquals(3, listener.halfOpenCount());
    assertNothingSent(receive(syn(4), 1 * MS));
    assertEquals(3, listener.halfOpenCount());
    assertEquals(3, listener.stats().synBacklogPeak);
    assertEquals(1, listener.stats().synDropped);
    assertEquals(1, listener.stats().listenDrops);
    assertEquals(0, listener.stats().listenOverflows);
    assertEquals(DropReason.SYN_BACKLOG_FULL, only(drops()).reason());
  }

  @Test
  void synQueue_withTcpReqskFullGe_holdsBacklog_asBefore2025() {
    listener = listener(2, "synCookies: off, sysctl: {tcp_reqsk_full: ge}");
    receive(syn(1), 0);
    receive(syn(2), 0);
    assertNothingSent(receive(syn(3), 1 * MS));
    assertEquals(2, listener.halfOpenCount());
    assertEquals(1, listener.stats().synDropped);
  }

  @Test
  void withCookies_aSynFindingBacklogPlusOneRequests_getsACookie() {
    listener = listener(2, "synCookies: on-overflow");
    for (int i = 1; i <= 3; i++) receive(syn(i), 0);
    assertEquals(0, listener.stats().cookiesSent, "backlog + 1 requests before the first cookie");
    Segment cookie = only(receive(syn(4), 1 * MS));
    assertEquals(Flags.SYN | Flags.ACK, cookie.flags());
    assertEquals(1, listener.stats().cookiesSent);
    assertEquals(0, listener.stats().listenDrops);
  }

  // ------------------------------------------------------------------ the request timer

  @Test
  void requestTimer_isOneSecondDoubling_whateverRtoInitial_andExpirySendsNothing() {
    // TCP_TIMEOUT_INIT, not the RTO knobs: rtoInitial 3 s changes nothing here.
    listener = listener(128, "rtoInitial: 3s");
    receive(syn(1), 0);
    List<Long> at = new ArrayList<>();
    for (int n = 0; n < 5; n++) {
      long t = listener.nextTimer();
      Segment again = only(runTimersUntil(t));
      assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
      at.add(t / S);
    }
    assertEquals(List.of(1L, 3L, 7L, 15L, 31L), at);
    assertEquals(63 * S, listener.nextTimer());
    assertNothingSent(runTimersUntil(63 * S));
    assertEquals(0, listener.halfOpenCount());
    assertEquals(Outcome.SYNACK_TIMEOUT, only(out.results).outcome());
    assertEquals(63 * S, out.results.get(0).endedAt());
    assertEquals(5, listener.stats().synAckRetransmits);
  }

  private static <T> T only(List<T> list) {
    assertEquals(1, list.size(), "expected exactly one, got " + list);
    return list.get(0);
  }

  @Test
  void pruning_queueMoreThanHalfFullOfOldRequests_dropsThemAtTheirThirdFiring_7s() {
    // Backlog 8: 9 requests at 0. At 1 s all are young (Q = 9 < 2Y): limit 5, all resent. At
    // 3 s none is young (Y = 0): the limit falls to 2, and at 7 s each old request expires
    // while 2Q > max(8, backlog) — five of them; the last four (2·4 = 8) live on to 63 s.
    listener = listener(8, "synCookies: off");
    for (int i = 1; i <= 9; i++) receive(syn(i), 0);
    assertEquals(9, runTimersUntil(1 * S).size());
    assertEquals(9, runTimersUntil(3 * S).size());
    assertNothingSent(runTimersUntil(7 * S - 1));
    List<Segment> at7 = runTimersUntil(7 * S);
    assertEquals(4, at7.size(), "the four survivors are resent");
    assertEquals(4, listener.halfOpenCount());
    assertEquals(5, out.results.size());
    for (EndpointResult r : out.results) {
      assertEquals(Outcome.SYNACK_TIMEOUT, r.outcome());
      assertEquals(7 * S, r.endedAt());
      assertTrue(r.conn() <= 5, "the first to fire go first: " + r.conn());
    }
    out = new Outbox();
    runTimersUntil(63 * S);
    assertEquals(4, out.results.size());
    for (EndpointResult r : out.results) assertEquals(63 * S, r.endedAt());
  }

  @Test
  void pruning_youngRequestsKeepTheLimit_untilTheyAreOutnumbered() {
    // Backlog 16: 9 requests at 0, old (fired twice) by 7 s, and 5 young ones at 6.5 s.
    listener = listener(16, "synCookies: off");
    for (int i = 1; i <= 9; i++) receive(syn(i), 0); // old by 7 s
    runTimersUntil(3 * S);
    for (int i = 10; i <= 14; i++) receive(syn(i), 6500 * MS); // young at 7 s
    // At 7 s: Q = 14, 2Q = 28 > 16; Y = 5, threshold 10: 14 >= 10 → limit 4, threshold 20:
    // 14 < 20 → stop. The old ones (2 firings) are resent, not dropped.
    out = new Outbox();
    assertEquals(9, runTimersUntil(7 * S).size());
    assertTrue(out.results.isEmpty(), "limit 4 > 2 firings: nobody expires at 7 s");
    assertEquals(14, listener.halfOpenCount());
  }

  // ------------------------------------------------------------------- duplicate SYNs

  @Test
  void duplicateSyn_isAnsweredAtMostOncePer500ms_andReArmsTheRequestTimer() {
    listener = listener(128, "");
    receive(syn(1), 0);
    assertEquals(1 * S, listener.nextTimer());
    // The first duplicate is answered at once (nothing answered before), timer now + 1 s.
    Segment again = only(receive(syn(1), 100 * MS));
    assertSegment(again, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
    assertEquals(1100 * MS, listener.nextTimer());
    // Within 500 ms of that answer: nothing, and the timer stays.
    assertNothingSent(receive(syn(1), 599 * MS));
    assertEquals(1100 * MS, listener.nextTimer());
    // 500 ms after it: answered again, timer re-armed.
    only(receive(syn(1), 600 * MS));
    assertEquals(1600 * MS, listener.nextTimer());
    assertEquals(2, listener.stats().synAckRetransmits);
    // The timer's own SYN,ACK does not count for the rate limit, and re-arms with the doubled
    // timeout: after the firing at 1.6 s (one firing), a duplicate at 1.7 s → 1.7 + 2 s.
    only(runTimersUntil(1600 * MS));
    assertEquals(3600 * MS, listener.nextTimer());
    only(receive(syn(1), 1700 * MS));
    assertEquals(3700 * MS, listener.nextTimer());
  }

  @Test
  void synWithAnotherIsnInTheRequestsWindow_isResetAndTheRequestDropped() {
    listener = listener(128, "");
    receive(syn(1), 0);
    assertEquals(1, listener.halfOpenCount());
    // tcp_check_req: an in-window SYN that is not the retransmitted one -> embryonic reset.
    Segment rst = only(receive(fromClient(1, Flags.SYN, IRS + 10, 0, 0), 100 * MS));
    assertSegment(rst, Flags.RST | Flags.ACK, 0, IRS + 11, 0, false);
    assertEquals(0, listener.halfOpenCount());
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer(), "its SYN,ACK timer is gone too");
    // Outside the window it changes nothing (Linux would answer with a rate-limited ACK).
    receive(syn(2), 200 * MS);
    assertNothingSent(receive(fromClient(2, Flags.SYN, IRS - 5, 0, 0), 300 * MS));
    assertEquals(1, listener.halfOpenCount());
  }

  @Test
  void duplicateSyn_rfcProfile_isAnsweredEveryTime_andLeavesTheTimer() {
    listener = new Listener(SERVER, PORT, TcpParams.rfc(), origin -> ISS, 42);
    receive(syn(1), 0);
    only(receive(syn(1), 100 * MS));
    only(receive(syn(1), 200 * MS));
    assertEquals(1 * S, listener.nextTimer());
  }

  @Test
  void afterAResentSynAck_theHandshakeGivesNoRttSample_andDoesNotProveThePeer() {
    listener = listener(128, "");
    receive(syn(1), 0);
    receive(syn(1), 100 * MS);
    Tcb tcb = complete(finalAck(1), 150 * MS).tcb();
    assertFalse(tcb.rttTiming, "Karn: the SYN,ACK was sent twice");
    assertTrue(tcb.synRetransmitted);
  }

  @Test
  void outOfWindowAckToARequest_isAnsweredAtMostOncePer500ms() {
    listener = listener(128, "");
    receive(syn(1), 0);
    Segment oow = fromClient(1, Flags.ACK, IRS + 1 + 70000, ISS + 1, 0);
    assertSegment(only(receive(oow, 10 * MS)), Flags.ACK, ISS + 1, IRS + 1, 0);
    assertNothingSent(receive(oow, 20 * MS));
    assertSegment(only(receive(oow, 510 * MS)), Flags.ACK, ISS + 1, IRS + 1, 0);
    // With data it is never limited.
    assertEquals(1, receive(fromClient(1, Flags.ACK, IRS + 1 + 70000, ISS + 1, 10), 520 * MS)
        .size());
  }

  @Test
  void lateAckForAnExpiredRequest_getsRst() { // §4, §8.5: the listener's ACK-in-LISTEN answer
    listener = listener(128, "");
    receive(syn(1), 0);
    runTimersUntil(63 * S);
    assertEquals(0, listener.halfOpenCount());
    Segment rst = only(receive(fromClient(1, Flags.ACK, IRS + 1, ISS + 1, 100), 70 * S));
    assertSegment(rst, Flags.RST, ISS + 1, 0, 0);
  }

  // --------------------------------------------------------------- the accept queue

  @Test
  void synWhileTheAcceptQueueIsFull_isDropped_evenWithCookies() {
    // The application accepts at once, so a test holds connections in the queue by hand:
    // backlog 2, three waiting (> 2) is full.
    listener = listener(2, "synCookies: always");
    listener.stats().acceptQueue = 3;
    assertNothingSent(receive(syn(1), 0));
    assertEquals(DropReason.ACCEPT_QUEUE_FULL, only(drops()).reason());
    assertEquals(1, listener.stats().listenOverflows);
    assertEquals(1, listener.stats().listenDrops);
    assertEquals(1, listener.stats().synDropped);
    assertEquals(0, listener.stats().cookiesSent);
  }

  @Test
  void acceptQueue_holdsBacklogPlusOne_soASynFindingBacklogWaitingIsQueued() {
    listener = listener(2, "synCookies: off");
    listener.stats().acceptQueue = 2;
    assertEquals(1, receive(syn(1), 0).size());
    assertEquals(1, listener.halfOpenCount());
  }

  @Test
  void finalAckWithTheAcceptQueueFull_isDropped_andCounted_theRequestStays() {
    listener = listener(2, "");
    receive(syn(1), 0);
    listener.stats().acceptQueue = 3;
    assertNothingSent(receive(finalAck(1), 10 * MS));
    assertEquals(1, listener.halfOpenCount());
    assertEquals(1, listener.stats().listenOverflows);
    assertEquals(1, listener.stats().listenDrops);
    assertEquals(0, listener.stats().synDropped);
    assertEquals(DropReason.ACCEPT_QUEUE_FULL, only(drops()).reason());
  }

  @Test
  void finalAckWithTheAcceptQueueFull_andAbortOnOverflow_getsRst_andTheRequestIsGone() {
    listener = listener(2, "sysctl: {tcp_abort_on_overflow: true}");
    receive(syn(1), 0);
    listener.stats().acceptQueue = 3;
    assertSegment(only(receive(finalAck(1), 10 * MS)), Flags.RST, ISS + 1, 0, 0);
    assertEquals(0, listener.halfOpenCount());
    assertEquals(Outcome.RESET, only(out.results).outcome());
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer());
  }

  // ------------------------------------------------------ the ¾ rule for unproven peers

  @Test
  void cookiesOff_lastQuarterOfMaxSynBacklog_isKeptForProvenPeers() {
    // tcp_max_syn_backlog 8: a SYN from an unproven peer is dropped while 8 - Q < 2, i.e. from
    // Q = 7 on. Client 1 completes a handshake first (its SYN,ACK timed): proven.
    listener = listener(100, "synCookies: off, sysctl: {tcp_max_syn_backlog: 8}");
    receive(syn(1), 0);
    assertTrue(complete(finalAck(1), 2 * MS).tcb().rttTiming, "a timed SYN,ACK");
    for (int i = 2; i <= 8; i++) assertEquals(1, receive(syn(i), 10 * MS).size());
    assertEquals(7, listener.halfOpenCount());
    assertNothingSent(receive(syn(9), 20 * MS)); // unproven, Q = 7
    assertEquals(DropReason.SYN_BACKLOG_FULL, only(drops()).reason());
    assertEquals(1, listener.stats().synDropped);
    assertEquals(1, listener.stats().listenDrops);
    // Client 1's host, proven, still gets a request (another port: a new connection).
    Segment again = new Segment(101, 1001, SERVER, PORT, IRS, 0, Flags.SYN, 65535, 0, false,
        20, 40, 0, 0);
    assertEquals(1, receive(again, 30 * MS).size());
    assertEquals(8, listener.halfOpenCount());
    // A peer is proven for an hour (TCP_METRICS_TIMEOUT).
    Segment later = new Segment(101, 1002, SERVER, PORT, IRS, 0, Flags.SYN, 65535, 0, false,
        21, 42, 0, 0);
    assertNothingSent(receive(later, 2 * MS + 3600 * S));
  }

  @Test
  void withCookiesOn_theQuarterRuleDoesNotApply() {
    listener = listener(100, "synCookies: on-overflow, sysctl: {tcp_max_syn_backlog: 8}");
    for (int i = 2; i <= 9; i++) assertEquals(1, receive(syn(i), 10 * MS).size());
    assertEquals(8, listener.halfOpenCount());
    assertEquals(0, listener.stats().synDropped);
  }

  @Test
  void rfcProfile_hasNoQuarterRule_andTheOldFullTest() {
    listener = new Listener(SERVER, PORT, TcpParams.rfc().withListenBacklog(2), origin -> ISS,
        42);
    receive(syn(1), 0);
    receive(syn(2), 0);
    assertNothingSent(receive(syn(3), 0));
    assertEquals(2, listener.halfOpenCount());
  }
}
