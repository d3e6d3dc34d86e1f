package tcpsim.tcp;

/** How one endpoint's life ended. Every endpoint ends in exactly one of these. */
public enum Outcome {
  /**
   * Orderly close: TIME-WAIT expired, or our FIN was acknowledged in LAST-ACK. Under {@code
   * profile: linux} also an endpoint whose application had called close() and which then
   * vanished without the application seeing it: its orphaned FIN-WAIT-2 timed out, or data
   * arriving after close() made it reset the connection (the peer ends {@link #RESET}).
   */
  CLOSED("closed", Category.CLOSED),
  /** A valid RST arrived in a synchronized state (RFC 9293 §3.10.7.4, second check). */
  RESET("reset", Category.RESET),
  /**
   * Our application aborted (RFC 9293 §3.10.5 ABORT): we sent an RST and entered CLOSED. Under
   * {@code profile: linux} also a close() with unread data, which resets instead of sending a
   * FIN. The peer's side of the same connection ends {@link #RESET}.
   */
  ABORTED("aborted", Category.RESET),
  /** A valid RST answered our SYN: nobody listens on that port (RFC 9293 §3.10.7.3). */
  REFUSED("refused", Category.FAILED),
  /** connect() gave up after the configured SYN retransmissions. */
  SYN_TIMEOUT("syn-timeout", Category.FAILED),
  /** A half-open entry gave up after the configured SYN-ACK retransmissions. */
  SYNACK_TIMEOUT("synack-timeout", Category.FAILED),
  /** Data or FIN went unacknowledged through all retransmissions. */
  DATA_TIMEOUT("data-timeout", Category.FAILED),
  /**
   * The endpoint's host crashed (a {@code crash} fault): its state vanished with it. A client
   * whose connect falls while its host is down ends so too, without sending anything.
   */
  CRASHED("crashed", Category.FAILED),
  /** Still alive when the run ended. */
  OPEN("open", Category.OPEN);

  /** The four buckets of report.json's {@code connections}. */
  public enum Category { CLOSED, RESET, FAILED, OPEN }

  private final String label;
  private final Category category;

  Outcome(String label, Category category) {
    this.label = label;
    this.category = category;
  }

  public String label() {
    return label;
  }

  public Category category() {
    return category;
  }
}
