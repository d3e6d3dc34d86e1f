package tcpsim.engine;

/**
 * A run could not go on: the scenario asked for something the simulated hosts cannot do (more
 * simultaneous connections than ephemeral ports, say) or an actor failed. The message says what
 * happened in the scenario's terms; the run stops instead of hanging.
 */
public final class SimulationException extends RuntimeException {
  public SimulationException(String message) {
    super(message);
  }

  public SimulationException(String message, Throwable cause) {
    super(message, cause);
  }
}
