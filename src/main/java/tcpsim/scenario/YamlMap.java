package tcpsim.scenario;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Typed access to one YAML mapping that remembers which keys the loader asked for, so that
 * {@link #finish()} can report every other key as unknown.
 *
 * <p>Why record the asked keys instead of keeping a separate list of allowed keys: the list can
 * then never drift from the code that reads the values. The price is an order rule for the
 * loader: {@link #get} every key of a mapping (required ones included), then call {@link
 * #finish()}, then check the required ones with {@link #required}. That way a misspelt key is
 * reported as unknown, with a suggestion, rather than as a missing required key.
 *
 * <p>Duplicate keys are rejected here, with the position of the second one, because the node
 * composer (unlike snakeyaml's object constructor) does not check them.
 */
final class YamlMap {

  private final YamlValue self;
  /** Key text → key/value nodes, in document order. */
  private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
  /** Every key the loader asked for, present or not: the known keys of this mapping. */
  private final Set<String> asked = new LinkedHashSet<>();

  YamlMap(YamlValue self) throws ScenarioException {
    this.self = self;
    for (NodeTuple t : ((MappingNode) self.node).getValue()) {
      Node k = t.getKeyNode();
      if (!(k instanceof ScalarNode) || YamlValue.isNull(k)) {
        throw new ScenarioException(self.file, YamlValue.line(k), YamlValue.column(k),
            self.path.isEmpty() ? null : self.path,
            "keys must be plain words, got " + YamlValue.describe(k));
      }
      String key = ((ScalarNode) k).getValue();
      NodeTuple first = entries.putIfAbsent(key, t);
      if (first != null) {
        throw new ScenarioException(self.file, YamlValue.line(k), YamlValue.column(k),
            childPath(key), "duplicate key (first given at line "
                + YamlValue.line(first.getKeyNode()) + ")");
      }
    }
  }

  /** The mapping itself (its position is the one reported for a missing key). */
  YamlValue self() {
    return self;
  }

  String childPath(String key) {
    return self.path.isEmpty() ? key : self.path + "." + key;
  }

  boolean has(String key) {
    asked.add(key);
    return entries.containsKey(key);
  }

  /** The value of {@code key}, or null if the key is absent. An explicit null value is returned. */
  YamlValue get(String key) {
    asked.add(key);
    NodeTuple t = entries.get(key);
    return t == null ? null : new YamlValue(self.file, t.getValueNode(), childPath(key));
  }

  /**
   * The value of a key whose value is a list or mapping: null if absent or explicitly empty
   * ({@code listeners:} with every entry commented out means "none", not an error).
   */
  YamlValue getCollection(String key) {
    YamlValue v = get(key);
    return v == null || v.isNull() ? null : v;
  }

  /**
   * The value of a required key that decides which other keys are allowed ({@code distribution},
   * {@code model}), so it has to be read before {@link #finish()}. If it is missing and an
   * unknown key of this mapping is a near miss, the error names that key instead: "missing
   * 'distribution'" is less helpful than "unknown key 'distrbution' (did you mean
   * 'distribution'?)". Any other required key is read with {@link #get}, checked with
   * {@link #required} after {@code finish()}: otherwise a legitimate key not yet read could be
   * taken for a misspelling ({@code port} is two edits from {@code host}).
   */
  YamlValue require(String key) throws ScenarioException {
    YamlValue v = get(key);
    if (v != null) return v;
    for (NodeTuple t : entries.values()) {
      String present = ((ScalarNode) t.getKeyNode()).getValue();
      if (!asked.contains(present) && YamlValue.levenshtein(present, key) <= 2) {
        throw unknownKey(t.getKeyNode(), present);
      }
    }
    throw missing(key);
  }

  /**
   * {@code v}, the value earlier read with {@code get(key)}, or the "required key is missing"
   * error if it was absent. Call after {@link #finish()}, so that a misspelt key has already been
   * reported as unknown.
   */
  YamlValue required(YamlValue v, String key) throws ScenarioException {
    if (v != null) return v;
    throw missing(key);
  }

  private ScenarioException missing(String key) {
    return new ScenarioException(self.file, self.line(), self.column(), childPath(key),
        "required key is missing");
  }

  /** Reports the first key that was never asked for, with a suggestion if one is close. */
  void finish() throws ScenarioException {
    for (NodeTuple t : entries.values()) {
      String key = ((ScalarNode) t.getKeyNode()).getValue();
      if (!asked.contains(key)) throw unknownKey(t.getKeyNode(), key);
    }
  }

  private ScenarioException unknownKey(Node keyNode, String key) {
    String hint = YamlValue.suggestion(key, asked);
    if (hint.isEmpty()) hint = " (allowed here: " + String.join(", ", asked) + ")";
    return new ScenarioException(self.file, YamlValue.line(keyNode), YamlValue.column(keyNode),
        childPath(key), "unknown key" + hint);
  }

  // --- typed optional values with defaults ---------------------------------------------------

  String name(String key, String def) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asName();
  }

  String choice(String key, String def, List<String> choices) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asChoice(choices);
  }

  boolean bool(String key, boolean def) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asBoolean();
  }

  long integer(String key, long def, long min, long max) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asLong(min, max);
  }

  int integer32(String key, int def, int min, int max) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asInt(min, max);
  }

  long duration(String key, long def, long min) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asDuration(min);
  }

  long size(String key, long def, long min, long max) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asSize(min, max);
  }

  double probability(String key, double def) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asProbability();
  }

  long bitRate(String key, long def) throws ScenarioException {
    YamlValue v = get(key);
    return v == null ? def : v.asBitRate();
  }
}
