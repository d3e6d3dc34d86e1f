package tcpsim.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loader's errors as the scenario tests check them: position, key path, message. */
final class LoaderErrors {
  private LoaderErrors() {}

  /** The error of loading {@code yaml} (named t.yaml) as one scenario. */
  static ScenarioException loadFails(String yaml) {
    return assertThrows(ScenarioException.class, () -> ScenarioLoader.loadString(yaml, "t.yaml"));
  }

  /** The error of loading {@code yaml} (named t.yaml) with its sweep, variants and checks. */
  static ScenarioException variantsFail(String yaml) {
    return assertThrows(ScenarioException.class,
        () -> ScenarioLoader.loadVariantsString(yaml, "t.yaml"));
  }

  /**
   * Asserts the error's line, column and key path, that its message contains {@code part},
   * and that the message starts with them as the user reads it:
   * {@code t.yaml:LINE:COLUMN: key 'KEY': }.
   */
  static void assertError(ScenarioException e, int line, int column, String key, String part) {
    String msg = e.getMessage();
    assertEquals(line, e.getLine(), () -> "line of: " + msg);
    assertEquals(column, e.getColumn(), () -> "column of: " + msg);
    assertEquals(key, e.getKeyPath(), () -> "key of: " + msg);
    assertTrue(msg.contains(part), () -> "message \"" + msg + "\" should contain \"" + part + "\"");
    String prefix = (line > 0 ? "t.yaml:" + line + ":" + column + ": " : "t.yaml: ")
        + (key != null ? "key '" + key + "': " : "");
    assertTrue(msg.startsWith(prefix), () -> "message \"" + msg + "\" should start with " + prefix);
  }
}
