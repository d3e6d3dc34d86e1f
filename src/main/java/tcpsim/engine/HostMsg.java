package tcpsim.engine;

import akka.actor.typed.ActorRef;
import java.util.List;
import tcpsim.cluster.ClusterMessage;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.EndpointMsg;

/** Messages of a simulated host's actor (a sharded entity). */
public sealed interface HostMsg {

  /** Process [start, end): these arrivals (canonical order) and the host's timers before end. */
  record Window(long start, long end, List<Arrival> arrivals, ActorRef<HostReply> replyTo)
      implements HostMsg, ClusterMessage {}

  /** The run is over at {@code now}: report what is still open, and listener figures. */
  record Finish(long now, ActorRef<HostReply> replyTo) implements HostMsg, ClusterMessage {}

  /** An endpoint child answered (always local: endpoints live with their host). */
  record FromEndpoint(EndpointMsg.EndpointDone done) implements HostMsg {}
}
