package tcpsim.engine;

import java.util.List;
import tcpsim.cluster.ClusterMessage;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;

/** What a host answers its scheduler, possibly from another cluster node. */
public sealed interface HostReply extends ClusterMessage {

  /**
   * A window is done: what the host emitted, its earliest timer, and the cluster node it lives
   * on (so that its next windows go straight to that node's batch).
   */
  record HostDone(int host, Outbox out, long nextTimer, String node) implements HostReply {}

  /**
   * The run is over: still-open endpoints (in {@code out.results}), listener figures, the
   * cluster node the host lived on and that node's live-heap peak.
   */
  record HostFinished(int host, Outbox out, List<ListenerStats> listeners, String node,
      long nodeHeapPeak) implements HostReply {}

  /** The host could not go on; the run fails with this message. */
  record HostFailed(int host, String message) implements HostReply {}
}
