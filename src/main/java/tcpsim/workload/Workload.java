package tcpsim.workload;

import java.util.Arrays;
import java.util.List;
import tcpsim.net.RandomStream;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.tcp.AppScript;
import tcpsim.tcp.Tcb;

/**
 * The client connections of a scenario, numbered 0..N-1 in group order, with what each side's
 * application does. Built once per run and shared read-only by every host.
 *
 * <p>Connect times that are random ({@code spread}, a Poisson {@code arrival}) come from streams
 * seeded by (scenario seed, connection id), so they never depend on which node or thread computes
 * them. A Poisson group's first connect is at {@code start}; the gap before its k-th connection
 * (k ≥ 1) is exponential with mean 1/rate, drawn from the stream of that connection id (tag
 * {@code ARRIVAL}), and the connect times are their running sum in whole nanoseconds. A ramp is
 * not random: connection k (from 0) of the group connects where the integral of the rate from
 * {@code start} reaches k (see {@link #rampOffset}).
 *
 * <p>Whether a connection aborts ({@code abort: p}) is drawn from its own stream too (tag
 * {@code ABORT}): the closer of that connection gets its own copy of the group's script with
 * {@link AppScript#abort()} set; every other connection keeps the shared script.
 */
public final class Workload {
  private static final long START_STREAM = 0x5354_4152_54L; // "START"
  private static final long ARRIVAL_STREAM = 0x4152_5249_5645L; // "ARRIVE"
  private static final long ABORT_STREAM = 0x4142_4f52_54L; // "ABORT"

  private final List<ClientGroup> groups;
  private final List<String> hostNames;
  /** Per host: whether it runs {@code profile: linux} (close() and shutdown() differ there). */
  private final boolean[] linuxHost;
  private final int[] groupOf;
  private final int[] srcHost;
  private final long[] startAt;
  /** Connections whose closer aborts; null if no group aborts. */
  private final java.util.BitSet aborts;
  /** Per host: its client connection ids, sorted by connect time then id. */
  private final int[][] connsByHost;
  /**
   * One script per group and side, shared by its connections (a million connections need not
   * hold a million copies); null where it depends on the connection (a simultaneous close at an
   * instant relative to its own start).
   */
  private final AppScript[] clientScripts;
  private final AppScript[] serverScripts;
  /** The scenario's attackers, in order; their SYNs' connection ids follow the clients'. */
  private final List<SynFlood> floods;

  public Workload(Scenario scenario) {
    this.groups = scenario.groups();
    this.hostNames = scenario.hosts().stream().map(Scenario.HostSpec::name).toList();
    linuxHost = new boolean[scenario.hosts().size()];
    for (int h = 0; h < linuxHost.length; h++) {
      linuxHost[h] = scenario.hosts().get(h).tcp().isLinux();
    }
    int n = scenario.connectionCount();
    groupOf = new int[n];
    srcHost = new int[n];
    startAt = new long[n];
    java.util.BitSet abortSet = null;
    int conn = 0;
    for (int g = 0; g < groups.size(); g++) {
      ClientGroup group = groups.get(g);
      Scenario.ArrivalProcess arrival = group.arrival();
      for (int k = 0; k < group.count(); k++, conn++) {
        groupOf[conn] = g;
        srcHost[conn] = group.from().get(k % group.from().size());
        if (arrival != null) {
          startAt[conn] = switch (arrival.kind()) {
            case POISSON -> k == 0 ? group.start()
                : startAt[conn - 1] + poissonGap(scenario.seed(), conn, arrival.rate());
            case RAMP -> group.start() + rampOffset(arrival, k);
          };
        } else {
          startAt[conn] = group.spread() > 0
              ? group.start() + (long) (new RandomStream(scenario.seed(),
                  RandomStream.mix(START_STREAM, conn)).nextDouble() * group.spread())
              : group.start() + k * group.every();
        }
        if (group.abort() > 0 && new RandomStream(scenario.seed(),
            RandomStream.mix(ABORT_STREAM, conn)).nextDouble() < group.abort()) {
          if (abortSet == null) abortSet = new java.util.BitSet(n);
          abortSet.set(conn);
        }
      }
    }
    aborts = abortSet;
    clientScripts = new AppScript[groups.size()];
    serverScripts = new AppScript[groups.size()];
    int first = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).count() > 0) {
        // A script with a time in it (a simultaneous close, an explicit 'until') is per
        // connection; any other is shared by the whole group.
        AppScript c = clientScript(first);
        AppScript sv = serverScript(first);
        if (!c.hasUntil()) clientScripts[g] = c;
        if (!sv.hasUntil()) serverScripts[g] = sv;
      }
      first += groups.get(g).count();
    }
    int hostCount = scenario.hosts().size();
    int[] perHost = new int[hostCount];
    for (int c = 0; c < n; c++) perHost[srcHost[c]]++;
    connsByHost = new int[hostCount][];
    for (int h = 0; h < hostCount; h++) connsByHost[h] = new int[perHost[h]];
    int[] fill = new int[hostCount];
    for (int c = 0; c < n; c++) connsByHost[srcHost[c]][fill[srcHost[c]]++] = c;
    for (int h = 0; h < hostCount; h++) {
      connsByHost[h] = Arrays.stream(connsByHost[h]).boxed()
          .sorted((a, b) -> startAt[a] != startAt[b]
              ? Long.compare(startAt[a], startAt[b]) : Integer.compare(a, b))
          .mapToInt(Integer::intValue).toArray();
    }
    List<SynFlood> fl = new java.util.ArrayList<>();
    long firstConn = n;
    int firstSpoofed = hostCount;
    for (int a = 0; a < scenario.attackers().size(); a++) {
      Scenario.Attacker attacker = scenario.attackers().get(a);
      fl.add(new SynFlood(attacker, a, Math.toIntExact(firstConn), firstSpoofed, scenario.seed()));
      firstConn += attacker.synCount();
      if (attacker.source() == Scenario.FloodSource.SPOOFED) firstSpoofed += attacker.addresses();
    }
    floods = List.copyOf(fl);
  }

  /** The SYN floods sent from {@code host}. */
  public List<SynFlood> floodsFrom(int host) {
    return floods.stream().filter(f -> f.fromHost() == host).toList();
  }

  public List<SynFlood> floods() {
    return floods;
  }

  /** When {@code host} first has something to do: its first connect or its first flood SYN. */
  public long firstEventAt(int host) {
    long t = connsByHost[host].length > 0 ? startAt[connsByHost[host][0]] : Tcb.NEVER_TIME;
    for (SynFlood f : floods) if (f.fromHost() == host) t = Math.min(t, f.sendTime(0));
    return t;
  }

  /** Whether {@code host} launches a flood from its own address, and so ignores the answers. */
  public boolean ignoresUnexpectedSegments(int host) {
    for (SynFlood f : floods) {
      if (f.fromHost() == host && f.attacker().source() == Scenario.FloodSource.FIXED) return true;
    }
    return false;
  }

  /**
   * The gap before connection {@code conn} of a Poisson group: exponential with mean 1/rate
   * (rate per second), in whole nanoseconds, from the connection's own stream.
   */
  static long poissonGap(long seed, int conn, double rate) {
    double u = new RandomStream(seed, RandomStream.mix(ARRIVAL_STREAM, conn)).nextDouble();
    double seconds = -Math.log1p(-u) / rate; // u in [0, 1): 1 - u in (0, 1], finite
    return Math.round(seconds * 1e9);
  }

  /**
   * Where connection {@code k} (from 0) of a ramp goes, ns after {@code start}: the t at which
   * the expected count N(t) = ∫₀ᵗ r(s) ds reaches k, for r rising (or falling) linearly from
   * {@code a = rate()} to {@code b = to()} over {@code T = over()} and constant b after. On the
   * ramp N(t) = a·t + c·t²/2 with c = (b − a)/T, so t = 2k / (a + √(a² + 2ck)) (the root of
   * the quadratic written so it holds for c = 0 and loses no precision for small c); after it,
   * t = T + (k − N(T))/b with N(T) = (a + b)·T/2.
   */
  public static long rampOffset(Scenario.ArrivalProcess ramp, long k) {
    double a = ramp.rate();
    double b = ramp.to();
    double T = ramp.over() / 1e9;
    double rampCount = (a + b) * T / 2;
    double t;
    if (k <= rampCount) {
      double c = (b - a) / T;
      t = 2 * k / (a + Math.sqrt(Math.max(0, a * a + 2 * c * k)));
    } else {
      t = T + (k - rampCount) / b;
    }
    return Math.round(t * 1e9);
  }

  /** Whether the closing application of connection {@code conn} aborts instead of closing. */
  public boolean aborts(int conn) {
    return aborts != null && aborts.get(conn);
  }

  /** A host's name; a forged address of a spoofed flood is "spoofed#N". */
  public String hostName(int host) {
    return host < hostNames.size() ? hostNames.get(host) : "spoofed#" + host;
  }

  /** How many real hosts there are; higher host numbers are forged addresses. */
  public int hostCount() {
    return hostNames.size();
  }

  public int size() {
    return groupOf.length;
  }

  public int[] connectionsOf(int host) {
    return connsByHost[host];
  }

  public long startAt(int conn) {
    return startAt[conn];
  }

  public int srcHost(int conn) {
    return srcHost[conn];
  }

  public int groupOf(int conn) {
    return groupOf[conn];
  }

  public ClientGroup group(int conn) {
    return groups.get(groupOf[conn]);
  }

  /**
   * The client application: write the request, read the answer; close first, close on end of
   * file, or close at an agreed instant, as the group says.
   */
  public AppScript clientApp(int conn) {
    AppScript shared = clientScripts[groupOf[conn]];
    AppScript script = shared != null ? shared : clientScript(conn);
    return aborts(conn) && group(conn).closer() != Scenario.Closer.SERVER
        ? script.aborting() : script;
  }

  /** The server application: answer once the request is in, then close as the group says. */
  public AppScript serverApp(int conn) {
    if (conn < 0 || conn >= groupOf.length) return AppScript.idle();
    AppScript shared = serverScripts[groupOf[conn]];
    AppScript script = shared != null ? shared : serverScript(conn);
    return aborts(conn) && group(conn).closer() == Scenario.Closer.SERVER
        ? script.aborting() : script;
  }

  private AppScript clientScript(int conn) {
    ClientGroup g = group(conn);
    if (g.clientSteps() != null) return g.clientSteps().shiftedBy(startAt[conn]);
    return switch (g.closer()) {
      case CLIENT -> halfCloseIfAnswered(new AppScript(g.clientBytes(), -1, 0, true,
          g.serverBytes(), g.hold(), -1, 0, 0), g, g.from().stream().anyMatch(h -> linuxHost[h]));
      case SERVER -> new AppScript(g.clientBytes(), -1, 0, false, 0, 0, -1, g.lastBytes(),
          g.lastDelay());
      case SIMULTANEOUS -> new AppScript(g.clientBytes(), -1, 0, false, 0, 0,
          startAt[conn] + g.hold(), 0, 0);
    };
  }

  /**
   * The shorthand's active closer reads the passive closer's {@code lastBytes}, sent after our
   * FIN: that is a half-close. Under {@code profile: linux} the closer therefore calls
   * shutdown(), since data arriving after a close() is answered with an RST there
   * (docs/linux-profile.md §6); elsewhere both calls behave alike and the script keeps close.
   */
  private static AppScript halfCloseIfAnswered(AppScript closer, ClientGroup g, boolean linux) {
    return linux && g.lastBytes() > 0 ? closer.halfClosing() : closer;
  }

  private AppScript serverScript(int conn) {
    ClientGroup g = group(conn);
    if (g.serverSteps() != null) return g.serverSteps().shiftedBy(startAt[conn]);
    return switch (g.closer()) {
      case CLIENT -> new AppScript(0, g.clientBytes(), g.serverBytes(), false, 0, 0, -1,
          g.lastBytes(), g.lastDelay());
      case SERVER -> halfCloseIfAnswered(new AppScript(0, g.clientBytes(), g.serverBytes(), true,
          g.clientBytes(), g.hold(), -1, 0, 0), g, linuxHost[g.toHost()]);
      case SIMULTANEOUS -> new AppScript(0, g.clientBytes(), g.serverBytes(), false, 0, 0,
          startAt[conn] + g.hold(), 0, 0);
    };
  }
}
