package tcpsim.net;

import java.util.Objects;

/**
 * What one directed link (source host to destination host) does to the segments crossing it.
 * The effects are those of Linux netem (delay, loss, duplicate, reorder, corrupt) plus a
 * bandwidth bottleneck with a byte-limited queue, applied in the order described in
 * {@link NetworkModel#transmit}.
 *
 * @param latency one-way propagation delay; its minimum bounds the engine's lookahead
 * @param loss how segments are lost
 * @param duplicateProbability chance that a segment that was not lost also arrives a second
 *     time (a copy with its own latency sample)
 * @param reorderProbability chance that a segment is held back by {@code reorderDelay} after
 *     the bottleneck, so that segments sent after it can overtake it
 * @param reorderDelay extra delay of a reordered segment, ns (>= 0)
 * @param corruptProbability chance that a delivered copy is damaged in transit: it arrives
 *     flagged corrupt and the receiver's checksum check discards it
 * @param bandwidthBps bottleneck rate in bits per second; 0 means unlimited (no serialization
 *     delay, no queue)
 * @param queueLimitBytes capacity of the bottleneck queue in bytes (segments plus headers waiting
 *     or being serialized); 0 means unlimited. Ignored when {@code bandwidthBps} is 0.
 */
public record LinkConfig(
    LatencyModel latency,
    LossModel loss,
    double duplicateProbability,
    double reorderProbability,
    long reorderDelay,
    double corruptProbability,
    long bandwidthBps,
    long queueLimitBytes) {

  public LinkConfig {
    Objects.requireNonNull(latency, "latency model");
    Objects.requireNonNull(loss, "loss model");
    requireProbability("duplicate probability", duplicateProbability);
    requireProbability("reorder probability", reorderProbability);
    requireProbability("corrupt probability", corruptProbability);
    if (reorderDelay < 0)
      throw new IllegalArgumentException("reorder delay must be >= 0 ns, got " + reorderDelay);
    if (bandwidthBps < 0)
      throw new IllegalArgumentException(
          "bandwidth must be >= 0 bits/s (0 = unlimited), got " + bandwidthBps);
    if (queueLimitBytes < 0)
      throw new IllegalArgumentException(
          "queue limit must be >= 0 bytes (0 = unlimited), got " + queueLimitBytes);
  }

  /** A perfect link: the given latency model and nothing else (no loss, unlimited bandwidth). */
  public static LinkConfig ideal(LatencyModel latency) {
    return new LinkConfig(latency, LossModel.none(), 0, 0, 0, 0, 0, 0);
  }

  /** A perfect link with a constant latency of {@code latencyNanos}. */
  public static LinkConfig ideal(long latencyNanos) {
    return ideal(LatencyModel.constant(latencyNanos));
  }

  public LinkConfig withLatency(LatencyModel latency) {
    return new LinkConfig(latency, loss, duplicateProbability, reorderProbability, reorderDelay,
        corruptProbability, bandwidthBps, queueLimitBytes);
  }

  public LinkConfig withLoss(LossModel loss) {
    return new LinkConfig(latency, loss, duplicateProbability, reorderProbability, reorderDelay,
        corruptProbability, bandwidthBps, queueLimitBytes);
  }

  public LinkConfig withDuplicate(double probability) {
    return new LinkConfig(latency, loss, probability, reorderProbability, reorderDelay,
        corruptProbability, bandwidthBps, queueLimitBytes);
  }

  public LinkConfig withReorder(double probability, long extraDelay) {
    return new LinkConfig(latency, loss, duplicateProbability, probability, extraDelay,
        corruptProbability, bandwidthBps, queueLimitBytes);
  }

  public LinkConfig withCorrupt(double probability) {
    return new LinkConfig(latency, loss, duplicateProbability, reorderProbability, reorderDelay,
        probability, bandwidthBps, queueLimitBytes);
  }

  public LinkConfig withBandwidth(long bitsPerSecond, long queueLimitBytes) {
    return new LinkConfig(latency, loss, duplicateProbability, reorderProbability, reorderDelay,
        corruptProbability, bitsPerSecond, queueLimitBytes);
  }

  private static void requireProbability(String what, double p) {
    if (!(p >= 0 && p <= 1))
      throw new IllegalArgumentException(what + " must be in [0, 1], got " + p);
  }
}
