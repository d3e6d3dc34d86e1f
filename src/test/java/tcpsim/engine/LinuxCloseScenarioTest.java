package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpState;

/**
 * The close scenarios of docs/linux-profile.md §8 end to end, client host 0, server host 1, 1 ms
 * each way. Delayed ACKs and options are not asserted here (other parts of issue 7): only the
 * resets, states, outcomes and times that close() and TIME-WAIT decide.
 */
class LinuxCloseScenarioTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;
  private static final int CLIENT = 0;
  private static final int SERVER = 1;
  private static final String CLASSIC_SERVER =
      "[{read: 100}, {write: 100}, {read: eof}, {write: 50}, close]";

  static ActorSystem<Void> system;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(String tcp, String client, String server,
      Predicate<Segment> drop) throws Exception {
    return SimulationFixture.run(system, ScenarioLoader.loadString("""
        name: close
        tcp: %s
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        network: {latency: 1ms}
        clients:
          - from: client
            to: server:80
            client: %s
            server: %s
        """.formatted(tcp, client, server), "close.yaml"), drop);
  }

  private static List<TraceEvent> sentBy(SimulationFixture f, int host) {
    return f.sends(0).stream().filter(e -> e.srcHost() == host).toList();
  }

  /** The client's ISN x, from its SYN. */
  private static int x(SimulationFixture f) {
    return sentBy(f, CLIENT).get(0).seq();
  }

  private static boolean clientEndedClosed(SimulationFixture f) {
    return f.result.stats().lifecycle().getTotalCount() == 1; // only a client 'closed' counts
  }

  @Test
  void clientClose_dataAfterClose_isReset_thenTheLateFinGetsTheClosedPortReset() throws Exception {
    // 8.3: the server's last 50 bytes reach a client that called close().
    SimulationFixture f = run("{profile: linux}",
        "[{write: 100}, {read: 100}, close]", CLASSIC_SERVER, null);
    int x = x(f);
    List<TraceEvent> resets = sentBy(f, CLIENT).stream()
        .filter(e -> (e.flags() & Flags.RST) != 0).toList();
    assertEquals(2, resets.size(), resets.toString());
    for (TraceEvent r : resets) { // #11 from the aborting socket, #12 from the closed port
      assertEquals(Flags.RST, r.flags(), "no ACK flag: " + r);
      assertEquals(x + 102, r.seq(), "<SEQ=SEG.ACK>");
      assertEquals(6 * MS, r.t());
    }
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1",
        "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->CLOSED"), f.transitions(0, CLIENT));
    assertEquals(6 * MS, f.timeOf(0, CLIENT, "CLOSED"));
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
        "ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"),
        f.transitions(0, SERVER));
    assertEquals(7 * MS, f.timeOf(0, SERVER, "CLOSED"));
    assertTrue(sentBy(f, SERVER).stream().noneMatch(e -> e.t() > 5 * MS),
        "no reset for a reset");
    assertTrue(clientEndedClosed(f), "the client's application closed: its outcome is closed");
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0), "the server was reset");
    assertEquals(0, f.result.stats().statePeak(TcpState.TIME_WAIT), "no TIME-WAIT anywhere");
  }

  @Test
  void underTheRfcProfile_theSameScriptEndsInTimeWait() throws Exception {
    SimulationFixture f = run("{profile: rfc, msl: 15s}", "[{write: 100}, {read: 100}, close]",
        CLASSIC_SERVER, null);
    assertTrue(f.sends(0).stream().noneMatch(e -> (e.flags() & Flags.RST) != 0));
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED", "ESTABLISHED->FIN_WAIT_1",
        "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->TIME_WAIT", "TIME_WAIT->CLOSED"),
        f.transitions(0, CLIENT));
    assertEquals(30 * S, f.timeOf(0, CLIENT, "CLOSED") - f.timeOf(0, CLIENT, "TIME_WAIT"));
    assertEquals(Outcome.CLOSED, f.result.stats().connectionOutcome(0));
  }

  @Test
  void closeWithUnreadData_sendsRstAck_andResetsTheServer() throws Exception {
    SimulationFixture f = run("{profile: linux}", "[{write: 100}, {pause: 50ms}, close]",
        "[{read: 100}, {write: 100}, {read: eof}, close]", null);
    int x = x(f);
    TraceEvent last = sentBy(f, CLIENT).get(sentBy(f, CLIENT).size() - 1);
    assertEquals(Flags.RST | Flags.ACK, last.flags());
    assertEquals(x + 101, last.seq(), "SND.NXT");
    int y = sentBy(f, SERVER).get(0).seq();
    assertEquals(y + 101, last.ack(), "RCV.NXT: the 100 unread bytes");
    assertEquals(52 * MS, last.t()); // established at 2 ms, then 50 ms
    assertTrue(sentBy(f, CLIENT).stream().noneMatch(e -> (e.flags() & Flags.FIN) != 0));
    assertEquals(List.of("ESTABLISHED->CLOSED"), f.transitions(0, CLIENT).subList(2, 3));
    assertEquals(List.of("ESTABLISHED->CLOSED"), f.transitions(0, SERVER).subList(2, 3));
    assertEquals(Outcome.ABORTED, f.result.stats().connectionOutcome(0));
  }

  @Test
  void orphanedFinWait2_endsAfterFinTimeout_silently_andTheLateFinIsReset() throws Exception {
    SimulationFixture f = run("{profile: linux}", "[{write: 100}, {read: 100}, close]",
        "[{read: 100}, {write: 100}, {read: eof}, {pause: 100s}, close]", null);
    long fw2 = f.timeOf(0, CLIENT, "FIN_WAIT_2");
    assertEquals(List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->FIN_WAIT_2",
        "FIN_WAIT_2->CLOSED"), f.transitions(0, CLIENT).subList(2, 5));
    assertEquals(fw2 + 60 * S, f.timeOf(0, CLIENT, "CLOSED"), "tcp_fin_timeout");
    assertTrue(sentBy(f, CLIENT).stream().noneMatch(e -> e.t() > fw2 && e.t() < 100 * S),
        "the orphan dies without a word");
    // The server's FIN, 100 s after end of file, finds no socket: the closed-port reset.
    TraceEvent fin = sentBy(f, SERVER).stream().filter(e -> (e.flags() & Flags.FIN) != 0)
        .findFirst().orElseThrow();
    assertTrue(fin.t() > 100 * S);
    TraceEvent rst = sentBy(f, CLIENT).get(sentBy(f, CLIENT).size() - 1);
    assertEquals(Flags.RST, rst.flags());
    assertEquals(fin.ack(), rst.seq(), "<SEQ=SEG.ACK>");
    assertEquals(fin.t() + 1 * MS, rst.t());
    assertEquals(fin.t() + 2 * MS, f.timeOf(0, SERVER, "CLOSED"));
    assertTrue(clientEndedClosed(f));
    assertEquals(Outcome.RESET, f.result.stats().connectionOutcome(0));
  }

  @Test
  void afterShutdown_theClientReadsTheLastData_andTimeWaitIsSixtySeconds_whateverMsl()
      throws Exception {
    // 8.1 with msl 15 s: TIME-WAIT is TCP_TIMEWAIT_LEN, not 2 × 15 s.
    SimulationFixture f = run("{profile: linux, msl: 15s}",
        "[{write: 100}, {read: 100}, shutdown, {read: eof}, close]", CLASSIC_SERVER, null);
    assertTrue(f.sends(0).stream().noneMatch(e -> (e.flags() & Flags.RST) != 0));
    assertEquals(List.of("ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->FIN_WAIT_2",
        "FIN_WAIT_2->TIME_WAIT", "TIME_WAIT->CLOSED"), f.transitions(0, CLIENT).subList(2, 6));
    assertEquals(60 * S, f.timeOf(0, CLIENT, "CLOSED") - f.timeOf(0, CLIENT, "TIME_WAIT"));
    assertEquals(Outcome.CLOSED, f.result.stats().connectionOutcome(0));
  }

  @Test
  void timeWait_restartsOnARetransmittedFin() throws Exception {
    // The client's ACK of the server's FIN is lost: the server resends its FIN after its RTO,
    // the client in TIME-WAIT acknowledges it again and waits 60 s from then.
    int[] serverFin = {0};
    boolean[] dropped = {false};
    Predicate<Segment> dropFirstAckOfTheFin = s -> {
      if (s.srcHost() == SERVER && s.fin()) serverFin[0] = s.seq();
      if (!dropped[0] && s.srcHost() == CLIENT && s.flags() == Flags.ACK && serverFin[0] != 0
          && s.ack() == serverFin[0] + 1) {
        dropped[0] = true;
        return true;
      }
      return false;
    };
    SimulationFixture f = run("{profile: linux, msl: 15s}",
        "[{write: 100}, {read: 100}, shutdown, {read: eof}, close]", CLASSIC_SERVER,
        dropFirstAckOfTheFin);
    assertTrue(dropped[0]);
    TraceEvent again = sentBy(f, SERVER).stream()
        .filter(e -> (e.flags() & Flags.FIN) != 0 && e.retransmit()).findFirst().orElseThrow();
    long arrives = again.t() + 1 * MS;
    assertTrue(sentBy(f, CLIENT).stream().anyMatch(e -> e.t() == arrives
        && e.flags() == Flags.ACK && e.ack() == again.seq() + 1), "re-acknowledged");
    assertEquals(arrives + 60 * S, f.timeOf(0, CLIENT, "CLOSED"));
    assertEquals(arrives + 1 * MS, f.timeOf(0, SERVER, "CLOSED"));
    assertEquals(Outcome.CLOSED, f.result.stats().connectionOutcome(0));
  }
}
