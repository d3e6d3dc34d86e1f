package tcpsim.engine;

/**
 * How far a running simulation has got, for a progress line. Written by the coordinator after
 * every window, read by any thread; never part of the result.
 */
public final class Progress {
  private volatile long simulatedNs;
  private volatile long events;
  private volatile long windows;
  private volatile long connectionsFinished;

  void update(long simulatedNs, long events, long windows, long connectionsFinished) {
    this.simulatedNs = simulatedNs;
    this.events = events;
    this.windows = windows;
    this.connectionsFinished = connectionsFinished;
  }

  /** Client connections that have ended (closed, reset, failed). */
  public long connectionsFinished() {
    return connectionsFinished;
  }

  public long simulatedNs() {
    return simulatedNs;
  }

  public long events() {
    return events;
  }

  public long windows() {
    return windows;
  }
}
