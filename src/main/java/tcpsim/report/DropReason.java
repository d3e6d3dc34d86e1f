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
  NO_HOST("no-host", false),
  /** A flooding host, ignoring every answer to its SYNs, discarded the segment. */
  IGNORED("ignored", false),
  // Scheduled faults' reasons (tcpsim.net.Fault). New reasons go after the existing ones: the
  // trace digest hashes ordinals, and a scenario's digest must not change with this list.
  /** A {@code partition} fault cut the path (both directions). */
  PARTITION("partition", true),
  /** A {@code blackhole} fault swallowed one direction of the path. */
  BLACKHOLE("blackhole", true),
  /** The segment's source or destination host was down (a {@code crash} fault). */
  HOST_DOWN("host-down", true),
  /** A {@code loss} fault (a loss spike) lost it. */
  FAULT_LOSS("fault-loss", true),
  /** A {@code bandwidth} fault cut the link's rate and its queue was full. */
  FAULT_QUEUE_OVERFLOW("fault-queue-overflow", true);

  private final String label;
  private final boolean fromFault;

  DropReason(String label) {
    this(label, false);
  }

  DropReason(String label, boolean fromFault) {
    this.label = label;
    this.fromFault = fromFault;
  }

  public String label() {
    return label;
  }

  /**
   * Whether only a scenario with {@code faults:} can produce it. Reports list these reasons
   * only for such scenarios (or when one occurred), so that reports of scenarios without faults
   * keep their shape.
   */
  public boolean fromFault() {
    return fromFault;
  }
}

