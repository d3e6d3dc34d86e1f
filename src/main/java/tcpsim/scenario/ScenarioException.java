package tcpsim.scenario;

/**
 * A scenario file that cannot be loaded: bad YAML, an unknown key, a value of the wrong type or
 * out of range, a reference to something that does not exist.
 *
 * <p>It is checked on purpose: a scenario is user input, and every caller (the command line, a
 * sweep over many files) must decide how to report it. The message always names where the problem
 * is, so that an editor or a terminal can jump to it:
 *
 * <pre>scenarios/web.yaml:12:12: key 'clients[0].count': must be an integer &gt;= 1, got "abc"</pre>
 *
 * <p>Line and column are 1-based, as editors count them; 0 means "no position" (for example a
 * file that cannot be read at all), and the message then leaves the position out.
 */
public final class ScenarioException extends Exception {

  private final String file;
  private final int line;
  private final int column;
  private final String keyPath;
  private final String reason;

  /**
   * @param file the file name as given by the user (or a label such as {@code <string>})
   * @param line 1-based line, or 0 if unknown
   * @param column 1-based column, or 0 if unknown
   * @param keyPath the key in dotted form, such as {@code clients[0].count}, or null if the problem
   *     is not about one key (a YAML syntax error)
   * @param reason what is wrong and what is allowed, such as {@code must be an integer >= 1, got
   *     "abc"}
   */
  public ScenarioException(String file, int line, int column, String keyPath, String reason) {
    this(file, line, column, keyPath, reason, null);
  }

  public ScenarioException(
      String file, int line, int column, String keyPath, String reason, Throwable cause) {
    super(format(file, line, column, keyPath, reason), cause);
    this.file = file;
    this.line = line;
    this.column = column;
    this.keyPath = keyPath;
    this.reason = reason;
  }

  private static String format(String file, int line, int column, String keyPath, String reason) {
    StringBuilder sb = new StringBuilder();
    sb.append(file == null ? "<unknown>" : file).append(':');
    if (line > 0) {
      sb.append(line).append(':');
      if (column > 0) sb.append(column).append(':');
    }
    sb.append(' ');
    if (keyPath != null && !keyPath.isEmpty()) sb.append("key '").append(keyPath).append("': ");
    sb.append(reason);
    return sb.toString();
  }

  /** The file name as given when loading, never null. */
  public String getFile() {
    return file;
  }

  /** 1-based line of the offending key or value, or 0 if unknown. */
  public int getLine() {
    return line;
  }

  /** 1-based column of the offending key or value, or 0 if unknown. */
  public int getColumn() {
    return column;
  }

  /** The key in dotted form ({@code network.links[0].latency.min}), or null. */
  public String getKeyPath() {
    return keyPath;
  }

  /** The message without the position and key. */
  public String getReason() {
    return reason;
  }
}
