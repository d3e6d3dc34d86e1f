package tcpsim.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static tcpsim.engine.Scenarios.MS;
import static tcpsim.engine.Scenarios.S;

import akka.actor.typed.ActorSystem;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Seq;

/**
 * The reference traces of docs/linux-profile.md §8.1 (classic) and §8.2 (server pause) under
 * {@code profile: linux}, end to end through the engine: quick ACKs as separate segments before
 * the reply, the ACK of the client's FIN delayed by ping-pong mode — carried by the server's
 * data in 8.1, sent by the delayed-ACK timer at 45 ms in 8.2 — and the FIN in FIN-WAIT-2 ACKed
 * at once. Options and windows are not compared (another part of §1). The same scenario under
 * {@code profile: rfc} ACKs at once and piggybacks the reply.
 */
class DelayedAckTraceTest {
  static ActorSystem<Void> system;
  static final int C = 0;
  static final int SRV = 1;
  static final int ACK = Flags.ACK;
  static final int PSH = Flags.PSH | Flags.ACK;
  static final int FIN = Flags.FIN | Flags.ACK;

  @BeforeAll
  static void start() {
    system = SimulationFixture.system();
  }

  @AfterAll
  static void stop() {
    system.terminate();
  }

  private static SimulationFixture run(String profile, String lastSteps) throws Exception {
    return SimulationFixture.run(system, ScenarioLoader.loadString("""
        name: classic
        seed: 7
        tcp: {profile: %s}
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - name: classic
            from: client
            to: server:80
            client: [{write: 100}, {read: 100}, shutdown, {read: eof}, close]
            server: [{read: 100}, {write: 100}, {read: eof}, %s]
        network: {latency: 1ms}
        """.formatted(profile, lastSteps), "classic.yaml"), null);
  }

  /** One row of a §8 table: time (ms), sender, flags, seq and ack relative to x / y, length. */
  record Row(long ms, int from, int flags, String seq, String ack, int len) {
    @Override
    public String toString() {
      return ms + "ms " + (from == C ? "C→S " : "S→C ") + Flags.names(flags) + " " + seq + " "
          + ack + " " + len;
    }
  }

  private static List<Row> rows(SimulationFixture f) {
    List<TraceEvent> sends = f.sends(0);
    long x = Seq.unsigned(sends.get(0).seq());
    long y = Seq.unsigned(sends.get(1).seq());
    List<Row> rows = new ArrayList<>();
    for (TraceEvent e : sends) {
      boolean client = e.srcHost() == C;
      String seq = relative(Seq.unsigned(e.seq()), client ? x : y, client ? "x" : "y");
      String ack = (e.flags() & Flags.ACK) == 0 ? "0"
          : relative(Seq.unsigned(e.ack()), client ? y : x, client ? "y" : "x");
      rows.add(new Row(e.t() / MS, e.srcHost(), e.flags(), seq, ack, e.len()));
      assertEquals(0, e.t() % MS, "whole milliseconds: " + e);
    }
    return rows;
  }

  private static String relative(long value, long base, String name) {
    long d = (value - base) & 0xFFFF_FFFFL;
    return d == 0 ? name : name + "+" + d;
  }

  @Test
  void classic_matchesSection8_1_segmentForSegment() throws Exception {
    SimulationFixture f = run("linux", "{write: 50}, close");
    assertEquals(List.of(
        new Row(0, C, Flags.SYN, "x", "0", 0),
        new Row(1, SRV, Flags.SYN | Flags.ACK, "y", "x+1", 0),
        new Row(2, C, ACK, "x+1", "y+1", 0),
        new Row(2, C, PSH, "x+1", "y+1", 100),
        new Row(3, SRV, ACK, "y+1", "x+101", 0),       // #5 quick ACK, before the reply
        new Row(3, SRV, PSH, "y+1", "x+101", 100),     // #6 reply: S enters ping-pong
        new Row(4, C, ACK, "x+101", "y+101", 0),       // #7 quick ACK of the reply
        new Row(4, C, FIN, "x+101", "y+101", 0),       // #8 shutdown
        new Row(5, SRV, PSH, "y+101", "x+102", 50),    // #9 carries the delayed ACK of #8
        new Row(5, SRV, FIN, "y+151", "x+102", 0),     // #10
        new Row(6, C, ACK, "x+102", "y+151", 0),       // #11 quick ACK of the data
        new Row(6, C, ACK, "x+102", "y+152", 0)),      // #12 FIN in FIN-WAIT-2: at once
        rows(f));
    assertEquals(7 * MS, f.timeOf(0, SRV, "CLOSED"));
    assertEquals(6 * MS, f.timeOf(0, C, "TIME_WAIT"));
    assertEquals(60 * S + 6 * MS, f.timeOf(0, C, "CLOSED"));
  }

  @Test
  void serverPause_matchesSection8_2_theFinsAckComesFromTheTimerAt45ms() throws Exception {
    SimulationFixture f = run("linux", "{pause: 500ms}, {write: 50}, close");
    List<Row> rows = rows(f);
    assertEquals(13, rows.size(), "segments: " + rows);
    assertEquals(List.of(
        new Row(45, SRV, ACK, "y+101", "x+102", 0),    // #9 delayed-ACK timer, 40 ms after #8
        new Row(505, SRV, PSH, "y+101", "x+102", 50),  // #10
        new Row(505, SRV, FIN, "y+151", "x+102", 0),   // #11
        new Row(506, C, ACK, "x+102", "y+151", 0),     // #12 quick ACK
        new Row(506, C, ACK, "x+102", "y+152", 0)),    // #13 FIN in FIN-WAIT-2: at once
        rows.subList(8, 13));
    assertEquals(46 * MS, f.timeOf(0, C, "FIN_WAIT_2"));
    assertEquals(506 * MS, f.timeOf(0, C, "TIME_WAIT"));
    assertEquals(507 * MS, f.timeOf(0, SRV, "CLOSED"));
    assertEquals(0, f.result.stats().retransmitted(), "the client's FIN is not retransmitted");
  }

  @Test
  void rfcProfile_acksAtOnce_theReplyAndTheFinsAckNeedNoSeparateSegment() throws Exception {
    SimulationFixture f = run("rfc", "{pause: 500ms}, {write: 50}, close");
    List<Row> rows = rows(f);
    assertEquals(new Row(3, SRV, PSH, "y+1", "x+101", 100), rows.get(4), "reply carries the ACK");
    assertEquals(new Row(5, SRV, ACK, "y+101", "x+102", 0), rows.get(7), "FIN ACKed at once");
    assertEquals(12, rows.size(), "segments: " + rows);
  }
}
