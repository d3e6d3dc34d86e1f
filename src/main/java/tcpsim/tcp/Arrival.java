package tcpsim.tcp;

/**
 * A segment reaching its destination host at virtual time {@code time}. {@code copy} is 0 for
 * the original and 1, 2, … for duplicates the network made; {@code corrupt} marks a segment
 * damaged in transit, which the receiver's checksum check will discard.
 */
public record Arrival(long time, Segment segment, int copy, boolean corrupt) {

  /** Canonical order of arrivals: time, then the emitter's stable key, then the copy. */
  public static int compare(Arrival a, Arrival b) {
    int c = Long.compare(a.time, b.time);
    if (c != 0) return c;
    c = Segment.compareOrder(a.segment, b.segment);
    return c != 0 ? c : Integer.compare(a.copy, b.copy);
  }
}
