package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import tcpsim.tcp.TcpParams.SynCookies;

/**
 * SYN cookies at a listener (RFC 4987 §3.6, Linux net/ipv4/syncookies.c and tcp_conn_request):
 * when a SYN gets a cookie instead of a half-open entry, what the cookie SYN,ACK looks like,
 * that nothing of it is kept or retransmitted, and which ACKs make a connection from it.
 *
 * <p>The listener is host 1 port 80 with a SYN backlog of {@value #BACKLOG} and MSS 1400 (which a
 * cookie rounds down to 1300); client {@code i} is host 0 port 1000+i, connection id {@code i}.
 * Stateful entries get ISS {@value #ISS}; the client's ISN is {@value #IRS}.
 */
class SynCookieTest {
  private static final int SERVER = 1;
  private static final int PORT = 80;
  private static final int CLIENT = 0;
  private static final int BACKLOG = 2;
  private static final int ISS = 9000;
  private static final int IRS = 5000;
  private static final long SECRET = 42;

  private Listener listener;
  private Outbox out = new Outbox();
  private int clientEmit;

  private static TcpParams params(SynCookies mode) {
    return params(mode, 1400);
  }

  private static TcpParams params(SynCookies mode, int mss) {
    return new TcpParams(mss, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 15, 120 * S, BACKLOG, 128,
        mode);
  }

  private static Listener listener(TcpParams params, long secret) {
    return new Listener(SERVER, PORT, params, origin -> ISS, secret);
  }

  private Segment fromClient(int i, int flags, int seq, int ack, int len) {
    return new Segment(CLIENT, 1000 + i, SERVER, PORT, seq, ack, flags, 65535, len, false, i,
        (long) i << 1, clientEmit++, 0);
  }

  private Segment syn(int i) {
    return fromClient(i, Flags.SYN, IRS, 0, 0);
  }

  /** Hand {@code s} to the listener at {@code now}; returns the handoff, if any. */
  private Listener.Handoff deliver(Segment s, long now) {
    out = new Outbox();
    return listener.onSegment(s, now, out, AppScript.idle());
  }

  /** Hand {@code s} to the listener at {@code now}, expecting no handoff; returns what it sent. */
  private List<Segment> receive(Segment s, long now) {
    assertNull(deliver(s, now), "no connection should be made here");
    return out.segments;
  }

  /** Fill the SYN backlog with clients 1..BACKLOG at time 0. */
  private void fillBacklog() {
    for (int i = 1; i <= BACKLOG; i++) {
      assertSegment(only(receive(syn(i), 0)), Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, false);
    }
    assertEquals(BACKLOG, listener.halfOpenCount());
  }

  /** ON_OVERFLOW with a full backlog: client 3's SYN at {@code at} gets a cookie; returns it. */
  private int cookieFor3(long at) {
    return cookieFor3(at, 1400);
  }

  /** Like {@link #cookieFor3(long)}, the listener's MSS being {@code mss}. */
  private int cookieFor3(long at, int mss) {
    listener = listener(params(SynCookies.ON_OVERFLOW, mss), SECRET);
    fillBacklog();
    Segment synAck = only(receive(syn(3), at));
    return synAck.seq();
  }

  private List<TraceEvent> traced(TraceEvent.Kind kind) {
    return out.trace.stream().filter(e -> e.kind() == kind).toList();
  }

  // ------------------------------------------------------------------------------------ OFF

  @Test
  void off_synWithBacklogFull_isDropped_withoutSynAck() {
    listener = listener(params(SynCookies.OFF), SECRET);
    fillBacklog();
    assertNothingSent(receive(syn(3), 1 * MS));
    assertEquals(BACKLOG, listener.halfOpenCount());
    assertEquals(1, listener.stats().synDropped);
    assertEquals(0, listener.stats().cookiesSent);
    List<TraceEvent> drops = traced(TraceEvent.Kind.DROP);
    assertEquals(1, drops.size());
    assertEquals(DropReason.SYN_BACKLOG_FULL, drops.get(0).reason());
    assertEquals(3, drops.get(0).conn());
    assertEquals(Flags.SYN, drops.get(0).flags());
  }

  @Test
  void off_isTheRfcProfile_andOnOverflowTheLinuxOne() {
    assertEquals(SynCookies.OFF, TcpParams.rfc().synCookies());
    assertEquals(SynCookies.ON_OVERFLOW, TcpParams.linux().synCookies());
    assertEquals(SynCookies.OFF, new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 15,
        120 * S, 128, 128).synCookies(), "the eleven-parameter constructor means no cookies");
    assertEquals(SynCookies.ALWAYS, TcpParams.rfc().withSynCookies(SynCookies.ALWAYS)
        .withMsl(1 * S).synCookies(), "withMsl keeps the cookie mode");
    assertEquals(SynCookies.ON_OVERFLOW, SynCookies.fromSysctl(1));
    assertEquals(2, SynCookies.ALWAYS.sysctl());
  }

  // ----------------------------------------------------------------------------- ON_OVERFLOW

  @Test
  void onOverflow_synWithBacklogFull_getsCookieSynAck_andLeavesNoState() {
    listener = listener(params(SynCookies.ON_OVERFLOW), SECRET);
    fillBacklog();
    Segment synAck = only(receive(syn(3), 10 * S));
    int expected = new SynCookie(SECRET).make(SERVER, PORT, CLIENT, 1003, IRS, 10 * S,
        SynCookie.mssIndex(1400));
    assertSegment(synAck, Flags.SYN | Flags.ACK, expected, IRS + 1, 0, false);
    assertEquals(CLIENT, synAck.dstHost());
    assertEquals(1003, synAck.dstPort());
    assertEquals(3, synAck.conn(), "the connection id ties it to client 3 in traces");
    assertEquals(65535, synAck.window());
    assertEquals(BACKLOG, listener.halfOpenCount(), "no half-open entry for a cookie");
    assertEquals(BACKLOG, listener.stats().synBacklogPeak);
    assertEquals(1, listener.stats().cookiesSent);
    assertEquals(0, listener.stats().synDropped);
    List<TraceEvent> sends = traced(TraceEvent.Kind.SEND);
    assertEquals(1, sends.size(), "the cookie SYN,ACK is traced like any segment");
    assertEquals(synAck.origin(), sends.get(0).origin());
    assertEquals(synAck.emitIndex(), sends.get(0).index());
    assertEquals(1, traced(TraceEvent.Kind.RECV).size(), "and so is the SYN it answers");
    assertTrue(traced(TraceEvent.Kind.STATE).isEmpty(), "no state: nothing enters SYN-RECEIVED");
  }

  @Test
  void onOverflow_cookieSynAck_isNeverRetransmitted() {
    int cookie = cookieFor3(1 * MS);
    List<Segment> resent = new ArrayList<>();
    List<Long> times = new ArrayList<>();
    while (listener.nextTimer() != Tcb.NEVER_TIME) {
      long t = listener.nextTimer();
      out = new Outbox();
      listener.fireTimer(t, out);
      resent.addAll(out.segments);
      times.add(t);
    }
    // Only the two stateful entries: 5 SYN,ACK retransmissions each (1, 3, 7, 15, 31 s), then
    // removal at 63 s; the cookie SYN,ACK has no timer at all.
    assertEquals(2 * 5, resent.size());
    for (Segment s : resent) {
      assertSegment(s, Flags.SYN | Flags.ACK, ISS, IRS + 1, 0, true);
      assertNotEquals(Seq.unsigned(cookie), Seq.unsigned(s.seq()));
    }
    assertEquals(63 * S, times.get(times.size() - 1));
    assertEquals(10, listener.stats().synAckRetransmits);
    assertEquals(0, listener.halfOpenCount());
  }

  @Test
  void onOverflow_clientsAckOfTheCookie_makesTheConnection_withMssRoundedDown() {
    int cookie = cookieFor3(10 * S);
    Segment ack = fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0);
    Listener.Handoff h = deliver(ack, 10 * S + 40 * MS);
    assertNotNull(h, "a valid cookie makes the connection");
    assertNothingSent(out.segments);
    assertEquals(ack, h.ack());
    Tcb tcb = h.tcb();
    assertEquals(cookie, tcb.iss);
    assertEquals(IRS, tcb.irs);
    assertEquals(IRS + 1, tcb.rcvNxt);
    assertEquals(cookie, tcb.sndUna);
    assertEquals(cookie + 1, tcb.sndNxt);
    assertEquals(1300, tcb.sendMss, "MSS 1400 travels in the cookie as msstab's 1300");
    assertEquals(3, tcb.conn);
    assertEquals(Listener.serverOrigin(3), tcb.origin);
    assertEquals(false, tcb.client);
    assertEquals(SERVER, tcb.localHost);
    assertEquals(PORT, tcb.localPort);
    assertEquals(CLIENT, tcb.remoteHost);
    assertEquals(1003, tcb.remotePort);
    assertEquals(10 * S + 40 * MS, tcb.openedAt, "nothing was kept of the SYN's arrival");
    assertEquals(1, listener.stats().cookiesAccepted);
    assertEquals(0, listener.stats().cookiesRejected);
    assertEquals(1, listener.stats().accepted);
    assertEquals(BACKLOG, listener.halfOpenCount(), "the stateful entries are untouched");
    assertEquals(List.of("LISTEN->SYN_RECEIVED"), traced(TraceEvent.Kind.STATE).stream()
        .map(e -> e.from() + "->" + e.to()).toList());
    assertEquals(Listener.serverOrigin(3), traced(TraceEvent.Kind.STATE).get(0).origin());
    assertTrue(traced(TraceEvent.Kind.RECV).isEmpty(), "the new endpoint traces the ACK");
  }

  @Test
  void cookieConnection_reachesEstablished_andSendsSegmentsOfTheRoundedMss() {
    int cookie = cookieFor3(10 * S);
    AppScript writesFirst = new AppScript(3000, -1, 0, false, 0, 0, -1, 0, 0);
    Segment ack = fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0);
    out = new Outbox();
    Listener.Handoff h = listener.onSegment(ack, 10 * S + 40 * MS, out, writesFirst);
    EndpointHarness b = EndpointHarness.passive(h.tcb());
    List<Segment> sent = b.deliver(h.ack(), 10 * S + 40 * MS);
    assertEquals(TcpState.ESTABLISHED, b.state());
    assertEquals(List.of(1300, 1300, 400), sent.stream().map(Segment::len).toList());
    assertEquals(false, b.tcb.rto.hasSample(), "no RTT sample from a cookie SYN,ACK");
  }

  // The mss index is added to the cookie's low bits, and Linux checks only that what comes out
  // is below 4 (__cookie_v4_check). So an ACK a little off decodes to a neighbouring index; with
  // MSS 1460 (index 3, the top of msstab) one more is out of range, one less is index 2.

  @Test
  void onOverflow_ackOneAboveTheCookie_isRejected_withRstOfItsAck() {
    int cookie = cookieFor3(10 * S, 1460);
    Segment rst = only(receive(fromClient(3, Flags.ACK, IRS + 1, cookie + 2, 0), 10 * S + 40 * MS));
    assertSegment(rst, Flags.RST, cookie + 2, 0, 0);
    assertEquals(1003, rst.dstPort());
    assertEquals(1, listener.stats().cookiesRejected);
    assertEquals(1, listener.stats().resetsSent);
    assertEquals(0, listener.stats().cookiesAccepted);
    assertEquals(0, listener.stats().accepted);
    assertEquals(BACKLOG, listener.halfOpenCount());
    assertEquals(1, traced(TraceEvent.Kind.RECV).size(), "the rejected ACK is traced as received");
  }

  @Test
  void onOverflow_ackClaimingAnIsnOneBelow_isRejected() {
    int cookie = cookieFor3(10 * S, 1460);
    Segment rst = only(receive(fromClient(3, Flags.ACK, IRS, cookie + 1, 0), 10 * S + 40 * MS));
    assertSegment(rst, Flags.RST, cookie + 1, 0, 0);
    assertEquals(1, listener.stats().cookiesRejected);
  }

  @Test
  void onOverflow_ackOneBelowTheCookie_decodesToTheNextLowerMss_andIsAccepted_asInLinux() {
    int cookie = cookieFor3(10 * S, 1460);
    Listener.Handoff h = deliver(fromClient(3, Flags.ACK, IRS + 1, cookie, 0), 10 * S + 40 * MS);
    assertNotNull(h);
    assertEquals(cookie - 1, h.tcb().iss, "the ISS is what the ACK says, SEG.ACK - 1");
    assertEquals(1440, h.tcb().sendMss);
    assertEquals(1, listener.stats().cookiesAccepted);
    assertEquals(0, listener.stats().cookiesRejected);
  }

  @Test
  void onOverflow_cookieEchoedFromAnother4Tuple_isRejected() {
    int cookie = cookieFor3(10 * S);
    // Client 4 (port 1004) never sent a SYN; it replays client 3's numbers.
    Segment rst = only(receive(fromClient(4, Flags.ACK, IRS + 1, cookie + 1, 0), 10 * S + 40 * MS));
    assertSegment(rst, Flags.RST, cookie + 1, 0, 0);
    assertEquals(1004, rst.dstPort());
    assertEquals(1, listener.stats().cookiesRejected);
    assertEquals(0, listener.stats().cookiesAccepted);
    assertEquals(BACKLOG, listener.halfOpenCount());
  }

  @Test
  void cookie_isValidInItsCounterAndTheNext_butNotTwoCountersLater() {
    // Made at 10 s (counter 0 of 60 s); at 100 s the counter is 1: still valid.
    int cookie = cookieFor3(10 * S);
    assertNotNull(deliver(fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0), 100 * S));
    assertEquals(1, listener.stats().cookiesAccepted);

    // The same cookie at 125 s, counter 2: too old (MAX_SYNCOOKIE_AGE = 2), though only 115 s
    // passed, which is within the 120 s that the listener still checks ACKs for cookies.
    cookie = cookieFor3(10 * S);
    Segment rst = only(receive(fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0), 125 * S));
    assertSegment(rst, Flags.RST, cookie + 1, 0, 0);
    assertEquals(1, listener.stats().cookiesRejected);
    assertEquals(0, listener.stats().cookiesAccepted);
  }

  @Test
  void ackLongAfterTheLastCookie_isNotCheckedForOne_justAnAckInListen() {
    int cookie = cookieFor3(10 * S);
    // 121 s after the last cookie: tcp_synq_no_recent_overflow says no flood, no check.
    Segment rst = only(receive(fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0), 131 * S));
    assertSegment(rst, Flags.RST, cookie + 1, 0, 0);
    assertEquals(0, listener.stats().cookiesRejected);
    assertEquals(1, listener.stats().resetsSent);
  }

  @Test
  void onOverflow_beforeAnyCookie_anAckInListenIsNotCheckedForOne() {
    listener = listener(params(SynCookies.ON_OVERFLOW), SECRET);
    Segment rst = only(receive(fromClient(3, Flags.ACK, IRS + 1, 4321, 0), 10 * MS));
    assertSegment(rst, Flags.RST, 4321, 0, 0);
    assertEquals(0, listener.stats().cookiesRejected);
  }

  @Test
  void validCookieAck_withAcceptQueueFull_isDroppedAndTraced_withNothingKept() {
    listener = new Listener(SERVER, PORT, new TcpParams(1400, 65535, 1 * S, 1 * S, 60 * S, 6, 5,
        15, 120 * S, BACKLOG, 0, SynCookies.ALWAYS), origin -> ISS, SECRET);
    int cookie = only(receive(syn(3), 10 * S)).seq();
    assertNothingSent(receive(fromClient(3, Flags.ACK, IRS + 1, cookie + 1, 0), 10 * S + 40 * MS));
    List<TraceEvent> drops = traced(TraceEvent.Kind.DROP);
    assertEquals(1, drops.size());
    assertEquals(DropReason.ACCEPT_QUEUE_FULL, drops.get(0).reason());
    assertEquals(0, listener.stats().cookiesAccepted);
    assertEquals(0, listener.stats().cookiesRejected);
    assertEquals(0, listener.stats().resetsSent);
    assertEquals(0, listener.halfOpenCount());
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer());
  }

  // ---------------------------------------------------------------------------------- ALWAYS

  @Test
  void always_evenTheFirstSyn_getsACookie_andNoState() {
    listener = listener(params(SynCookies.ALWAYS), SECRET);
    Segment synAck = only(receive(syn(1), 10 * S));
    int expected = new SynCookie(SECRET).make(SERVER, PORT, CLIENT, 1001, IRS, 10 * S, 1);
    assertSegment(synAck, Flags.SYN | Flags.ACK, expected, IRS + 1, 0, false);
    assertEquals(0, listener.halfOpenCount());
    assertEquals(0, listener.stats().synBacklogPeak);
    assertEquals(1, listener.stats().cookiesSent);
    assertEquals(Tcb.NEVER_TIME, listener.nextTimer(), "no SYN,ACK timer");

    Listener.Handoff h = deliver(fromClient(1, Flags.ACK, IRS + 1, expected + 1, 0),
        10 * S + 40 * MS);
    assertNotNull(h);
    assertEquals(expected, h.tcb().iss);
    assertEquals(1, listener.stats().cookiesAccepted);
  }

  @Test
  void always_aResentSyn_getsAnotherCookieSynAck_theSameWithinTheCounter() {
    listener = listener(params(SynCookies.ALWAYS), SECRET);
    Segment first = only(receive(syn(1), 10 * S));
    Segment again = only(receive(syn(1), 11 * S));
    assertEquals(first.seq(), again.seq());
    assertEquals(false, again.retransmit(), "a fresh answer, not a retransmission");
    assertNotEquals(first.emitIndex(), again.emitIndex(), "each SYN,ACK is its own segment");
    assertEquals(2, listener.stats().cookiesSent);
    assertEquals(0, listener.stats().synAckRetransmits);
  }

  // ----------------------------------------------------------------------------- determinism

  @Test
  void sameInputs_giveTheSameCookie_anotherSecretAnotherOne() {
    Listener a = listener(params(SynCookies.ALWAYS), SECRET);
    Listener b = listener(params(SynCookies.ALWAYS), SECRET);
    Listener c = listener(params(SynCookies.ALWAYS), SECRET + 1);
    int ca = cookieFrom(a);
    assertEquals(ca, cookieFrom(b));
    assertNotEquals(ca, cookieFrom(c));
  }

  @Test
  void theSecret_comesFromTheIssFunction_soFromTheScenarioSeed() {
    TcpParams p = params(SynCookies.ALWAYS);
    int a = cookieFrom(new Listener(SERVER, PORT, p, origin -> (int) (origin * 31 + 7)));
    int b = cookieFrom(new Listener(SERVER, PORT, p, origin -> (int) (origin * 31 + 7)));
    int c = cookieFrom(new Listener(SERVER, PORT, p, origin -> (int) (origin * 31 + 8)));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  private int cookieFrom(Listener l) {
    Outbox o = new Outbox();
    l.onSegment(syn(1), 10 * S, o, AppScript.idle());
    return only(o.segments).seq();
  }

  // ------------------------------------------------------------------------ the arithmetic

  @Test
  void mssIndex_isTheLargestMsstabEntryNotAboveTheMss() {
    assertEquals(0, SynCookie.mssIndex(400)); // below every entry: 536, as Linux
    assertEquals(0, SynCookie.mssIndex(536));
    assertEquals(0, SynCookie.mssIndex(1299));
    assertEquals(1, SynCookie.mssIndex(1400));
    assertEquals(2, SynCookie.mssIndex(1452));
    assertEquals(3, SynCookie.mssIndex(1460));
    assertEquals(3, SynCookie.mssIndex(8960));
  }

  @Test
  void everyMssIndex_survivesTheRoundTrip_andAForgedCookieFails() {
    SynCookie cookies = new SynCookie(SECRET);
    for (int i = 0; i < SynCookie.MSS_TABLE.length; i++) {
      int c = cookies.make(SERVER, PORT, CLIENT, 1001, IRS, 70 * S, i);
      assertEquals(i, cookies.check(c, SERVER, PORT, CLIENT, 1001, IRS, 70 * S));
      assertEquals(i, cookies.check(c, SERVER, PORT, CLIENT, 1001, IRS, 179 * S), "counter + 1");
      assertEquals(-1, cookies.check(c, SERVER, PORT, CLIENT, 1001, IRS, 180 * S), "counter + 2");
      assertEquals(-1, cookies.check(c, SERVER, PORT, CLIENT, 1001, IRS, 59 * S), "from the future");
    }
    int c = cookies.make(SERVER, PORT, CLIENT, 1001, IRS, 70 * S, 3);
    assertEquals(-1, new SynCookie(SECRET + 1).check(c, SERVER, PORT, CLIENT, 1001, IRS, 70 * S));
    assertEquals(-1, cookies.check(c, SERVER, 81, CLIENT, 1001, IRS, 70 * S));
    assertEquals(-1, cookies.check(c, SERVER, PORT, 2, 1001, IRS, 70 * S));
  }
}
