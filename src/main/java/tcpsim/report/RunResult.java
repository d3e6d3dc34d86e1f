package tcpsim.report;

import java.util.List;
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
    java.util.Map<String, Long> nodeHeapPeaks) {}
