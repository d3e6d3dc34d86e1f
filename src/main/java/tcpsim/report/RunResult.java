package tcpsim.report;

import java.util.List;
import tcpsim.net.NetworkStats;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.ListenerStats;

/**
 * Everything a finished run produced.
 *
 * @param scenario what ran
 * @param seed the seed it ran with
 * @param stats counts, outcomes and latency histograms
 * @param traceDigest SHA-256 of the canonical trace
 * @param simulatedNs virtual time at the end of the run
 * @param wallMs wall-clock milliseconds the run took (the one field that varies between runs)
 * @param windows how many time windows the engine ran
 * @param inFlight segments still travelling when the run ended
 * @param listeners each listener's figures
 * @param cutByDuration the run hit the scenario's duration with events still pending
 * @param nodes how many cluster nodes took part
 * @param hostNodes the node each host lived on, by host index
 * @param nodeHeapPeaks each node's live-heap peak (after a collection) at the end of the run
 * @param faultCounts what each scheduled fault of the scenario did in the network, by fault
 *     index (report.json's {@code faults}); empty when the run has no such counters (no faults,
 *     or a result built by hand)
 */
public record RunResult(
    Scenario scenario,
    long seed,
    RunStats stats,
    String traceDigest,
    long simulatedNs,
    long wallMs,
    long windows,
    long inFlight,
    List<ListenerStats> listeners,
    boolean cutByDuration,
    int nodes,
    List<String> hostNodes,
    java.util.Map<String, Long> nodeHeapPeaks,
    List<NetworkStats.FaultCounts> faultCounts) {

  public RunResult {
    faultCounts = faultCounts == null ? List.of() : List.copyOf(faultCounts);
  }

  /** A result without fault counters (a run without faults, a test, a benchmark). */
  public RunResult(Scenario scenario, long seed, RunStats stats, String traceDigest,
      long simulatedNs, long wallMs, long windows, long inFlight, List<ListenerStats> listeners,
      boolean cutByDuration, int nodes, List<String> hostNodes,
      java.util.Map<String, Long> nodeHeapPeaks) {
    this(scenario, seed, stats, traceDigest, simulatedNs, wallMs, windows, inFlight, listeners,
        cutByDuration, nodes, hostNodes, nodeHeapPeaks, List.of());
  }

  /**
   * What fault {@code index} did in the network: its counters, or all zero when this result
   * has none for it.
   */
  public NetworkStats.FaultCounts faultCount(int index) {
    return index < faultCounts.size() ? faultCounts.get(index)
        : new NetworkStats.FaultCounts(0, 0, 0, 0, 0, 0);
  }
}
