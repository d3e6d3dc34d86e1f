package tcpsim.net;

/**
 * The one-way propagation delay of a link, in nanoseconds of virtual time.
 *
 * <p>Every model has a strictly positive {@link #minimum()}: the engine advances time in
 * conservative windows whose length (the lookahead) is the smallest latency any link can produce
 * (DESIGN.md, "Recommended shape of the engine"). A segment sent at {@code t} must not arrive
 * before {@code t + minimum()}, otherwise it could land in a window that has already been
 * processed; a zero latency would make the window empty and the run would never advance. So each
 * model validates its floor and {@link #sample} never goes below it.
 *
 * <p>The models are immutable values; all randomness comes from the {@link RandomStream} passed
 * in, so a sample depends only on that stream.
 */
public sealed interface LatencyModel
    permits LatencyModel.Constant, LatencyModel.Uniform, LatencyModel.Normal, LatencyModel.Pareto {

  /** The smallest value {@link #sample} can return; always > 0. */
  long minimum();

  /** One latency, at least {@link #minimum()}. */
  long sample(RandomStream r);

  /** Always {@code delay}: a fixed path with no jitter. Draws nothing from the stream. */
  static LatencyModel constant(long delay) {
    return new Constant(delay);
  }

  /** Uniform on the integers [min, max]: bounded jitter. Mean (min + max) / 2. */
  static LatencyModel uniform(long min, long max) {
    return new Uniform(min, max);
  }

  /**
   * Normal with the given mean and standard deviation, clamped at {@code min} (values below are
   * raised to {@code min}). Gaussian jitter around a typical delay; the clamp keeps the floor the
   * lookahead needs. With {@code min} a few standard deviations below the mean the clamp almost
   * never applies and the mean is as given.
   */
  static LatencyModel normal(long mean, long stddev, long min) {
    return new Normal(mean, stddev, min);
  }

  /**
   * Pareto-tailed: {@code min · U^(-1/alpha)} with U uniform in (0, 1], capped at {@code cap}.
   * Measured Internet delays have a heavy right tail (most segments near the base delay, a few
   * very late ones); a Pareto tail reproduces that, and the cap keeps one sample from stalling a
   * run. {@code P(X > x) = (min / x)^alpha}; for alpha > 1 the uncapped mean is
   * {@code min · alpha / (alpha - 1)}.
   */
  static LatencyModel pareto(long min, double alpha, long cap) {
    return new Pareto(min, alpha, cap);
  }

  /** See {@link LatencyModel#constant}. */
  record Constant(long delay) implements LatencyModel {
    public Constant {
      requirePositive("constant latency", delay);
    }

    @Override
    public long minimum() {
      return delay;
    }

    @Override
    public long sample(RandomStream r) {
      return delay;
    }
  }

  /** See {@link LatencyModel#uniform}. */
  record Uniform(long min, long max) implements LatencyModel {
    public Uniform {
      requirePositive("uniform latency min", min);
      if (max < min)
        throw new IllegalArgumentException(
            "uniform latency needs max >= min, got min=" + min + " ns, max=" + max + " ns");
    }

    @Override
    public long minimum() {
      return min;
    }

    @Override
    public long sample(RandomStream r) {
      long span = max - min + 1;
      long offset = (long) (r.nextDouble() * span); // double rounding can reach span: clamp
      return Math.min(max, min + offset);
    }
  }

  /** See {@link LatencyModel#normal}. */
  record Normal(long mean, long stddev, long min) implements LatencyModel {
    public Normal {
      requirePositive("normal latency min", min);
      if (stddev < 0)
        throw new IllegalArgumentException("normal latency stddev must be >= 0, got " + stddev);
      if (mean < min)
        throw new IllegalArgumentException(
            "normal latency mean must be >= min, got mean=" + mean + " ns, min=" + min + " ns");
    }

    @Override
    public long minimum() {
      return min;
    }

    @Override
    public long sample(RandomStream r) {
      long x = Math.round(mean + stddev * r.nextGaussian());
      return Math.max(min, x);
    }
  }

  /** See {@link LatencyModel#pareto}. */
  record Pareto(long min, double alpha, long cap) implements LatencyModel {
    public Pareto {
      requirePositive("pareto latency min", min);
      if (!(alpha > 0) || Double.isInfinite(alpha))
        throw new IllegalArgumentException("pareto latency alpha must be > 0, got " + alpha);
      if (cap < min)
        throw new IllegalArgumentException(
            "pareto latency needs cap >= min, got min=" + min + " ns, cap=" + cap + " ns");
    }

    @Override
    public long minimum() {
      return min;
    }

    @Override
    public long sample(RandomStream r) {
      double u = 1.0 - r.nextDouble(); // in (0, 1]: u = 1 gives exactly min
      double x = min * StrictMath.pow(u, -1.0 / alpha); // StrictMath: bit-exact on every JVM
      if (!(x < cap)) return cap; // also catches +infinity
      return Math.max(min, (long) x);
    }
  }

  private static void requirePositive(String what, long value) {
    if (value <= 0)
      throw new IllegalArgumentException(what + " must be > 0 ns (the minimum latency is the"
          + " simulation's lookahead and cannot be zero), got " + value);
  }
}
