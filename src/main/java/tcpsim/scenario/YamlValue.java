package tcpsim.scenario;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * One YAML node together with where it is (file, key path) and typed conversions that fail with
 * a {@link ScenarioException} pointing at the node's line and column.
 *
 * <p>Why not let snakeyaml construct Java maps and lists: those lose the marks, and every error
 * message must say where in the file the problem is. Why convert from the scalar's text rather
 * than its resolved YAML tag: the JSON schema resolves {@code 10_000} or {@code 1.5KiB} as
 * strings, and users should not have to care whether a value is quoted; the text is what they
 * wrote. Only an explicit null ({@code ~}, {@code null} or nothing) is treated as "no value".
 */
final class YamlValue {

  /** Names of scenarios, hosts and groups: safe as file names and in "host:port". */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  static final String NAME_HELP = "a name of letters, digits, '.', '_' or '-'";

  final String file;
  final Node node;
  final String path;

  YamlValue(String file, Node node, String path) {
    this.file = file;
    this.node = node;
    this.path = path;
  }

  // --- positions and errors ------------------------------------------------------------------

  static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  static int column(Node node) {
    return node.getStartMark().map(m -> m.getColumn() + 1).orElse(0);
  }

  static int line(Mark mark) {
    return mark.getLine() + 1;
  }

  int line() {
    return line(node);
  }

  int column() {
    return column(node);
  }

  /** An error about this value: {@code reason} is what is allowed; the bad value is appended. */
  ScenarioException invalid(String reason) {
    return error(reason + ", got " + describe(node));
  }

  /** An error about this value with a free-form reason. */
  ScenarioException error(String reason) {
    return new ScenarioException(file, line(), column(), path.isEmpty() ? null : path, reason);
  }

  /** How a node is quoted back in messages: the scalar's text in quotes, or its kind. */
  static String describe(Node node) {
    if (node instanceof MappingNode) return "a mapping";
    if (node instanceof SequenceNode) return "a list";
    if (isNull(node)) return "null (no value)";
    String text = ((ScalarNode) node).getValue();
    StringBuilder sb = new StringBuilder("\"");
    int max = 60;
    for (int i = 0; i < text.length() && i < max; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') sb.append('\\').append(c);
      else if (c == '\n') sb.append("\\n");
      else if (c == '\t') sb.append("\\t");
      else if (c < 0x20) sb.append(String.format("\\u%04x", (int) c));
      else sb.append(c);
    }
    if (text.length() > max) sb.append("...");
    return sb.append('"').toString();
  }

  static boolean isNull(Node node) {
    return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
  }

  boolean isNull() {
    return isNull(node);
  }

  boolean isMap() {
    return node instanceof MappingNode;
  }

  boolean isList() {
    return node instanceof SequenceNode;
  }

  boolean isScalar() {
    return node instanceof ScalarNode && !isNull();
  }

  // --- structure -----------------------------------------------------------------------------

  YamlMap asMap() throws ScenarioException {
    if (!(node instanceof MappingNode)) throw invalid("must be a mapping (key: value lines)");
    return new YamlMap(this);
  }

  /** The elements of a list, each with its path {@code path[i]}. */
  List<YamlValue> asList() throws ScenarioException {
    if (!(node instanceof SequenceNode)) throw invalid("must be a list");
    List<Node> items = ((SequenceNode) node).getValue();
    List<YamlValue> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      out.add(new YamlValue(file, items.get(i), path + "[" + i + "]"));
    }
    return out;
  }

  // --- scalars -------------------------------------------------------------------------------

  /** The scalar's text; {@code what} describes the expected value for the error message. */
  String text(String what) throws ScenarioException {
    if (!isScalar()) throw invalid("must be " + what);
    return ((ScalarNode) node).getValue();
  }

  String asString() throws ScenarioException {
    return text("a string");
  }

  /** A name matching {@link #NAME}. */
  String asName() throws ScenarioException {
    String s = text(NAME_HELP);
    if (!NAME.matcher(s).matches()) throw invalid("must be " + NAME_HELP);
    return s;
  }

  /** One of a fixed set of words, with a "did you mean" hint for near misses. */
  String asChoice(List<String> choices) throws ScenarioException {
    String what = "one of " + String.join(", ", choices);
    String s = text(what);
    if (!choices.contains(s)) throw invalid("must be " + what + suggestion(s, choices));
    return s;
  }

  boolean asBoolean() throws ScenarioException {
    String s = text("true or false");
    if (s.equals("true")) return true;
    if (s.equals("false")) return false;
    throw invalid("must be true or false");
  }

  /**
   * An integer in {@code [min, max]}; underscores between digits are allowed ({@code 10_000}).
   */
  long asLong(long min, long max) throws ScenarioException {
    String what = "an integer" + range(min, max);
    String s = text(what);
    if (!s.matches("[-+]?[0-9]+(_[0-9]+)*")) throw invalid("must be " + what);
    long v;
    try {
      v = Long.parseLong(s.replace("_", ""));
    } catch (NumberFormatException e) { // beyond the range of a long
      throw invalid("must be " + what);
    }
    if (v < min || v > max) throw invalid("must be " + what);
    return v;
  }

  int asInt(int min, int max) throws ScenarioException {
    return (int) asLong(min, max);
  }

  private static String range(long min, long max) {
    boolean noMin = min == Long.MIN_VALUE || min == Integer.MIN_VALUE;
    boolean noMax = max == Long.MAX_VALUE || max == Integer.MAX_VALUE;
    if (noMin && noMax) return "";
    if (noMax) return " >= " + min;
    if (noMin) return " <= " + max;
    return " in " + min + ".." + max;
  }

  /** A duration in nanoseconds, at least {@code min} ns ({@code 0} or {@code 1} in practice). */
  long asDuration(long min) throws ScenarioException {
    String s = text(Units.DURATION_HELP);
    long v;
    try {
      v = Units.parseDuration(s);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (v < min) {
      throw invalid(min == 1 ? "must be a duration greater than 0"
          : "must be a duration of at least " + Units.formatDuration(min));
    }
    return v;
  }

  /** A size in bytes in {@code [min, max]}. */
  long asSize(long min, long max) throws ScenarioException {
    String s = text(Units.SIZE_HELP);
    long v;
    try {
      v = Units.parseSize(s);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (v < min || v > max) {
      String range = max == Long.MAX_VALUE ? "of at least " + min : "in " + min + ".." + max;
      throw error("must be a size " + range + " bytes, got " + describe(node)
          + (String.valueOf(v).equals(s) ? "" : " (" + v + " bytes)"));
    }
    return v;
  }

  double asProbability() throws ScenarioException {
    String s = text(Units.PROBABILITY_HELP);
    try {
      return Units.parseProbability(s);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** A rate of events such as {@code 500/s}, in events per second, greater than 0. */
  double asEventRate() throws ScenarioException {
    String s = text(Units.EVENT_RATE_HELP);
    double v;
    try {
      v = Units.parseEventRate(s);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
    if (!(v > 0)) throw invalid("must be a rate greater than 0");
    return v;
  }

  long asBitRate() throws ScenarioException {
    String s = text(Units.RATE_HELP);
    try {
      return Units.parseBitRate(s);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  /** A plain positive decimal number (not a quantity with a unit), such as a Pareto shape. */
  double asPositiveNumber() throws ScenarioException {
    String what = "a number greater than 0";
    String s = text(what);
    if (!s.matches("[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?")) throw invalid("must be " + what);
    double v = Double.parseDouble(s);
    if (!(v > 0) || Double.isInfinite(v)) throw invalid("must be " + what);
    return v;
  }

  // --- suggestions ---------------------------------------------------------------------------

  /**
   * {@code " (did you mean 'x'?)"} for the known word closest to {@code given} if it is at most
   * two edits away, else the empty string. Two edits catch the usual typos (a swapped, missing or
   * extra letter) without suggesting unrelated words for short keys.
   */
  static String suggestion(String given, Collection<String> known) {
    String best = null;
    int bestDistance = 3;
    for (String k : known) {
      int d = levenshtein(given, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best == null ? "" : " (did you mean '" + best + "'?)";
  }

  /**
   * Edit distance (insertions, deletions, substitutions), case-sensitive; any distance above 2
   * may be reported as 3, since only "close" matters here.
   */
  static int levenshtein(String a, String b) {
    if (Math.abs(a.length() - b.length()) > 2) return 3; // far enough; skips long inputs cheaply
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) prev[j] = j;
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
