package tcpsim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tcpsim.net.Fault;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Outcome;

/**
 * What each scheduled fault did beyond the network's own counters
 * ({@link tcpsim.net.NetworkStats#fault}): the part of report.json's {@code faults} that only
 * the trace and the endpoints' results can tell. It is fed by {@link RunStats} (every trace
 * event in canonical order, every endpoint result) and counts, per fault index:
 *
 * <ul>
 *   <li><b>host-down drops</b> (crash only): segments sent before the crash that arrived at the
 *       crashed host while it was down, {@code [at, until)}, and were dropped there (reason
 *       {@code host-down}, traced by the host with sub 0; the network's own host-down drops,
 *       sub 1, are in its counters already);
 *   <li><b>crashed endpoints</b> (crash only): endpoints and half-open entries of the crashed
 *       host that ended {@code crashed} during {@code [at, until)} — those it took at
 *       {@code at}, and clients whose connect fell while the host was down; the attackers'
 *       half-open entries count too;
 *   <li><b>retransmissions</b>: segments sent as retransmissions on the fault's target paths
 *       during {@code [at, until + GRACE)} — TCP's recovery from what the fault did;
 *   <li><b>connections reset / timed out</b>, by the rule of {@link #figures}.
 * </ul>
 *
 * <p>Not thread-safe; it lives with the run's statistics.
 */
public final class FaultEffects {
  /**
   * How long after a fault ends its effects are still counted as its own: an RST or a timeout
   * caused by a fault lands shortly after it (an injected RST one latency after {@code at}; a
   * retransmission one timeout after the drop), and one second covers a link's latency and the
   * first retransmission timeouts of both profiles (RFC 6298's 1 s, Linux's 200 ms).
   */
  public static final long GRACE_NS = 1_000_000_000L;

  /** The outcomes that count as a timeout. */
  private static final List<Outcome> TIMEOUTS =
      List.of(Outcome.SYN_TIMEOUT, Outcome.SYNACK_TIMEOUT, Outcome.DATA_TIMEOUT);

  /**
   * One fault's figures from the trace and the results.
   *
   * @param hostDownDrops segments dropped at the crashed host while it was down (crash only)
   * @param endpointsCrashed endpoints of the crashed host that ended crashed (crash only)
   * @param segmentsRetransmitted retransmissions on its paths during it and {@link #GRACE_NS}
   *     after
   * @param connectionsReset connections it reset (see {@link #connectionFigures})
   * @param connectionsTimedOut connections that timed out through it
   */
  public record Figures(long hostDownDrops, long endpointsCrashed, long segmentsRetransmitted,
      long connectionsReset, long connectionsTimedOut) {}

  private final Scenario scenario;
  private final List<Fault> faults;
  /** The client connections (ids 0..connections-1); attack SYNs follow them. */
  private final int connections;
  /** The first connection id of each client group, and one past the last. */
  private final int[] groupFirst;
  /** The first connection id of each attacker's SYNs, and one past the last. */
  private final long[] attackFirst;
  private final long[] hostDownDrops;
  private final long[] endpointsCrashed;
  private final long[] retransmitted;
  /** Per connection, the crash fault that took one of its endpoints, or -1; null without crashes. */
  private final int[] crashedBy;

  /** The effects of {@code scenario}'s faults (it may have none: then every list is empty). */
  public FaultEffects(Scenario scenario) {
    this.scenario = scenario;
    this.faults = scenario.faults();
    this.connections = scenario.connectionCount();
    List<Scenario.ClientGroup> groups = scenario.groups();
    groupFirst = new int[groups.size() + 1];
    for (int g = 0; g < groups.size(); g++) groupFirst[g + 1] = groupFirst[g] + groups.get(g).count();
    List<Scenario.Attacker> attackers = scenario.attackers();
    attackFirst = new long[attackers.size() + 1];
    attackFirst[0] = connections;
    for (int a = 0; a < attackers.size(); a++) {
      attackFirst[a + 1] = attackFirst[a] + attackers.get(a).synCount();
    }
    hostDownDrops = new long[faults.size()];
    endpointsCrashed = new long[faults.size()];
    retransmitted = new long[faults.size()];
    boolean crashes = faults.stream().anyMatch(f -> f.effect() instanceof Fault.Crash);
    crashedBy = crashes ? new int[connections] : null;
    if (crashedBy != null) Arrays.fill(crashedBy, -1);
  }

  /** One trace event, in canonical order. */
  void accept(TraceEvent e) {
    if (e.kind() == TraceEvent.Kind.SEND && e.retransmit()) {
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        if (e.t() >= f.at() && e.t() < f.until() + GRACE_NS
            && f.target().matches(e.srcHost(), e.dstHost())) {
          retransmitted[i]++;
        }
      }
    } else if (e.kind() == TraceEvent.Kind.DROP && e.reason() == DropReason.HOST_DOWN
        && e.sub() == 0 && e.origin() == Long.MIN_VALUE + e.dstHost()) {
      // Dropped by the host itself (HostActor: its own origin, sub 0, at the arrival time).
      int f = crashOf(e.dstHost(), e.t());
      if (f >= 0) hostDownDrops[f]++;
    }
  }

  /** One endpoint's result (clients, servers, half-open entries, attack SYNs' entries). */
  void result(EndpointResult r) {
    if (r.outcome() != Outcome.CRASHED) return;
    int host = hostOf(r.conn(), r.client());
    if (host < 0) return;
    int f = crashOf(host, r.endedAt());
    if (f < 0) return;
    endpointsCrashed[f]++;
    if (crashedBy != null && r.conn() >= 0 && r.conn() < connections) crashedBy[r.conn()] = f;
  }

  /** The crash fault of {@code host} whose down time contains {@code t}, or -1. */
  private int crashOf(int host, long t) {
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      if (f.effect() instanceof Fault.Crash && ((Fault.Host) f.target()).host() == host
          && t >= f.at() && t < f.until()) {
        return i;
      }
    }
    return -1;
  }

  /** The host of an endpoint of connection {@code conn}, or -1 if the connection is unknown. */
  private int hostOf(int conn, boolean client) {
    if (conn < 0) return -1;
    if (conn < connections) return client ? clientHost(conn) : serverHost(conn);
    if (client) return -1; // an attack SYN has no client endpoint
    for (int a = 0; a + 1 < attackFirst.length; a++) {
      if (conn < attackFirst[a + 1]) return scenario.attackers().get(a).toHost();
    }
    return -1;
  }

  private int groupOf(int conn) {
    int g = Arrays.binarySearch(groupFirst, conn);
    if (g < 0) return -g - 2;
    while (g + 1 < groupFirst.length && groupFirst[g + 1] == conn) g++; // skip empty groups
    return g;
  }

  /** The client's host: the group's {@code from} hosts in turn (as the workload assigns them). */
  int clientHost(int conn) {
    int g = groupOf(conn);
    List<Integer> from = scenario.groups().get(g).from();
    return from.get((conn - groupFirst[g]) % from.size());
  }

  int serverHost(int conn) {
    return scenario.groups().get(groupOf(conn)).toHost();
  }

  /**
   * Every fault's figures, in index order. The connection figures follow this rule, for a
   * client connection {@code c} (attack SYNs are not connections here) and fault {@code f}:
   *
   * <ul>
   *   <li>c is on f's path: its client and server hosts match f's target in one direction or
   *       the other;
   *   <li>c's outcome (report.json's {@code outcomes}: the client's, unless the client closed
   *       cleanly and the server side did not) is {@code reset} — counted in
   *       {@code connectionsReset} — or {@code syn-timeout}, {@code synack-timeout},
   *       {@code data-timeout} — counted in {@code connectionsTimedOut}; an {@code aborted}
   *       connection is the application's doing and counts in neither;
   *   <li>and the endpoint whose outcome that is ended during {@code [at, until + GRACE)}; or f
   *       is a crash that took one of c's endpoints (the survivor learns of it only when it next
   *       sends, after the restart, however late that is).
   * </ul>
   *
   * A connection may count under several faults whose times overlap.
   */
  public List<Figures> figures(RunStats stats) {
    long[] reset = new long[faults.size()];
    long[] timedOut = new long[faults.size()];
    int n = Math.min(connections, stats.connectionCount());
    for (int c = 0; c < n && !faults.isEmpty(); c++) {
      Outcome o = stats.connectionOutcome(c);
      boolean isReset = o == Outcome.RESET;
      boolean isTimeout = TIMEOUTS.contains(o);
      if (!isReset && !isTimeout) continue;
      long ended = stats.connectionEndedAt(c);
      int client = clientHost(c);
      int server = serverHost(c);
      for (int i = 0; i < faults.size(); i++) {
        Fault f = faults.get(i);
        if (!f.target().matches(client, server) && !f.target().matches(server, client)) continue;
        boolean inTime = ended >= f.at() && ended < f.until() + GRACE_NS;
        boolean crashedPeer = crashedBy != null && crashedBy[c] == i;
        if (!inTime && !crashedPeer) continue;
        if (isReset) reset[i]++;
        else timedOut[i]++;
      }
    }
    List<Figures> out = new ArrayList<>(faults.size());
    for (int i = 0; i < faults.size(); i++) {
      out.add(new Figures(hostDownDrops[i], endpointsCrashed[i], retransmitted[i], reset[i],
          timedOut[i]));
    }
    return out;
  }
}
