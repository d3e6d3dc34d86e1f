package tcpsim.scenario;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The {@code variants:} key: named alternatives of one scenario, each setting a few keys (any
 * value, not only numbers) and adding its own expectations — "no defence", "bigger backlog",
 * "SYN cookies" side by side.
 *
 * <p>Unlike a {@code sweep}, whose variants each get their own seed, all named variants keep
 * the scenario's seed (and a sweep inside them derives the same seeds for each): the same
 * clients connect at the same instants and the same segments are lost in every variant, so a
 * difference between them is the difference the settings make, not noise (common random
 * numbers). Like a sweep, each variant goes through the whole loader, so its errors name the
 * line and column of the value that caused them.
 */
final class NamedVariants {
  private NamedVariants() {}

  /** Keys that describe the file rather than the simulation, which a variant cannot set. */
  private static final List<String> FIXED = List.of("name", "sweep", "expect", "variants");

  static List<Variant> expand(YamlValue root, YamlValue variantsNode, YamlValue sweepNode,
      Scenario base, List<Expectation> expectations) throws ScenarioException {
    String file = root.file;
    if (!variantsNode.isList() || variantsNode.asList().isEmpty()) {
      throw variantsNode.invalid("must be a non-empty list of variants, such as [{name:"
          + " cookies, set: {tcp.synCookies: on-overflow}}]");
    }
    List<Variant> out = new ArrayList<>();
    Map<String, YamlValue> names = new HashMap<>();
    for (YamlValue item : variantsNode.asList()) {
      YamlMap m = item.asMap();
      YamlValue nameNode = m.require("name");
      String name = nameNode.asName();
      YamlValue setNode = m.getCollection("set");
      YamlValue expectNode = m.getCollection("expect");
      m.finish();
      YamlValue first = names.putIfAbsent(name, nameNode);
      if (first != null) {
        throw nameNode.error("duplicate variant name \"" + name + "\" (first at line "
            + first.line() + ")");
      }
      Node tree = root.node;
      if (setNode != null) {
        setNode.asMap(); // a mapping of plain keys, without duplicates
        for (NodeTuple t : ((MappingNode) setNode.node).getValue()) {
          tree = set(tree, ((ScalarNode) t.getKeyNode()), t.getValueNode(), file);
        }
      }
      YamlValue variantRoot = new YamlValue(file, tree, "");
      Scenario scenario;
      try {
        scenario = ScenarioLoader.scenario(variantRoot, file);
      } catch (ScenarioException ex) {
        throw new ScenarioException(file, nameNode.line(), nameNode.column(), nameNode.path,
            "the variant " + name + " is invalid: " + ex.getMessage(), ex);
      }
      List<Expectation> checks = new ArrayList<>(expectations);
      List<Expectation> own = Expectation.parseAll(expectNode);
      Expectation.checkNames(own, scenario, file);
      checks.addAll(own);
      for (Variant v : Sweep.expand(variantRoot, sweepNode, scenario, checks)) {
        // Insert the variant's name after the scenario's; keep the seed (see the class comment).
        String variantName = base.name() + "--" + name + v.name().substring(base.name().length());
        Map<String, String> values = new LinkedHashMap<>();
        values.put("variant", name);
        values.putAll(v.sweepValues());
        out.add(new Variant(variantName, base.name(),
            v.scenario().renamed(variantName, v.scenario().seed()), v.expectations(), values));
      }
    }
    return out;
  }

  /**
   * {@code tree} with the value at key path {@code keyNode} replaced by {@code value}, or, if
   * the last key is missing from a mapping that exists, added to it.
   */
  private static Node set(Node tree, ScalarNode keyNode, Node value, String file)
      throws ScenarioException {
    String path = keyNode.getValue();
    List<Object> steps = Sweep.parse(path);
    if (steps != null && FIXED.contains(steps.get(0))) {
      throw new ScenarioException(file, YamlValue.line(keyNode), YamlValue.column(keyNode),
          "variants.set." + path, "'" + steps.get(0) + "' cannot be set by a variant");
    }
    try {
      return Sweep.substituteAt(tree, path, keyNode, value, file);
    } catch (ScenarioException missing) {
      // A key the scenario does not write (tcp.synCookies when tcp has only a profile): add it
      // to its mapping, if that mapping exists; else the original error stands.
      int dot = path.lastIndexOf('.');
      if (steps == null || dot < 0 || !(steps.get(steps.size() - 1) instanceof String key)) {
        throw missing;
      }
      Node parent;
      try {
        parent = Sweep.nodeAt(tree, path.substring(0, dot), keyNode, file);
      } catch (ScenarioException noParent) {
        throw missing;
      }
      if (!(parent instanceof MappingNode mapping)) throw missing;
      List<NodeTuple> tuples = new ArrayList<>(mapping.getValue());
      tuples.add(new NodeTuple(new ScalarNode(keyNode.getTag(), true, key,
          keyNode.getScalarStyle(), keyNode.getStartMark(), keyNode.getEndMark()), value));
      MappingNode extended = new MappingNode(mapping.getTag(), true, tuples,
          mapping.getFlowStyle(), mapping.getStartMark(), mapping.getEndMark());
      return Sweep.substituteAt(tree, path.substring(0, dot), keyNode, extended, file);
    }
  }
}
