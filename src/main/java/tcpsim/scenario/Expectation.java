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
        "data-timeout", "crashed", "open"));
    groups.put("segments",
        List.of("sent", "delivered", "dropped", "duplicated", "retransmitted", "inFlight"));
    groups.put("dropsByReason", List.of("loss", "burst-loss", "queue-overflow", "checksum",
        "syn-backlog-full", "accept-queue-full", "filtered", "no-host", "ignored", "partition",
        "blackhole", "host-down", "fault-loss", "fault-queue-overflow"));
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

  /** A client group's figures: {@code groups.NAME.<figure>}. */
  private static final List<String> GROUP_COUNTS =
      List.of("attempted", "established", "closed", "reset", "failed", "open");
  /** A group's figures in one phase of an attack: {@code groups.NAME.during.<figure>}. */
  private static final List<String> PHASES = List.of("before", "during", "after");
  private static final List<String> PHASE_COUNTS = List.of("attempted", "established", "failed");
  private static final List<String> TIMES = List.of("count", "p50", "p90", "p99", "max");
  private static final List<String> LISTENER_FIGURES = List.of("synBacklogPeak", "synDropped",
      "acceptQueuePeak", "accepted", "synAckRetransmits", "resetsSent", "cookiesSent",
      "cookiesAccepted", "cookiesRejected", "listenDrops", "listenOverflows");
  private static final List<String> ATTACKER_FIGURES = List.of("synsSent", "ratePerSecond");
  /** What a scheduled fault did: {@code faults.N.<figure>}, N the fault's index. */
  static final List<String> FAULT_FIGURES = List.of("segmentsMatched", "segmentsDropped",
      "segmentsDelayed", "segmentsDuplicated", "segmentsCorrupted", "resetsInjected",
      "segmentsRetransmitted", "connectionsReset", "connectionsTimedOut", "endpointsCrashed");
  /** The one fault figure only a crash reports. */
  private static final String CRASH_FIGURE = "endpointsCrashed";

  /**
   * A figure of one entry of a report list: {@code groups.web.during.established} is figure
   * {@code during.established} of the group named {@code web}. Names may contain dots, so the
   * figure is matched from the end against the known ones. Faults have no names: an entry of
   * {@code faults} is selected by its index ({@code faults.2.segmentsDropped}).
   */
  record Item(String list, String name, String figure) {
    private static final Map<String, List<String>> FIGURES = Map.of(
        "groups", groupFigures(), "listeners", LISTENER_FIGURES, "attackers", ATTACKER_FIGURES,
        "faults", FAULT_FIGURES);

    private static List<String> groupFigures() {
      List<String> out = new ArrayList<>(GROUP_COUNTS);
      for (String t : TIMES) out.add("handshakeMs." + t);
      for (String p : PHASES) {
        for (String c : PHASE_COUNTS) out.add(p + "." + c);
        for (String t : TIMES) out.add(p + ".handshakeMs." + t);
      }
      return List.copyOf(out);
    }

    /**
     * The item a path names, or null if it is not under groups, listeners, attackers or
     * faults.
     */
    static Item of(String path) {
      int dot = path.indexOf('.');
      if (dot < 0) return null;
      List<String> figures = FIGURES.get(path.substring(0, dot));
      if (figures == null) return null;
      String best = null;
      for (String f : figures) {
        if (path.endsWith("." + f) && path.length() - f.length() - 1 > dot + 1
            && (best == null || f.length() > best.length())) {
          best = f;
        }
      }
      if (best == null) return null;
      return new Item(path.substring(0, dot),
          path.substring(dot + 1, path.length() - best.length() - 1), best);
    }
  }

  /** The count a percentage of {@code path} is taken of, or null if none applies. */
  private static String attemptedPathFor(String path) {
    if (path.startsWith("connections.") || path.startsWith("outcomes.")) return ATTEMPTED;
    Item item = Item.of(path);
    if (item == null || !item.list().equals("groups")) return null;
    String[] parts = item.figure().split("\\.");
    String last = parts[parts.length - 1];
    if (parts.length == 1 && GROUP_COUNTS.contains(last)) {
      return "groups." + item.name() + ".attempted";
    }
    if (parts.length == 2 && PHASES.contains(parts[0]) && PHASE_COUNTS.contains(last)) {
      return "groups." + item.name() + "." + parts[0] + ".attempted";
    }
    return null;
  }

  /**
   * Checks that every group, listener and attacker an expectation names exists in
   * {@code scenario}, and every fault index it names is one of the scenario's faults (with
   * {@code endpointsCrashed} only for a crash); the error names the expectation's line and
   * column.
   */
  static void checkNames(List<Expectation> expectations, Scenario scenario, String file)
      throws ScenarioException {
    for (Expectation e : expectations) {
      Item item = Item.of(e.path());
      if (item == null) continue;
      if (item.list().equals("faults")) {
        checkFault(e, item, scenario, file);
        continue;
      }
      List<String> names = switch (item.list()) {
        case "groups" -> scenario.groups().stream().map(Scenario.ClientGroup::name).toList();
        case "listeners" -> scenario.listeners().stream()
            .map(l -> scenario.hosts().get(l.host()).name() + ":" + l.port()).toList();
        default -> scenario.attackers().stream().map(Scenario.Attacker::name).toList();
      };
      if (names.contains(item.name())) continue;
      String what = switch (item.list()) {
        case "groups" -> "client group";
        case "listeners" -> "listener (host:port)";
        default -> "attacker";
      };
      String hint = YamlValue.suggestion(item.name(), names);
      if (hint.isEmpty()) {
        hint = names.isEmpty() ? " (the scenario has none)"
            : " (" + item.list() + ": " + String.join(", ", names) + ")";
      }
      throw new ScenarioException(file, e.line(), e.column(), "expect",
          "'" + e.text() + "': no " + what + " named '" + item.name() + "'" + hint);
    }
  }

  /** A fault's index: 0, 1, ... written plainly (no sign, no leading zeros). */
  private static final Pattern FAULT_INDEX = Pattern.compile("0|[1-9][0-9]{0,8}");

  private static void checkFault(Expectation e, Item item, Scenario scenario, String file)
      throws ScenarioException {
    int count = scenario.faults().size();
    String have = count == 0 ? "the scenario has no faults"
        : count == 1 ? "the scenario has 1 fault, index 0"
        : "the scenario has " + count + " faults, indices 0 to " + (count - 1);
    if (!FAULT_INDEX.matcher(item.name()).matches()
        || Integer.parseInt(item.name()) >= count) {
      throw new ScenarioException(file, e.line(), e.column(), "expect",
          "'" + e.text() + "': no fault with index '" + item.name() + "' (" + have
              + "; a fault's index is its position in faults:, from 0)");
    }
    tcpsim.net.Fault fault = scenario.faults().get(Integer.parseInt(item.name()));
    if (item.figure().equals(CRASH_FIGURE) && !(fault.effect() instanceof tcpsim.net.Fault.Crash)) {
      throw new ScenarioException(file, e.line(), e.column(), "expect",
          "'" + e.text() + "': fault " + item.name() + " is a " + fault.kind() + "; "
              + CRASH_FIGURE + " is reported for crash faults only");
    }
  }

  private static final Pattern SYNTAX = Pattern.compile(
      "([A-Za-z0-9._:-]+)\\s*(<=|>=|==|!=|<|>)\\s*"
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
    Item item = Item.of(path);
    if (item == null && !REPORT_PATHS.contains(path)) {
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
            + " segments.*, dropsByReason.*, handshakeMs.*, lifecycleMs.*, statePeaks.*,"
            + " groups.NAME.*, listeners.HOST:PORT.*, attackers.NAME.*, faults.N.*; see"
            + " docs/scenarios.md)";
      }
      throw v.error("unknown report path '" + path + "'" + hint);
    }
    if (path.equals(TEXT_PATH)) {
      throw v.error("'" + TEXT_PATH + "' is the scenario's name, not a number; it cannot be"
          + " compared");
    }
    boolean percent = m.group(4).equals("%");
    if (percent && attemptedPathFor(path) == null) {
      throw v.error("a percentage (of connections.attempted, or of a group's attempted) is only"
          + " allowed for connections.*, outcomes.* and a group's connection counts, not for '"
          + path + "'; write a number");
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
      String attemptedPath = attemptedPathFor(path);
      double attempted = number(report, attemptedPath);
      if (Double.isNaN(attempted)) {
        return new Result(this, false, actual,
            text + ": no number at '" + attemptedPath + "' in the report — fail");
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

  /**
   * The number at a dotted path of nested maps, or NaN if there is none. A path into a list
   * ({@code groups}, {@code listeners}, {@code attackers}) selects the entry by its name, into
   * {@code faults} by its index.
   */
  private static double number(Map<String, Object> report, String path) {
    Item item = Item.of(path);
    Object cur = report;
    if (item != null) {
      cur = null;
      if (report.get(item.list()) instanceof List<?> entries) {
        for (Object entry : entries) {
          if (entry instanceof Map<?, ?> m && item.name().equals(entryName(m))) cur = m;
        }
      }
      path = item.figure();
    }
    for (String part : path.split("\\.")) {
      if (!(cur instanceof Map<?, ?> m)) return Double.NaN;
      cur = m.get(part);
    }
    return cur instanceof Number n ? n.doubleValue() : Double.NaN;
  }

  /**
   * A report list entry's name: its {@code name}, for a listener {@code host:port}, for a fault
   * its {@code index}.
   */
  private static String entryName(Map<?, ?> entry) {
    Object name = entry.get("name");
    if (name != null) return name.toString();
    Object index = entry.get("index");
    if (index != null) return index.toString();
    return entry.get("host") + ":" + entry.get("port");
  }

  /** Whole numbers without a fraction, others with at most 10 significant digits. */
  static String format(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) return String.valueOf(d);
    if (d == Math.rint(d) && Math.abs(d) < 1e15) return Long.toString((long) d);
    return new BigDecimal(d).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }
}
