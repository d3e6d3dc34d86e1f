package tcpsim.scenario;

import java.math.BigDecimal;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of the quantities a scenario is written in: durations, sizes, probabilities and bit
 * rates, each a number with a unit.
 *
 * <p>Why units are mandatory for durations and bit rates: a bare {@code 10} could be seconds or
 * milliseconds, bits or bytes, and guessing wrong silently changes an experiment by a factor of a
 * thousand. Only {@code 0} is allowed bare, since it means the same in every unit. Sizes may be
 * bare, because a size without unit can only mean bytes.
 *
 * <p>Numbers are decimal, parsed with {@link BigDecimal} so that {@code 1.5s} is exactly
 * 1,500,000,000 ns (no binary floating-point rounding). A value that is not a whole number of the
 * base unit ({@code 1.5ns}, {@code 0.3B}) is rejected rather than rounded. Negative values are
 * rejected: none of these quantities can be negative.
 *
 * <p>Every method throws {@link IllegalArgumentException} whose message says what is allowed
 * (starting with "must"), so that the loader can prefix the key and position and append the bad
 * value.
 */
public final class Units {

  private Units() {}

  /** A non-negative decimal number, then optional spaces, then an optional unit. */
  private static final Pattern NUMBER_UNIT =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?)[ ]*([A-Za-zµ/%]*)");

  /** Like {@link #NUMBER_UNIT} but also with an exponent, for tiny probabilities like 1e-6. */
  private static final Pattern PROBABILITY =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)[ ]*(%?)");

  public static final long NS = 1L;
  public static final long US = 1_000L;
  public static final long MS = 1_000_000L;
  public static final long S = 1_000_000_000L;
  public static final long MIN = 60 * S;
  public static final long HOUR = 60 * MIN;

  private static final Map<String, Long> DURATION_UNITS =
      Map.of("ns", NS, "us", US, "µs", US, "ms", MS, "s", S, "m", MIN, "h", HOUR);

  private static final Map<String, Long> SIZE_UNITS =
      Map.of(
          "B", 1L,
          "KB", 1_000L, "kB", 1_000L, "KiB", 1L << 10,
          "MB", 1_000_000L, "MiB", 1L << 20,
          "GB", 1_000_000_000L, "GiB", 1L << 30);

  private static final Map<String, Long> RATE_UNITS =
      Map.of(
          "bit/s", 1L, "bps", 1L,
          "kbit/s", 1_000L, "kbps", 1_000L,
          "Mbit/s", 1_000_000L, "Mbps", 1_000_000L,
          "Gbit/s", 1_000_000_000L, "Gbps", 1_000_000_000L);

  static final String DURATION_HELP =
      "a duration with a unit, such as 10ms, 1.5s or 2m (units: ns, us, ms, s, m, h)";
  static final String SIZE_HELP =
      "a size in bytes, such as 1460, 1.5KiB or 1MB (units: B, KB, KiB, MB, MiB, GB, GiB)";
  private static final Map<String, Double> PER_UNIT_SECONDS =
      Map.of("ns", 1e-9, "us", 1e-6, "µs", 1e-6, "ms", 1e-3, "s", 1.0, "min", 60.0, "h", 3600.0);

  /** A connection rate: a number, optional spaces, a slash and a time unit. */
  private static final Pattern EVENT_RATE =
      Pattern.compile("([0-9]+(?:\\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)[ ]*/[ ]*([A-Za-zµ]*)");

  static final String EVENT_RATE_HELP =
      "a rate of events per unit of time, such as 500/s, 2.5/ms or 100/min"
          + " (units: /ns, /us, /ms, /s, /min, /h)";
  static final String PROBABILITY_HELP = "a probability from 0 to 1, such as 0.05 or 5%";
  static final String RATE_HELP =
      "a bit rate with a unit, such as 9600bit/s, 500kbit/s, 10Mbit/s or 1Gbit/s"
          + " (units: bit/s, kbit/s, Mbit/s, Gbit/s)";

  /**
   * Parses a duration such as {@code 10ms}, {@code 1.5s}, {@code 100us}, {@code 250ns},
   * {@code 1m} (minute) or {@code 1h} into nanoseconds. {@code 0} needs no unit.
   */
  public static long parseDuration(String text) {
    return parseScaled(text, DURATION_UNITS, false, DURATION_HELP, "nanoseconds");
  }

  /**
   * Parses a size such as {@code 100}, {@code 100B}, {@code 1.5KiB}, {@code 1MiB}, {@code 1KB}
   * (1000) or {@code 1MB} (1,000,000) into bytes.
   */
  public static long parseSize(String text) {
    return parseScaled(text, SIZE_UNITS, true, SIZE_HELP, "bytes");
  }

  /**
   * Parses a bit rate such as {@code 9600bit/s}, {@code 500kbit/s}, {@code 10Mbit/s} or
   * {@code 1Gbit/s} (decimal prefixes, as for line rates) into bits per second.
   */
  public static long parseBitRate(String text) {
    return parseScaled(text, RATE_UNITS, false, RATE_HELP, "bits per second");
  }

  /**
   * Parses a rate of events (connections) per unit of time, such as {@code 500/s},
   * {@code 2.5/ms} or {@code 100/min}, into events per second. The unit is mandatory (a bare
   * {@code 500} could be per second or per minute); {@code /m} is rejected as ambiguous
   * (minute or millisecond?): write {@code /min} or {@code /ms}. Zero is accepted here; whether
   * it is allowed is the caller's business.
   */
  public static double parseEventRate(String text) {
    rejectNegative(text);
    Matcher m = EVENT_RATE.matcher(text == null ? "" : text.strip());
    if (!m.matches()) {
      if (text != null && text.strip().matches("[0-9]+(\\.[0-9]+)?")) {
        throw new IllegalArgumentException("must be " + EVENT_RATE_HELP
            + "; a rate needs a unit");
      }
      throw new IllegalArgumentException("must be " + EVENT_RATE_HELP);
    }
    String unit = m.group(2);
    if (unit.equals("m")) {
      throw new IllegalArgumentException("must be " + EVENT_RATE_HELP
          + "; '/m' is ambiguous, write /min (per minute) or /ms (per millisecond)");
    }
    Double seconds = PER_UNIT_SECONDS.get(unit);
    if (seconds == null) {
      throw new IllegalArgumentException("must be " + EVENT_RATE_HELP + "; unknown unit '/"
          + unit + "'");
    }
    double value;
    try {
      value = new BigDecimal(m.group(1)).doubleValue() / seconds;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be " + EVENT_RATE_HELP);
    }
    if (!Double.isFinite(value)) throw new IllegalArgumentException("must be a finite rate");
    return value;
  }

  /** Parses a probability written as a fraction ({@code 0.05}) or a percentage ({@code 5%}). */
  public static double parseProbability(String text) {
    rejectNegative(text);
    Matcher m = PROBABILITY.matcher(text == null ? "" : text.strip());
    if (!m.matches()) throw new IllegalArgumentException("must be " + PROBABILITY_HELP);
    BigDecimal value;
    try {
      value = new BigDecimal(m.group(1));
    } catch (NumberFormatException e) { // an exponent beyond int range
      throw new IllegalArgumentException("must be " + PROBABILITY_HELP);
    }
    if (m.group(2).equals("%")) value = value.movePointLeft(2);
    if (value.compareTo(BigDecimal.ONE) > 0)
      throw new IllegalArgumentException("must be " + PROBABILITY_HELP + " (at most 1 or 100%)");
    return value.doubleValue();
  }

  /**
   * The common part: number times unit factor, exact, as a {@code long}.
   *
   * @param bareAllowed whether a number without unit is accepted (in the base unit); otherwise
   *     only {@code 0} may be written bare
   */
  private static long parseScaled(
      String text, Map<String, Long> units, boolean bareAllowed, String help, String baseName) {
    rejectNegative(text);
    Matcher m = NUMBER_UNIT.matcher(text == null ? "" : text.strip());
    if (!m.matches()) throw new IllegalArgumentException("must be " + help);
    BigDecimal number = new BigDecimal(m.group(1));
    String unit = m.group(2);
    long factor;
    if (unit.isEmpty()) {
      if (!bareAllowed && number.signum() != 0)
        throw new IllegalArgumentException("must be " + help + "; only 0 may be written without unit");
      factor = 1;
    } else {
      Long f = units.get(unit);
      if (f == null) throw new IllegalArgumentException("must be " + help + "; unknown unit '" + unit + "'");
      factor = f;
    }
    BigDecimal value = number.multiply(BigDecimal.valueOf(factor));
    if (value.stripTrailingZeros().scale() > 0)
      throw new IllegalArgumentException("must be a whole number of " + baseName);
    if (value.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0)
      throw new IllegalArgumentException("must be at most " + Long.MAX_VALUE + " " + baseName);
    return value.longValueExact();
  }

  /** A clearer message for "-5ms" than "does not look like a duration". */
  private static void rejectNegative(String text) {
    if (text != null && text.strip().startsWith("-"))
      throw new IllegalArgumentException("must not be negative");
  }

  /**
   * Formats nanoseconds in the largest unit that shows the value exactly with at most three
   * decimals ({@code 1500000000} → {@code 1.5s}), for messages that quote a duration back.
   */
  public static String formatDuration(long nanos) {
    if (nanos == 0) return "0s";
    String[] names = {"h", "m", "s", "ms", "us"};
    long[] factors = {HOUR, MIN, S, MS, US};
    long abs = Math.abs(nanos);
    for (int i = 0; i < names.length; i++) {
      long f = factors[i];
      if (abs >= f && nanos % (f / 1000 == 0 ? 1 : f / 1000) == 0) {
        return BigDecimal.valueOf(nanos)
                .divide(BigDecimal.valueOf(f))
                .stripTrailingZeros()
                .toPlainString()
            + names[i];
      }
    }
    return nanos + "ns";
  }
}
