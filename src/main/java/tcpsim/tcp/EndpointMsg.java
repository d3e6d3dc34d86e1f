package tcpsim.tcp;

import akka.actor.typed.ActorRef;
import java.util.List;

/** The messages a TCP endpoint actor understands. */
public sealed interface EndpointMsg {

  /**
   * Process the time window that ends (exclusive) at {@code end}: these arrivals, in canonical
   * order, interleaved with the endpoint's own timers that fall before {@code end}.
   */
  record RunWindow(long end, List<Arrival> arrivals, ActorRef<EndpointDone> replyTo)
      implements EndpointMsg {}

  /** The run is over at {@code now}: report the endpoint as still open and stop. */
  record Finish(long now, ActorRef<EndpointDone> replyTo) implements EndpointMsg {}

  /**
   * The endpoint's host crashed at {@code now}: the endpoint vanishes without sending anything
   * (its state is lost with the host's memory) and ends {@link Outcome#CRASHED}.
   */
  record Crash(long now, ActorRef<EndpointDone> replyTo) implements EndpointMsg {}

  /**
   * The endpoint's answer to {@link RunWindow}, {@link Finish} or {@link Crash}.
   *
   * @param slot the host's handle of this endpoint
   * @param out what the endpoint emitted in the window
   * @param nextTimer the endpoint's earliest timer, at or after the window's end
   * @param closed the endpoint reached CLOSED and stopped
   * @param failure what went wrong if the endpoint failed (a bug), else null: the host fails the
   *     run with it instead of waiting forever for an answer
   */
  record EndpointDone(int slot, Outbox out, long nextTimer, boolean closed, Throwable failure) {

    EndpointDone(int slot, Outbox out, long nextTimer, boolean closed) {
      this(slot, out, nextTimer, closed, null);
    }
  }
}
