package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import tcpsim.net.NetworkModel;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

/**
 * The network between a node's hosts and the rest: it applies the link model (latency, loss,
 * duplication, reordering, corruption, bandwidth) and the scheduled faults to everything sent
 * in a window and answers with the arrivals, all at or after the window's end, and a trace
 * event for every drop (and for every segment the network itself injects).
 */
final class NetworkActor {
  private NetworkActor() {}

  sealed interface Msg {}

  /**
   * Apply the network to what was sent in the window {@code [windowStart, windowEnd)}; the
   * network also injects what its faults make due in that window (RSTs of reset faults).
   */
  record Transmit(List<Segment> sent, long windowStart, long windowEnd,
      ActorRef<Transmitted> replyTo) implements Msg {}

  record Transmitted(List<Arrival> arrivals, List<TraceEvent> trace) {}

  /**
   * @param dropRule segments it matches are dropped before the link model sees them, with the
   *     reason {@code filtered} (a firewall rule); null for none
   * @param hostCount the simulated hosts are 0..hostCount-1; a segment to a higher number (a
   *     forged address of a SYN flood) is dropped with the reason {@code no-host}
   */
  static Behavior<Msg> create(NetworkModel model, Predicate<Segment> dropRule, int hostCount) {
    return Behaviors.receive(Msg.class)
        .onMessage(Transmit.class, t -> {
          List<Arrival> arrivals = new ArrayList<>(t.sent().size());
          List<TraceEvent> trace = new ArrayList<>();
          List<Segment> passed = new ArrayList<>(t.sent().size());
          for (Segment s : t.sent()) {
            DropReason reason = s.dstHost() >= hostCount ? DropReason.NO_HOST
                : dropRule != null && dropRule.test(s) ? DropReason.FILTERED : null;
            if (reason != null) {
              trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, s.sentAt(), s.origin(),
                  s.emitIndex(), 1, s, reason));
            } else {
              passed.add(s);
            }
          }
          model.transmit(passed, t.windowStart(), t.windowEnd(), arrivals, trace);
          t.replyTo().tell(new Transmitted(arrivals, trace));
          return Behaviors.same();
        })
        .build();
  }
}
