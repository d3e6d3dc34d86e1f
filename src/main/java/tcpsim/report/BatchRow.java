package tcpsim.report;

import java.util.List;
import java.util.Map;

/**
 * One line of a batch's summary: a run (a scenario or one of its sweep variants), or a file that
 * could not be loaded.
 *
 * @param name the run's name (its folder under the batch's output)
 * @param file the scenario file it came from
 * @param status {@code passed}, {@code failed} (an expectation missed), {@code error} (the run
 *     could not finish) or {@code invalid} (the file is not a valid scenario)
 * @param reason why it did not pass, or empty
 * @param sweep the swept keys and values of this variant (empty without a sweep)
 * @param report the run's report.json content, or null when there is none
 * @param resumed the run was not repeated: its report from an earlier batch was still valid
 */
public record BatchRow(
    String name,
    String file,
    String status,
    String reason,
    Map<String, String> sweep,
    Map<String, Object> report,
    boolean resumed) {

  public static BatchRow invalid(String file, String reason) {
    return new BatchRow("", file, "invalid", reason, Map.of(), null, false);
  }

  public boolean ok() {
    return status.equals("passed");
  }

  /** A figure of the report by dotted path ({@code connections.established}), or null. */
  public Object figure(String path) {
    Object node = report;
    for (String part : path.split("\\.")) {
      if (!(node instanceof Map<?, ?> m)) return null;
      node = m.get(part);
    }
    return node;
  }

  static final List<String> KEY_FIGURES = List.of("connections.attempted",
      "connections.established", "connections.closed", "connections.reset", "connections.failed",
      "connections.open", "segments.sent", "segments.retransmitted", "segments.dropped",
      "handshakeMs.p50", "handshakeMs.p99", "lifecycleMs.p50", "simulatedNs", "wallMs");
}
