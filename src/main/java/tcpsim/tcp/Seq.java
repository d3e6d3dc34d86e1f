package tcpsim.tcp;

/**
 * Sequence-number arithmetic modulo 2^32 (RFC 9293 §3.4).
 *
 * <p>Sequence numbers are held in a Java {@code int}; addition wraps exactly like the 32-bit
 * space. Comparisons look at the signed difference, so {@code lt(0xFFFFFFF0, 0x10)} is true: a
 * number is "less" than another when it lies within 2^31 before it. Never compare two sequence
 * numbers with a raw {@code <}.
 */
public final class Seq {
  private Seq() {}

  public static int add(int seq, long n) {
    return (int) (seq + n);
  }

  /** Distance from {@code from} forward to {@code to}, in [−2^31, 2^31). */
  public static int diff(int to, int from) {
    return to - from;
  }

  public static boolean lt(int a, int b) {
    return a - b < 0;
  }

  public static boolean leq(int a, int b) {
    return a - b <= 0;
  }

  public static boolean gt(int a, int b) {
    return a - b > 0;
  }

  public static boolean geq(int a, int b) {
    return a - b >= 0;
  }

  /** {@code lo <= x < hi} in sequence space. */
  public static boolean inWindow(int x, int lo, int hi) {
    return leq(lo, x) && lt(x, hi);
  }

  public static int max(int a, int b) {
    return gt(a, b) ? a : b;
  }

  /** The unsigned value as it appears on the wire. */
  public static long unsigned(int seq) {
    return Integer.toUnsignedLong(seq);
  }
}
