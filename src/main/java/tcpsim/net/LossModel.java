package tcpsim.net;

/**
 * How a link loses segments. The models are immutable descriptions; the one piece of state a
 * loss model needs — the Gilbert-Elliott channel state of each flow — is kept by the
 * {@link NetworkModel} that applies it, never in these objects. That way one {@code LinkConfig}
 * can be shared by several network models (several cluster nodes in one JVM, several runs of a
 * sweep) without them sharing, or racing on, any state.
 */
public sealed interface LossModel
    permits LossModel.None, LossModel.Bernoulli, LossModel.GilbertElliott {

  /** No loss. */
  static LossModel none() {
    return None.INSTANCE;
  }

  /** Each segment is lost independently with probability {@code p}. */
  static LossModel bernoulli(double p) {
    return new Bernoulli(p);
  }

  /** Burst loss; see {@link GilbertElliott}. */
  static LossModel gilbertElliott(double pGoodToBad, double pBadToGood, double lossInGood,
      double lossInBad) {
    return new GilbertElliott(pGoodToBad, pBadToGood, lossInGood, lossInBad);
  }

  /** See {@link LossModel#none()}. */
  record None() implements LossModel {
    static final None INSTANCE = new None();
  }

  /**
   * Independent loss: every segment is lost with the same probability, whatever happened to the
   * segments before it. Simple, but real losses cluster (a full router queue drops a run of
   * packets), which is what {@link GilbertElliott} models.
   */
  record Bernoulli(double p) implements LossModel {
    public Bernoulli {
      requireProbability("bernoulli loss p", p);
    }
  }

  /**
   * The Gilbert-Elliott burst-loss channel (E. N. Gilbert, "Capacity of a burst-noise channel",
   * Bell System Technical Journal 39, 1960; E. O. Elliott, "Estimates of error rates for codes on
   * burst-noise channels", BSTJ 42, 1963): a two-state Markov chain. In the Good state a segment
   * is lost with probability {@code lossInGood} (usually 0 or tiny), in the Bad state with
   * {@code lossInBad} (usually high). After each segment the chain moves Good→Bad with
   * probability {@code pGoodToBad} and Bad→Good with {@code pBadToGood}. So the time spent in the
   * Bad state is geometric with mean {@code 1 / pBadToGood} segments — with
   * {@code lossInBad = 1} and {@code lossInGood = 0} that is the mean length of a loss burst —
   * and the long-run share of segments seen in the Bad state is
   * {@code pGoodToBad / (pGoodToBad + pBadToGood)}.
   *
   * <p>Here the chain runs per flow direction (source host and port to destination host and
   * port) and starts in Good: it advances once for each segment of that flow, in the canonical
   * order of the segments, so the outcome is the same on every run. A loss in the Bad state is
   * reported as {@code BURST_LOSS}, one in the Good state as {@code LOSS}.
   */
  record GilbertElliott(double pGoodToBad, double pBadToGood, double lossInGood, double lossInBad)
      implements LossModel {
    public GilbertElliott {
      requireProbability("gilbert-elliott pGoodToBad", pGoodToBad);
      requireProbability("gilbert-elliott pBadToGood", pBadToGood);
      requireProbability("gilbert-elliott lossInGood", lossInGood);
      requireProbability("gilbert-elliott lossInBad", lossInBad);
    }

    /** Mean number of consecutive segments in the Bad state: {@code 1 / pBadToGood}. */
    public double meanBadRun() {
      return 1.0 / pBadToGood;
    }

    /** Long-run probability of being in the Bad state. */
    public double stationaryBad() {
      double sum = pGoodToBad + pBadToGood;
      return sum == 0 ? 0 : pGoodToBad / sum;
    }

    /** Long-run loss rate: the state probabilities weighted by each state's loss. */
    public double meanLossRate() {
      double bad = stationaryBad();
      return (1 - bad) * lossInGood + bad * lossInBad;
    }

    /** The state after one segment: {@code u} is a uniform draw in [0, 1). */
    boolean next(boolean bad, double u) {
      return bad ? !(u < pBadToGood) : u < pGoodToBad;
    }
  }

  /** Throws unless {@code p} is a probability (in [0, 1], not NaN). */
  private static void requireProbability(String what, double p) {
    if (!(p >= 0 && p <= 1))
      throw new IllegalArgumentException(what + " must be a probability in [0, 1], got " + p);
  }
}
