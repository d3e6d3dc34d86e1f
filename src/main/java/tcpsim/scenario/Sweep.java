package tcpsim.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * The {@code sweep:} key: expands a scenario into one {@link Variant} per combination of values.
 *
 * <p>Why substitute into the node tree rather than patch the loaded {@link Scenario}: every
 * variant then goes through the same {@link ScenarioLoader} code, with the same validation and
 * messages, and a new scenario key can be swept without any code here. The swept value's node
 * (from the {@code sweep} list) is put into the tree as it is, so an error about it carries the
 * line and column of that sweep entry.
 *
 * <p>Each value is first checked alone (substituted into the base), so that a bad value is
 * reported at its own position; a combination that is invalid only together (a swept
 * {@code rtoMin} above a swept {@code rtoMax}) is reported at the value of one of them.
 */
final class Sweep {

  private Sweep() {}

  /** A sweep is meant for a handful of runs, not for an accidental combinatorial explosion. */
  static final int MAX_VARIANTS = 10_000;

  /**
   * Numbers, durations, sizes, probabilities and bit rates: a number, optionally followed by a
   * unit ({@code 10ms}, {@code 1.5KiB}, {@code 5%}, {@code 1e-6}, {@code 10Mbit/s}). The loader
   * checks the value properly; this only keeps names, words and structures out of a sweep.
   */
  private static final Pattern NUMERIC =
      Pattern.compile("[-+]?[0-9][0-9_]*(\\.[0-9]+)?([eE][-+]?[0-9]+)? ?[A-Za-zµ%/]*");

  private static final String PATH_HELP =
      "a key path is keys joined by '.' with list entries as [i], such as clients[0].count";

  /** One {@code key path: [values]} entry. {@code steps} are String keys and Integer indices. */
  private record Entry(String path, List<Object> steps, List<YamlValue> values) {}

  static List<Variant> expand(YamlValue root, YamlValue sweepNode, Scenario base,
      List<Expectation> expectations) throws ScenarioException {
    String file = root.file;
    if (sweepNode == null) {
      return List.of(new Variant(base.name(), base.name(), base, expectations, Map.of()));
    }
    YamlMap sweep = sweepNode.asMap(); // a mapping of plain keys, no duplicates
    List<Entry> entries = new ArrayList<>();
    long combinations = 1;
    for (NodeTuple t : ((MappingNode) sweepNode.node).getValue()) {
      Node keyNode = t.getKeyNode();
      String path = ((ScalarNode) keyNode).getValue();
      List<Object> steps = resolve(root.node, path, file, keyNode, "sweep.");
      for (Entry other : entries) {
        List<Object> a = other.steps().size() <= steps.size() ? other.steps() : steps;
        List<Object> b = a == steps ? other.steps() : steps;
        if (b.subList(0, a.size()).equals(a)) {
          throw pathError(file, keyNode, "sweep.", path, "overlaps with the swept key '" + other.path()
              + "' (one lies inside the other)");
        }
      }
      YamlValue listNode = sweep.get(path);
      if (!listNode.isList()) {
        throw listNode.invalid("must be a list of values to try, such as [0, 1%, 5%]");
      }
      List<YamlValue> values = listNode.asList();
      if (values.isEmpty()) {
        throw listNode.error("must be a non-empty list of values to try, such as [0, 1%, 5%]");
      }
      Map<String, YamlValue> seen = new HashMap<>();
      for (YamlValue v : values) {
        if (!v.isScalar() || !NUMERIC.matcher(((ScalarNode) v.node).getValue()).matches()) {
          throw v.invalid("sweep values must be numbers, durations, sizes, probabilities or bit"
              + " rates (a number, optionally with a unit)");
        }
        String text = ((ScalarNode) v.node).getValue();
        YamlValue first = seen.putIfAbsent(Variant.sanitize(text), v);
        if (first != null) {
          throw v.error("duplicate value \"" + text + "\" (the variant name would be the same as"
              + " for the value at line " + first.line() + ")");
        }
      }
      Entry e = new Entry(path, steps, values);
      // Each value alone first: its own errors, at its own position.
      for (YamlValue v : values) {
        Node tree = substitute(root.node, steps, 0, v.node, path);
        try {
          ScenarioLoader.scenario(new YamlValue(file, tree, ""), file);
        } catch (ScenarioException ex) {
          throw blame(ex, v, "with this value the scenario is invalid: ");
        }
      }
      entries.add(e);
      combinations *= values.size();
      if (combinations > MAX_VARIANTS) {
        throw sweepNode.error("too many combinations (more than " + MAX_VARIANTS
            + " variants); split the sweep into several files");
      }
    }
    if (entries.isEmpty()) {
      return List.of(new Variant(base.name(), base.name(), base, expectations, Map.of()));
    }

    List<Variant> out = new ArrayList<>((int) combinations);
    int[] index = new int[entries.size()];
    while (true) {
      Node tree = root.node;
      Map<String, String> values = new LinkedHashMap<>();
      StringBuilder name = new StringBuilder(base.name());
      for (int k = 0; k < entries.size(); k++) {
        Entry e = entries.get(k);
        YamlValue v = e.values().get(index[k]);
        String text = ((ScalarNode) v.node).getValue();
        tree = substitute(tree, e.steps(), 0, v.node, e.path());
        values.put(e.path(), text);
        name.append("--").append(e.path()).append('=').append(text);
      }
      String variantName = Variant.sanitize(name.toString());
      Scenario s;
      try {
        s = ScenarioLoader.scenario(new YamlValue(file, tree, ""), file);
      } catch (ScenarioException ex) {
        throw blame(ex, culprit(ex, entries, index), "the variant " + variantName
            + " is invalid: ");
      }
      Scenario renamed = s.renamed(variantName, Variant.deriveSeed(s.seed(), variantName));
      out.add(new Variant(variantName, base.name(), renamed, expectations, values));

      int k = entries.size() - 1; // odometer: the last key varies fastest
      while (k >= 0 && ++index[k] == entries.get(k).values().size()) index[k--] = 0;
      if (k < 0) break;
    }
    return out;
  }

  /**
   * An error found while loading a substituted tree, reported at the sweep value {@code v}: as
   * it is if it is already there, else wrapped with the original message.
   */
  private static ScenarioException blame(ScenarioException ex, YamlValue v, String prefix) {
    if (ex.getLine() == v.line() && ex.getColumn() == v.column()) return ex;
    return new ScenarioException(v.file, v.line(), v.column(), v.path,
        prefix + ex.getMessage(), ex);
  }

  /** The swept value of a combination whose path is most like the failing key's. */
  private static YamlValue culprit(ScenarioException ex, List<Entry> entries, int[] index) {
    String key = ex.getKeyPath() == null ? "" : ex.getKeyPath();
    int best = 0;
    int bestLength = -1;
    for (int k = 0; k < entries.size(); k++) {
      String p = entries.get(k).path();
      int n = 0;
      while (n < p.length() && n < key.length() && p.charAt(n) == key.charAt(n)) n++;
      if (n > bestLength) {
        best = k;
        bestLength = n;
      }
    }
    return entries.get(best).values().get(index[best]);
  }

  // --- key paths -------------------------------------------------------------------------------

  /** Parses {@code path} and checks that it names a node of the document. */
  private static List<Object> resolve(Node root, String path, String file, Node keyNode,
      String prefix) throws ScenarioException {
    List<Object> steps = parse(path);
    if (steps == null) {
      throw pathError(file, keyNode, prefix, path, "malformed key path: " + PATH_HELP);
    }
    if (steps.get(0).equals("sweep") || steps.get(0).equals("expect")
        || steps.get(0).equals("variants")) {
      throw pathError(file, keyNode, prefix, path, "'" + steps.get(0) + "' cannot be swept");
    }
    Node node = root;
    String where = "";
    for (Object step : steps) {
      if (step instanceof String key) {
        if (!(node instanceof MappingNode m)) {
          throw pathError(file, keyNode, prefix, path, notA(node, where, "mapping", "." + key));
        }
        Node next = null;
        List<String> present = new ArrayList<>();
        for (NodeTuple t : m.getValue()) {
          String k = ((ScalarNode) t.getKeyNode()).getValue();
          present.add(k);
          if (k.equals(key) && next == null) next = t.getValueNode();
        }
        if (next == null) {
          String hint = YamlValue.suggestion(key, present);
          if (hint.isEmpty()) {
            hint = " (keys there: " + String.join(", ", present) + "; a swept key must be"
                + " written in the scenario, its value is replaced)";
          }
          throw pathError(file, keyNode, prefix, path, "unknown path: no key '" + key + "' "
              + (where.isEmpty() ? "at the top level" : "under '" + where + "'") + hint);
        }
        node = next;
        where = where.isEmpty() ? key : where + "." + key;
      } else {
        int i = (Integer) step;
        if (!(node instanceof SequenceNode s)) {
          throw pathError(file, keyNode, prefix, path, notA(node, where, "list", "[" + i + "]"));
        }
        if (i >= s.getValue().size()) {
          throw pathError(file, keyNode, prefix, path, "unknown path: '" + where + "' has "
              + s.getValue().size() + " entries, so [" + i + "] does not exist");
        }
        node = s.getValue().get(i);
        where = where + "[" + i + "]";
      }
    }
    return steps;
  }

  private static String notA(Node node, String where, String kind, String step) {
    String is = node instanceof SequenceNode ? "a list" : node instanceof MappingNode
        ? "a mapping" : "a single value";
    String hint = node instanceof SequenceNode && kind.equals("mapping")
        ? "; select an entry with [i], such as '" + where + "[0]" + step + "'" : "";
    return "unknown path: '" + where + "' is " + is + ", not a " + kind + ", so '" + where + step
        + "' does not exist" + hint;
  }

  private static ScenarioException pathError(String file, Node keyNode, String prefix,
      String path, String reason) {
    return new ScenarioException(file, YamlValue.line(keyNode), YamlValue.column(keyNode),
        prefix + path, reason);
  }

  /** The node at key path {@code path} of {@code tree}; errors name {@code keyNode}. */
  static Node nodeAt(Node tree, String path, Node keyNode, String file)
      throws ScenarioException {
    Node node = tree;
    for (Object step : resolve(tree, path, file, keyNode, "variants.set.")) {
      if (step instanceof String key) {
        for (NodeTuple t : ((MappingNode) node).getValue()) {
          if (((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
            node = t.getValueNode();
            break;
          }
        }
      } else {
        node = ((SequenceNode) node).getValue().get((Integer) step);
      }
    }
    return node;
  }

  /** A copy of {@code tree} with {@code value} at key path {@code path}, which must exist. */
  static Node substituteAt(Node tree, String path, Node keyNode, Node value, String file)
      throws ScenarioException {
    List<Object> steps = resolve(tree, path, file, keyNode, "variants.set.");
    return substitute(tree, steps, 0, value, path);
  }

  /** {@code a.b[0].c} → ["a", "b", 0, "c"], or null if malformed. */
  static List<Object> parse(String path) {
    List<Object> steps = new ArrayList<>();
    int i = 0;
    int n = path.length();
    boolean expectKey = true;
    while (i < n || expectKey) {
      if (expectKey) {
        int start = i;
        while (i < n && isKeyChar(path.charAt(i))) i++;
        if (i == start) return null;
        steps.add(path.substring(start, i));
        expectKey = false;
      } else if (path.charAt(i) == '.') {
        i++;
        expectKey = true;
      } else if (path.charAt(i) == '[') {
        int start = ++i;
        while (i < n && path.charAt(i) >= '0' && path.charAt(i) <= '9') i++;
        if (i == start || i >= n || path.charAt(i) != ']' || i - start > 9) return null;
        steps.add(Integer.parseInt(path.substring(start, i)));
        i++;
      } else {
        return null;
      }
    }
    return steps;
  }

  private static boolean isKeyChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
        || c == '_' || c == '-';
  }

  /** A copy of the path from {@code node} down, with {@code replacement} at its end. */
  private static Node substitute(Node node, List<Object> steps, int i, Node replacement,
      String path) {
    if (i == steps.size()) return replacement;
    Object step = steps.get(i);
    if (node instanceof MappingNode m && step instanceof String key) {
      List<NodeTuple> tuples = new ArrayList<>(m.getValue());
      for (int j = 0; j < tuples.size(); j++) {
        NodeTuple t = tuples.get(j);
        if (((ScalarNode) t.getKeyNode()).getValue().equals(key)) {
          tuples.set(j, new NodeTuple(t.getKeyNode(),
              substitute(t.getValueNode(), steps, i + 1, replacement, path)));
          return new MappingNode(m.getTag(), true, tuples, m.getFlowStyle(), m.getStartMark(),
              m.getEndMark());
        }
      }
    } else if (node instanceof SequenceNode s && step instanceof Integer index) {
      List<Node> items = new ArrayList<>(s.getValue());
      items.set(index, substitute(items.get(index), steps, i + 1, replacement, path));
      return new SequenceNode(s.getTag(), true, items, s.getFlowStyle(), s.getStartMark(),
          s.getEndMark());
    }
    throw new IllegalStateException("sweep path " + path + " no longer resolves"); // resolved
  }
}
