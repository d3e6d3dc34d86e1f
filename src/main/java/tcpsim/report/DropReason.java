package tcpsim.report;

/** Why a segment never reached TCP at its destination. Every drop names one. */
public enum DropReason {
  /** Independent (Bernoulli) loss on the link. */
  LOSS("loss"),
  /** Loss in the bad state of a Gilbert-Elliott burst-loss channel. */
  BURST_LOSS("burst-loss"),
  /** The link's queue was full when the segment arrived at the bandwidth limit. */
  QUEUE_OVERFLOW("queue-overflow"),
  /** The segment was corrupted in transit; the receiver's checksum check discarded it. */
  CHECKSUM("checksum"),
  /** A SYN found the listener's SYN backlog full. */
  SYN_BACKLOG_FULL("syn-backlog-full"),
  /** The handshake's last ACK found the listener's accept queue full. */
  ACCEPT_QUEUE_FULL("accept-queue-full"),
  /** A rule matching the segment (direction, flags, length: like a firewall) dropped it. */
  FILTERED("filtered"),
  /**
   * The destination address belongs to no simulated host: a SYN-ACK answering a spoofed SYN
   * (in a real network it would vanish, or reach a host that does not answer).
   */
  NO_HOST("no-host"),
  /** A flooding host, ignoring every answer to its SYNs, discarded the segment. */
  IGNORED("ignored");

  private final String label;

  DropReason(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
