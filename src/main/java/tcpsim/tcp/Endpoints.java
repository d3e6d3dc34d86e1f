package tcpsim.tcp;

import akka.actor.typed.Behavior;

/** Factories for endpoint behaviours: how an endpoint actor starts. */
public final class Endpoints {
  private Endpoints() {}

  /**
   * A client endpoint: CLOSED until its application calls connect at {@code openAt}, then an
   * active open. {@code tcb.iss} must already hold the ISS drawn from the endpoint's stream.
   */
  public static Behavior<EndpointMsg> activeOpen(Tcb tcb, long openAt) {
    tcb.appAction = Tcb.AppAction.CONNECT;
    tcb.appAt = openAt;
    return new Closed(tcb, false);
  }

  /**
   * The endpoint a listener creates when a handshake's last ACK arrives for a half-open entry:
   * it starts in SYN-RECEIVED and is handed that ACK as its first arrival.
   */
  public static Behavior<EndpointMsg> passiveOpen(Tcb tcb) {
    tcb.passiveOpen = true;
    return new SynReceived(tcb);
  }

  /**
   * An endpoint built directly in {@code state} around {@code tcb} — for tests that feed one
   * state one segment, as the RFC's own examples do. The caller fills the TCB consistently.
   */
  public static Behavior<EndpointMsg> inState(TcpState state, Tcb tcb, long now) {
    return switch (state) {
      case CLOSED -> new Closed(tcb, false);
      case SYN_SENT -> new SynSent(tcb);
      case SYN_RECEIVED -> new SynReceived(tcb);
      case ESTABLISHED -> new Established(tcb);
      case FIN_WAIT_1 -> new FinWait1(tcb);
      case FIN_WAIT_2 -> new FinWait2(tcb, now);
      case CLOSE_WAIT -> new CloseWait(tcb);
      case CLOSING -> new Closing(tcb);
      case LAST_ACK -> new LastAck(tcb);
      case TIME_WAIT -> new TimeWait(tcb, now);
      case LISTEN -> throw new IllegalArgumentException("LISTEN is a Listener, not an endpoint");
    };
  }
}
