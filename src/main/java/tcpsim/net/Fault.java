package tcpsim.net;

import java.util.Objects;

/**
 * One scheduled fault of a scenario's {@code faults:} timeline: what goes wrong ({@link Effect}),
 * on which part of the network ({@link Target}) and when.
 *
 * <p><b>The timing rule.</b> A fault is active during the half-open interval
 * {@code [at, until)} of simulated time, and a segment is affected if and only if its send time
 * lies in that interval: {@code at <= sentAt < until}. A segment sent just before {@code at} is
 * untouched even if it is still travelling at {@code at}; one sent just before {@code until}
 * gets the whole effect even if it arrives long after. Deciding by send time keeps the rule
 * local to the network's per-segment pipeline (which sees each segment once, when it is sent)
 * and makes "which segments did the fault hit" a question of the trace's SEND times alone.
 * The exception is {@link Reset}, which acts once, at {@code at} ({@code until == at}).
 *
 * @param at when the fault starts, ns of simulated time (>= 0)
 * @param until when it ends, ns ({@code > at}; {@code == at} for a reset)
 * @param target the segments (by source and destination host) it applies to
 * @param effect what it does to them
 */
public record Fault(long at, long until, Target target, Effect effect) {

  public Fault {
    Objects.requireNonNull(target, "fault target");
    Objects.requireNonNull(effect, "fault effect");
    if (at < 0) throw new IllegalArgumentException("a fault starts at >= 0 ns, got " + at);
    if (effect instanceof Reset) {
      if (until != at) throw new IllegalArgumentException("a reset happens at one instant");
    } else if (until <= at) {
      throw new IllegalArgumentException("a fault needs until > at, got [" + at + ", " + until
          + ")");
    }
    if (effect instanceof Crash && !(target instanceof Host)) {
      throw new IllegalArgumentException("a crash needs a host target, got " + target);
    }
    if (effect instanceof Blackhole && !(target instanceof FromTo)) {
      throw new IllegalArgumentException("a blackhole needs a from/to target, got " + target);
    }
    if (effect instanceof Partition && target instanceof FromTo) {
      throw new IllegalArgumentException("a partition cuts both directions; a from/to target"
          + " is a blackhole");
    }
  }

  /** The kind's name as written in the scenario ({@code partition}, {@code loss}, ...). */
  public String kind() {
    return effect.kind();
  }

  /** Whether a segment sent at {@code sentAt} from {@code srcHost} to {@code dstHost} is hit. */
  public boolean affects(long sentAt, int srcHost, int dstHost) {
    return sentAt >= at && sentAt < until && target.matches(srcHost, dstHost);
  }

  // --- targets -----------------------------------------------------------------------------

  /** Which segments a fault applies to, by their source and destination hosts. */
  public sealed interface Target permits All, Host, Between, FromTo {
    boolean matches(int srcHost, int dstHost);
  }

  /** Every segment ({@code target: all}). */
  public record All() implements Target {
    @Override
    public boolean matches(int srcHost, int dstHost) {
      return true;
    }
  }

  /** Every segment from or to {@code host} ({@code target: {host: X}}). */
  public record Host(int host) implements Target {
    @Override
    public boolean matches(int srcHost, int dstHost) {
      return srcHost == host || dstHost == host;
    }
  }

  /** Both directions between two hosts ({@code target: {between: [A, B]}}). */
  public record Between(int a, int b) implements Target {
    @Override
    public boolean matches(int srcHost, int dstHost) {
      return (srcHost == a && dstHost == b) || (srcHost == b && dstHost == a);
    }
  }

  /** One direction only ({@code target: {from: A, to: B}}). */
  public record FromTo(int from, int to) implements Target {
    @Override
    public boolean matches(int srcHost, int dstHost) {
      return srcHost == from && dstHost == to;
    }
  }

  // --- effects -----------------------------------------------------------------------------

  /** What a fault does; one record per kind, each with its own parameters. */
  public sealed interface Effect
      permits Partition, Blackhole, Loss, Latency, Jitter, Duplicate, Reorder, Corrupt,
          Bandwidth, Reset, Crash, Filter {
    /** The kind's name as written in the scenario. */
    String kind();
  }

  /** Drop every matching segment (a cut cable, a failed switch): both directions of a path. */
  public record Partition() implements Effect {
    @Override
    public String kind() {
      return "partition";
    }
  }

  /**
   * Drop every segment in one direction (a {@link FromTo} target) while the other direction
   * still works: the asymmetric failure of a broken route or a firewall that eats replies.
   */
  public record Blackhole() implements Effect {
    @Override
    public String kind() {
      return "blackhole";
    }
  }

  /** A loss spike: each matching segment is also lost with {@code probability}. */
  public record Loss(double probability) implements Effect {
    public Loss {
      requireProbability("loss", probability);
    }

    @Override
    public String kind() {
      return "loss";
    }
  }

  /** Every matching copy arrives {@code extra} ns later (a reroute over a longer path). */
  public record Latency(long extra) implements Effect {
    public Latency {
      if (extra < 0) throw new IllegalArgumentException("extra latency must be >= 0 ns");
    }

    @Override
    public String kind() {
      return "latency";
    }
  }

  /** Every matching copy arrives an extra uniform random 0..{@code max} ns later. */
  public record Jitter(long max) implements Effect {
    public Jitter {
      if (max < 0) throw new IllegalArgumentException("jitter must be >= 0 ns");
    }

    @Override
    public String kind() {
      return "jitter";
    }
  }

  /** With {@code probability}, a matching segment arrives once more (its own latency sample). */
  public record Duplicate(double probability) implements Effect {
    public Duplicate {
      requireProbability("duplicate", probability);
    }

    @Override
    public String kind() {
      return "duplicate";
    }
  }

  /** With {@code probability}, a matching segment is held back {@code delay} ns. */
  public record Reorder(double probability, long delay) implements Effect {
    public Reorder {
      requireProbability("reorder", probability);
      if (delay < 0) throw new IllegalArgumentException("reorder delay must be >= 0 ns");
    }

    @Override
    public String kind() {
      return "reorder";
    }
  }

  /** With {@code probability}, a matching copy arrives damaged (the receiver discards it). */
  public record Corrupt(double probability) implements Effect {
    public Corrupt {
      requireProbability("corrupt", probability);
    }

    @Override
    public String kind() {
      return "corrupt";
    }
  }

  /**
   * The matching links' rate falls to {@code bitsPerSecond} (or stays at the link's own rate if
   * that is lower), with a queue of {@code queueLimitBytes} ({@code 0}: unlimited;
   * {@link #LINK_QUEUE}: the link's own limit).
   */
  public record Bandwidth(long bitsPerSecond, long queueLimitBytes) implements Effect {
    /** {@code queueLimitBytes} value meaning "the link's own queue limit". */
    public static final long LINK_QUEUE = -1;

    public Bandwidth {
      if (bitsPerSecond <= 0) throw new IllegalArgumentException("a bandwidth cut needs > 0 bit/s");
      if (queueLimitBytes < LINK_QUEUE) throw new IllegalArgumentException("bad queue limit");
    }

    @Override
    public String kind() {
      return "bandwidth";
    }
  }

  /** Which sequence number an injected RST carries. */
  public enum ResetSeq {
    /** The pretended sender's next sequence number: the receiver's RCV.NXT. */
    EXACT("exact"),
    /** One past it: in the receive window but not exact (RFC 5961 §3.2: challenge ACK). */
    IN_WINDOW("in-window");

    private final String label;

    ResetSeq(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /**
   * At {@code at}, a middlebox injects RSTs into the matching connections it has seen carry
   * traffic (RFC 5961 §3: blind or on-path reset attacks). See {@link FaultSchedule} for which
   * ends are reset and how the sequence number is chosen.
   */
  public record Reset(ResetSeq seq) implements Effect {
    public Reset {
      Objects.requireNonNull(seq, "reset seq");
    }

    @Override
    public String kind() {
      return "reset";
    }
  }

  /**
   * The target host is down during the fault. The network drops every segment to or from it
   * sent meanwhile ({@code host-down}); the host itself (its endpoints vanishing, fresh state on
   * restart) is the host actor's part.
   */
  public record Crash() implements Effect {
    @Override
    public String kind() {
      return "crash";
    }
  }

  /**
   * A firewall rule: drop the matching segments that also have exactly these control bits and
   * this payload length (reason {@code filtered}) — "drop the client's pure ACKs" is
   * {@code flags = ACK, length = 0} on a {@code from: client, to: server} target.
   *
   * @param flags the exact control bits (tcpsim.tcp.Flags), or -1 for any
   * @param length the exact payload length, or -1 for any
   */
  public record Filter(int flags, int length) implements Effect {
    public Filter {
      if (flags < -1 || length < -1) throw new IllegalArgumentException("flags/length >= -1");
    }

    /** Whether a segment with these control bits and payload length is dropped. */
    public boolean matches(int segmentFlags, int segmentLength) {
      return (flags < 0 || flags == segmentFlags) && (length < 0 || length == segmentLength);
    }

    @Override
    public String kind() {
      return "filter";
    }
  }

  private static void requireProbability(String what, double p) {
    if (!(p >= 0 && p <= 1))
      throw new IllegalArgumentException(what + " probability must be in [0, 1], got " + p);
  }
}
