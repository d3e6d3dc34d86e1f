package tcpsim.scenario;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One entry of a scenario's {@code expect:} list: a check of a figure of the run's report.json,
 * written {@code <report path> <op> <value>}, such as {@code connections.established >= 99%} or
 * {@code handshakeMs.p99 < 500}.
 *
 * @param path a key of {@link #REPORT_PATHS}, such as {@code handshakeMs.p99}
 * @param op one of {@code <}, {@code <=}, {@code >}, {@code >=}, {@code ==}, {@code !=}
 * @param value the number written; with {@code percentOfAttempted} a percentage (99 for 99%)
 * @param percentOfAttempted the value ended in {@code %}: it is that percentage of
 *     {@code connections.attempted} (only for paths under {@code connections.} and
 *     {@code outcomes.})
 * @param text the entry as written (without surrounding blanks), for messages
 * @param line 1-based line of the entry in the scenario file
 * @param column 1-based column of the entry
 */
public record Expectation(
    String path, String op, double value, boolean percentOfAttempted, String text, int line,
    int column) {

  /**
   * The numeric figures of report.json ({@code tcpsim.report.ReportJson}) an expectation may
   * check, as dotted paths: the one list of them. {@code scenario} is listed (it is a key of the
   * report) but is text, so no expectation can compare it.
   */
  public static final List<String> REPORT_PATHS = reportPaths();

  private static final String TEXT_PATH = "scenario";

  private static List<String> reportPaths() {
    Map<String, List<String>> groups = new LinkedHashMap<>();
    List<String> times = List.of("count", "p50", "p90", "p99", "max");
    groups.put("connections",
        List.of("attempted", "established", "closed", "reset", "failed", "open"));
    groups.put("outcomes", List.of("closed", "reset", "aborted", "refused", "syn-timeout", "synack-timeout",
        "data-timeout", "open"));
    groups.put("segments",
        List.of("sent", "delivered", "dropped", "duplicated", "retransmitted", "inFlight"));
    groups.put("dropsByReason", List.of("loss", "burst-loss", "queue-overflow", "checksum",
        "syn-backlog-full", "accept-queue-full", "filtered", "partition", "blackhole",
        "host-down", "fault-loss", "fault-queue-overflow"));
    groups.put("handshakeMs", times);
    groups.put("lifecycleMs", times);
    groups.put("statePeaks", List.of("CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED",
        "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK",
        "TIME_WAIT"));
    List<String> out = new ArrayList<>(List.of(TEXT_PATH, "seed", "simulatedNs"));
    groups.forEach((g, keys) -> keys.forEach(k -> out.add(g + "." + k)));
    return List.copyOf(out);
  }

  private static final String ATTEMPTED = "connections.attempted";

  private static final Pattern SYNTAX = Pattern.compile(
      "([A-Za-z0-9._-]+)\\s*(<=|>=|==|!=|<|>)\\s*"
          + "([-+]?(?:[0-9]+(?:_[0-9]+)*(?:\\.[0-9]+)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?)(%?)");

  private static final String HELP = "a check \"<report path> <op> <value>\" with op one of <,"
      + " <=, >, >=, ==, != and a number or a percentage, such as"
      + " \"connections.established >= 99%\"";

  /** The outcome of {@link #evaluate}: {@code actual} is NaN if the report lacks the figure. */
  public record Result(Expectation expectation, boolean passed, double actual, String message) {}

  /** The {@code expect:} list (null: none). */
  static List<Expectation> parseAll(YamlValue node) throws ScenarioException {
    if (node == null) return List.of();
    if (!node.isList()) throw node.invalid("must be a list of checks such as"
        + " [\"connections.established >= 99%\"]");
    List<Expectation> out = new ArrayList<>();
    for (YamlValue item : node.asList()) out.add(parse(item));
    return List.copyOf(out);
  }

  /** One entry; errors name the entry's line and column. */
  static Expectation parse(YamlValue v) throws ScenarioException {
    String text = v.text(HELP).strip();
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) throw v.invalid("must be " + HELP);
    String path = m.group(1);
    if (!REPORT_PATHS.contains(path)) {
      List<String> groupKeys = new ArrayList<>();
      for (String p : REPORT_PATHS) {
        if (p.startsWith(path + ".")) groupKeys.add(p.substring(path.length() + 1));
      }
      if (!groupKeys.isEmpty()) {
        throw v.error("'" + path + "' is a group of the report; name one of its figures: "
            + path + "." + String.join(", ", groupKeys));
      }
      String hint = YamlValue.suggestion(path, REPORT_PATHS);
      if (hint.isEmpty()) {
        hint = " (report paths: scenario, seed, simulatedNs, and connections.*, outcomes.*,"
            + " segments.*, dropsByReason.*, handshakeMs.*, lifecycleMs.*, statePeaks.*;"
            + " see docs/scenarios.md)";
      }
      throw v.error("unknown report path '" + path + "'" + hint);
    }
    if (path.equals(TEXT_PATH)) {
      throw v.error("'" + TEXT_PATH + "' is the scenario's name, not a number; it cannot be"
          + " compared");
    }
    boolean percent = m.group(4).equals("%");
    if (percent && !path.startsWith("connections.") && !path.startsWith("outcomes.")) {
      throw v.error("a percentage (of connections.attempted) is only allowed for connections.*"
          + " and outcomes.*, not for '" + path + "'; write a number");
    }
    double value = Double.parseDouble(m.group(3).replace("_", ""));
    if (Double.isInfinite(value)) throw v.invalid("the number is too large");
    return new Expectation(path, m.group(2), value, percent, text, v.line(), v.column());
  }

  /**
   * Checks this expectation against a report as built by {@code ReportJson.build} (nested maps
   * of Long, Integer, Double and String values).
   */
  public Result evaluate(Map<String, Object> report) {
    double actual = number(report, path);
    double threshold = value;
    String context = "";
    String actualText;
    if (percentOfAttempted) {
      double attempted = number(report, ATTEMPTED);
      if (Double.isNaN(attempted)) {
        return new Result(this, false, actual,
            text + ": no number at '" + ATTEMPTED + "' in the report — fail");
      }
      threshold = value * attempted / 100;
      context = " (" + format(threshold) + " of " + format(attempted) + ")";
      actualText = Double.isNaN(actual) || attempted == 0 ? format(actual)
          : format(actual) + " (" + format(Math.round(actual * 10000 / attempted) / 100.0) + "%)";
    } else {
      actualText = format(actual);
    }
    if (Double.isNaN(actual)) {
      return new Result(this, false, actual,
          text + context + ": no number at '" + path + "' in the report — fail");
    }
    boolean passed = switch (op) {
      case "<" -> actual < threshold;
      case "<=" -> actual <= threshold;
      case ">" -> actual > threshold;
      case ">=" -> actual >= threshold;
      case "==" -> actual == threshold;
      case "!=" -> actual != threshold;
      default -> throw new IllegalStateException("unknown operator " + op);
    };
    return new Result(this, passed, actual,
        text + context + ": actual " + actualText + " — " + (passed ? "pass" : "fail"));
  }

  /** The number at a dotted path of nested maps, or NaN if there is none. */
  private static double number(Map<String, Object> report, String path) {
    Object cur = report;
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) return Double.NaN;
      cur = m.get(part);
    }
    return cur instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /** Whole numbers without a fraction, others with at most 10 significant digits. */
  static String format(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return String.valueOf(d);
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return new BigDecimal(d).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }
}
