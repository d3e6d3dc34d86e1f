package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.Seq;

/**
 * The founding story of DESIGN.md, end to end through the engine: handshake, a request and an
 * answer, the client's close, the server's last data in CLOSE-WAIT, its FIN, TIME-WAIT.
 */
class ClassicStoryTest {
  static ActorSystem<Void> system;
  static SimulationFixture run;
  static final int CLIENT = 0;
  static final int SERVER = 1;

  @BeforeAll
  static void runStory() {
    system = SimulationFixture.system();
    Scenario story = Scenarios.clientServer("story", 42, Scenarios.rfcWithMsl(30 * S),
        LinkConfig.ideal(10 * MS),
        Scenarios.oneConnection(100, 300, Scenario.Closer.CLIENT, 0, 50, 20 * MS), true);
    run = SimulationFixture.run(system, story, null);
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  /** One expected segment: who sends, flags, seq and ack relative to x or y, payload length. */
  record Expected(int from, int flags, String seq, String ack, int len) {}

  @Test
  void segments_followTheTextbook_relativeToXAndY() {
    List<TraceEvent> sends = run.sends(0);
    long x = Seq.unsigned(sends.get(0).seq());
    long y = Seq.unsigned(sends.get(1).seq());
    int syn = Flags.SYN, ack = Flags.ACK, fin = Flags.FIN, psh = Flags.PSH;
    List<Expected> expected = List.of(
        new Expected(CLIENT, syn, "x", "-", 0),                    // SYN seq=x
        new Expected(SERVER, syn | ack, "y", "x+1", 0),            // SYN,ACK seq=y ack=x+1
        new Expected(CLIENT, ack, "x+1", "y+1", 0),                // ACK seq=x+1 ack=y+1
        new Expected(CLIENT, psh | ack, "x+1", "y+1", 100),        // request
        new Expected(SERVER, psh | ack, "y+1", "x+101", 300),      // answer, acks the request
        new Expected(CLIENT, ack, "x+101", "y+301", 0),            // ACK of the answer
        new Expected(CLIENT, fin | ack, "x+101", "y+301", 0),      // FIN seq=u (u = x+101)
        new Expected(SERVER, ack, "y+301", "x+102", 0),            // ACK seq=v ack=u+1
        new Expected(SERVER, psh | ack, "y+301", "x+102", 50),     // data in CLOSE-WAIT
        new Expected(SERVER, fin | ack, "y+351", "x+102", 0),      // FIN seq=w ack=u+1
        new Expected(CLIENT, ack, "x+102", "y+351", 0),            // ACK of the last data
        new Expected(CLIENT, ack, "x+102", "y+352", 0));           // ACK seq=u+1 ack=w+1
    assertEquals(expected.size(), sends.size(), "segments: " + sends);
    for (int i = 0; i < expected.size(); i++) {
      Expected e = expected.get(i);
      TraceEvent s = sends.get(i);
      String where = "segment " + (i + 1) + ": " + s;
      assertEquals(e.from(), s.srcHost(), where);
      assertEquals(Flags.names(e.flags()), Flags.names(s.flags()), where);
      long seqBase = e.from() == CLIENT ? x : y;
      long ackBase = e.from() == CLIENT ? y : x;
      assertEquals(e.seq(), relative(Seq.unsigned(s.seq()), seqBase, e.from() == CLIENT ? "x" : "y"), where);
      if (!e.ack().equals("-")) {
        assertEquals(e.ack(), relative(Seq.unsigned(s.ack()), ackBase, e.from() == CLIENT ? "y" : "x"), where);
      }
      assertEquals(e.len(), s.len(), where);
    }
  }

  @Test
  void client_goesThroughTheActiveCloserStates() {
    assertEquals(List.of("CLOSED->SYN_SENT", "SYN_SENT->ESTABLISHED",
        "ESTABLISHED->FIN_WAIT_1", "FIN_WAIT_1->FIN_WAIT_2", "FIN_WAIT_2->TIME_WAIT",
        "TIME_WAIT->CLOSED"), run.transitions(0, CLIENT));
  }

  @Test
  void server_goesThroughThePassiveCloserStates() {
    assertEquals(List.of("LISTEN->SYN_RECEIVED", "SYN_RECEIVED->ESTABLISHED",
        "ESTABLISHED->CLOSE_WAIT", "CLOSE_WAIT->LAST_ACK", "LAST_ACK->CLOSED"),
        run.transitions(0, SERVER));
  }

  @Test
  void timeWait_lastsExactlyTwoMsl() {
    long entered = run.timeOf(0, CLIENT, "TIME_WAIT");
    long left = run.timeOf(0, CLIENT, "CLOSED");
    assertEquals(60 * S, left - entered);
  }

  @Test
  void timing_followsTheLatency() {
    assertEquals(20 * MS, run.timeOf(0, CLIENT, "ESTABLISHED"));   // one round trip
    assertEquals(30 * MS, run.timeOf(0, SERVER, "ESTABLISHED"));   // plus the third segment
    assertEquals(50 * MS, run.timeOf(0, SERVER, "CLOSE_WAIT"));    // FIN sent at 40 ms
    assertEquals(70 * MS, run.timeOf(0, SERVER, "LAST_ACK"));      // 20 ms pause after the FIN
    assertEquals(90 * MS, run.timeOf(0, SERVER, "CLOSED"));
  }

  @Test
  void report_countsOneCleanConnection() {
    var s = run.result.stats();
    assertEquals(1, s.attempted());
    assertEquals(1, s.established());
    assertEquals(1L, s.outcomes().get(Outcome.CLOSED));
    assertEquals(12, s.sent());
    assertEquals(12, s.delivered());
    assertEquals(0, s.dropped());
    assertEquals(0, run.result.inFlight());
    assertEquals(20_000, s.handshake().getMaxValue()); // microseconds
  }

  private static String relative(long value, long base, String name) {
    long d = (value - base) & 0xFFFF_FFFFL;
    return d == 0 ? name : name + "+" + d;
  }
}
