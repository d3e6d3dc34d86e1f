package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import tcpsim.net.NetworkModel;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

/**
 * The network between a node's hosts and the rest: it applies the link model (latency, loss,
 * duplication, reordering, corruption, bandwidth) to everything sent in a window and answers
 * with the arrivals, all at or after the window's end, and a trace event for every drop.
 */
final class NetworkActor {
  private NetworkActor() {}

  sealed interface Msg {}

  record Transmit(List<Segment> sent, ActorRef<Transmitted> replyTo) implements Msg {}

  record Transmitted(List<Arrival> arrivals, List<TraceEvent> trace) {}

  static Behavior<Msg> create(NetworkModel model) {
    return Behaviors.receive(Msg.class)
        .onMessage(Transmit.class, t -> {
          List<Arrival> arrivals = new ArrayList<>(t.sent().size());
          List<TraceEvent> trace = new ArrayList<>();
          model.transmit(t.sent(), arrivals, trace);
          t.replyTo().tell(new Transmitted(arrivals, trace));
          return Behaviors.same();
        })
        .build();
  }
}
