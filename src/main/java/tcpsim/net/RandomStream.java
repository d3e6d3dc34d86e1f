package tcpsim.net;

/**
 * A small deterministic pseudo-random stream: SplitMix64 on a 64-bit state.
 *
 * <p>Why not {@link java.util.Random}: the simulator must produce the same trace whatever the
 * number of threads or cluster nodes (DESIGN.md, invariant 2). A shared generator would hand out
 * numbers in the order in which actors happen to ask, which differs from run to run. Instead every
 * random decision is taken from a stream derived from (scenario seed, stable id of the thing
 * deciding): the stream depends on nothing but those two numbers, so it can be created anywhere,
 * on any node, at any time, and yields the same values.
 *
 * <p>The generator is SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number
 * generators", OOPSLA 2014; the algorithm behind {@link java.util.SplittableRandom}): the state
 * advances by a fixed odd constant (the "golden gamma", 2^64 / φ) and each output is the state
 * passed through a 64-bit finaliser ({@link #mix64}, Stafford's "variant 13" of the MurmurHash3
 * finaliser). It is counter-based in spirit — output {@code i} is {@code mix64(start + i·γ)} — so
 * it is tiny (one {@code long}), fast, and passes BigCrush. Its period is 2^64.
 *
 * <p>Independence of streams: the starting state is {@link #mix}(seed, streamId), a strong hash.
 * Two different (seed, id) pairs start at unrelated points of the 2^64 cycle; the streams the
 * simulator draws from are short (a handful of values per segment), so the chance that two of
 * them overlap is negligible.
 *
 * <p>Floating point: {@link #nextGaussian()} uses {@link StrictMath}, whose results are bit-exact
 * on every JVM and CPU. {@link Math#log} and friends may differ in the last bit between
 * platforms (they are intrinsics), which would break determinism across cluster nodes.
 *
 * <p>Instances are not thread-safe; they are meant to be created, used and dropped by one caller.
 */
public final class RandomStream {
  /** 2^64 / φ, odd: SplitMix64's increment. */
  static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  /** Arbitrary non-zero start of {@link #mix}'s fold, so that mix() of nothing is not 0. */
  private static final long MIX_START = 0x2545F4914F6CDD1DL;

  private long state;

  /**
   * The stream of entity {@code streamId} in a scenario run with {@code scenarioSeed}.
   *
   * @param scenarioSeed the scenario's seed
   * @param streamId a stable id of whatever draws from the stream (use {@link #mix} to turn a
   *     composite key into one number)
   */
  public RandomStream(long scenarioSeed, long streamId) {
    this.state = mix(scenarioSeed, streamId);
  }

  /** The next 64 uniformly distributed bits. */
  public long nextLong() {
    state += GOLDEN_GAMMA;
    return mix64(state);
  }

  /** Uniform in [0, 1), with 53 random bits (every value is a multiple of 2^-53). */
  public double nextDouble() {
    return (nextLong() >>> 11) * 0x1.0p-53;
  }

  /**
   * A standard normal deviate (mean 0, standard deviation 1) by the Box–Muller transform (Box and
   * Muller, 1958). It always consumes exactly two values of the stream — no rejection loop and no
   * cached second deviate — so the number of draws a caller makes never depends on the values
   * drawn. The result is bounded by about ±8.6 (since the uniform has 53 bits).
   */
  public double nextGaussian() {
    double u1 = 1.0 - nextDouble(); // in (0, 1]: log is finite
    double u2 = nextDouble();
    return StrictMath.sqrt(-2.0 * StrictMath.log(u1)) * StrictMath.cos(2.0 * StrictMath.PI * u2);
  }

  /**
   * The SplitMix64 finaliser (Stafford's mix variant 13): a bijection on 64-bit values with good
   * avalanche — flipping one input bit flips each output bit with probability close to 1/2.
   */
  public static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /**
   * Hashes a sequence of numbers into one well-mixed 64-bit value, for deriving stream ids from
   * composite keys, e.g. {@code mix(seed, flowId, origin, emitIndex)}. The order of the values
   * matters: {@code mix(a, b)} and {@code mix(b, a)} differ in general. Each step is a bijection of
   * the running hash for a fixed next value, so two keys that differ only in their last element
   * never collide, and other collisions are as rare as for a random 64-bit function.
   */
  public static long mix(long... values) {
    long h = MIX_START;
    for (long v : values) h = mix64(h ^ mix64(v + GOLDEN_GAMMA));
    return h;
  }
}
