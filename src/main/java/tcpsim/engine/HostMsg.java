package tcpsim.engine;

import akka.actor.typed.ActorRef;
import java.util.List;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.EndpointMsg;

/** Messages of a simulated host's actor. */
sealed interface HostMsg {

  /** Process [start, end): these arrivals (canonical order) and the host's timers before end. */
  record Window(long start, long end, List<Arrival> arrivals,
      ActorRef<HostActor.HostDone> replyTo)
      implements HostMsg {}

  /** The run is over at {@code now}: report what is still open, and listener figures. */
  record Finish(long now, ActorRef<HostActor.HostFinished> replyTo) implements HostMsg {}

  /** An endpoint child answered. */
  record FromEndpoint(EndpointMsg.EndpointDone done) implements HostMsg {}
}
