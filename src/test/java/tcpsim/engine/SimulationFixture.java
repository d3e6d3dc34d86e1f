package tcpsim.engine;

import akka.actor.typed.ActorSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tcpsim.cluster.ClusterSystem;
import tcpsim.report.RunResult;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Segment;

/** A run and its whole trace, for end-to-end assertions. */
final class SimulationFixture {
  final RunResult result;
  final List<TraceEvent> trace;

  private SimulationFixture(RunResult result, List<TraceEvent> trace) {
    this.result = result;
    this.trace = trace;
  }

  static ActorSystem<Void> system() {
    return ClusterSystem.startSingleNode("tcpsim-test");
  }

  static SimulationFixture run(ActorSystem<?> system, Scenario scenario, Predicate<Segment> drop) {
    List<TraceEvent> trace = new ArrayList<>();
    RunResult r = Simulation.run(system, scenario, new RunOptions(trace::add, drop, null));
    return new SimulationFixture(r, trace);
  }

  /** Sent segments of connection {@code conn}, in order. */
  List<TraceEvent> sends(int conn) {
    return trace.stream()
        .filter(e -> e.conn() == conn && e.kind() == TraceEvent.Kind.SEND).toList();
  }

  /** "FROM->TO" of the endpoint on {@code host}, in order. */
  List<String> transitions(int conn, int host) {
    return trace.stream()
        .filter(e -> e.conn() == conn && e.kind() == TraceEvent.Kind.STATE && e.srcHost() == host)
        .map(e -> e.from() + "->" + e.to()).toList();
  }

  /** Time of the state change into {@code to} on {@code host}. */
  long timeOf(int conn, int host, String to) {
    return trace.stream()
        .filter(e -> e.conn() == conn && e.kind() == TraceEvent.Kind.STATE && e.srcHost() == host
            && e.to().name().equals(to))
        .findFirst().orElseThrow(() -> new AssertionError("no transition to " + to)).t();
  }

  static Predicate<Segment> firstMatching(Predicate<Segment> p) {
    boolean[] done = new boolean[1];
    return s -> {
      if (!done[0] && p.test(s)) {
        done[0] = true;
        return true;
      }
      return false;
    };
  }

  static boolean isSyn(Segment s) {
    return (s.flags() & (Flags.SYN | Flags.ACK)) == Flags.SYN;
  }

  static boolean isSynAck(Segment s) {
    return (s.flags() & (Flags.SYN | Flags.ACK)) == (Flags.SYN | Flags.ACK);
  }
}
