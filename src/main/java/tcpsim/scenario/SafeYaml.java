package tcpsim.scenario;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Turns YAML text into a node tree (with line and column of every node) safely, or fails with a
 * {@link ScenarioException}.
 *
 * <p>Only snakeyaml-engine's low-level {@code Compose} is used: it builds nodes and never
 * instantiates classes named by tags, so a scenario file cannot run code. The input is untrusted
 * in the sense that it may be huge, deeply nested or an "alias bomb" ("billion laughs": a few
 * lines whose aliases expand to billions of nodes), so:
 *
 * <ul>
 *   <li>the text is limited to {@link #MAX_CODE_POINTS} characters;
 *   <li>a first streaming pass over the parser's events (which keeps no tree and uses no
 *       recursion) rejects nesting deeper than {@link #MAX_DEPTH}, more than {@link #MAX_ALIASES}
 *       aliases to lists or mappings, and recursive aliases — each with the position of the
 *       offending event. It runs before composing because the composer recurses once per
 *       nesting level (a few hundred thousand {@code [} would overflow the stack) and because
 *       the loader walks aliased nodes once per reference;
 *   <li>snakeyaml's own limits (aliases for collections, no recursive keys, code points) are
 *       set as well, as a second line of defence.
 * </ul>
 *
 * Aliases of scalars stay unlimited: they cost nothing and are handy ({@code latency: *wan}).
 */
final class SafeYaml {

  private SafeYaml() {}

  /** Far above any real scenario (which is a few hundred lines), far below memory trouble. */
  static final int MAX_CODE_POINTS = 4 * 1024 * 1024;

  /** The deepest real nesting is network.links[i].latency (4 levels) plus the document. */
  static final int MAX_DEPTH = 32;

  static final int MAX_ALIASES = 20;

  private static LoadSettings settings(String file) {
    return LoadSettings.builder()
        .setLabel(file)
        .setSchema(new CoreSchema())
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(MAX_ALIASES)
        .setCodePointLimit(MAX_CODE_POINTS)
        .setUseMarks(true)
        .setParseComments(false)
        .build();
  }

  /**
   * Composes the single document of {@code text}.
   *
   * @return the root node with an empty key path, or null if the text holds no document (empty,
   *     or comments only)
   */
  static YamlValue compose(String text, String file) throws ScenarioException {
    if (text.length() > MAX_CODE_POINTS) {
      throw new ScenarioException(file, 0, 0, null,
          "file too large (more than " + MAX_CODE_POINTS + " characters)");
    }
    LoadSettings settings = settings(file);
    try {
      checkEvents(text, file, settings);
      Optional<Node> root = new Compose(settings).composeString(text);
      return root.map(n -> new YamlValue(file, n, "")).orElse(null);
    } catch (MarkedYamlEngineException e) {
      Mark m = e.getProblemMark().or(e::getContextMark).orElse(null);
      String what = e.getProblem() != null ? e.getProblem() : e.getContext();
      if (e.getContext() != null && e.getProblem() != null) {
        // "while parsing a flow sequence (line 2, column 8): expected ',' or ']'": the context
        // mark is where the unfinished construct began, often the more useful place to look.
        String where = e.getContextMark()
            .map(c -> " (line " + (c.getLine() + 1) + ", column " + (c.getColumn() + 1) + ")")
            .orElse("");
        what = e.getContext() + where + ": " + what;
      }
      throw new ScenarioException(file, m == null ? 0 : m.getLine() + 1,
          m == null ? 0 : m.getColumn() + 1, null, "YAML syntax error: " + oneLine(what), e);
    } catch (ReaderException e) {
      int[] lc = lineColumnOfCodePoint(text, e.getPosition());
      throw new ScenarioException(file, lc[0], lc[1], null,
          "character not allowed in YAML: " + String.format("U+%04X", e.getCodePoint()), e);
    } catch (YamlEngineException e) {
      throw new ScenarioException(file, 0, 0, null, "YAML error: " + oneLine(e.getMessage()), e);
    }
  }

  /** The streaming pre-check described in the class comment. */
  private static void checkEvents(String text, String file, LoadSettings settings)
      throws ScenarioException {
    int depth = 0;
    int collectionAliases = 0;
    Set<Anchor> collectionAnchors = new HashSet<>();
    // Anchors of the collections being parsed right now, innermost last; null for no anchor.
    Deque<Optional<Anchor>> open = new ArrayDeque<>();
    for (Event ev : new Parse(settings).parseString(text)) {
      switch (ev.getEventId()) {
        case MappingStart, SequenceStart -> {
          depth++;
          if (depth > MAX_DEPTH) {
            throw at(file, ev, "nesting too deep (more than " + MAX_DEPTH + " levels)");
          }
          Optional<Anchor> a = ((NodeEvent) ev).getAnchor();
          a.ifPresent(collectionAnchors::add);
          open.push(a);
        }
        case MappingEnd, SequenceEnd -> {
          depth--;
          open.pop();
        }
        case Scalar -> ((NodeEvent) ev).getAnchor().ifPresent(collectionAnchors::remove);
        case Alias -> {
          Anchor a = ((AliasEvent) ev).getAlias();
          if (open.contains(Optional.of(a))) {
            throw at(file, ev, "recursive alias *" + a.getValue()
                + " (it refers to a list or mapping that contains it)");
          }
          if (collectionAnchors.contains(a) && ++collectionAliases > MAX_ALIASES) {
            throw at(file, ev, "too many aliases of lists or mappings (more than " + MAX_ALIASES
                + "); is this an alias bomb?");
          }
        }
        default -> {}
      }
    }
  }

  private static ScenarioException at(String file, Event ev, String reason) {
    Mark m = ev.getStartMark().orElse(null);
    return new ScenarioException(file, m == null ? 0 : m.getLine() + 1,
        m == null ? 0 : m.getColumn() + 1, null, reason);
  }

  private static String oneLine(String s) {
    return s == null ? "unknown problem" : s.strip().replaceAll("\\s*\\n\\s*", " ");
  }

  /** 1-based line and column of the code point at {@code index} (counted in code points). */
  static int[] lineColumnOfCodePoint(String text, int index) {
    int line = 1;
    int col = 1;
    int i = 0;
    for (int cp = 0; cp < index && i < text.length(); cp++) {
      int c = text.codePointAt(i);
      i += Character.charCount(c);
      if (c == '\n') {
        line++;
        col = 1;
      } else {
        col++;
      }
    }
    return new int[] {line, col};
  }
}
