package tcpsim.workload;

import java.util.Arrays;
import java.util.List;
import tcpsim.net.RandomStream;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.tcp.AppScript;

/**
 * The client connections of a scenario, numbered 0..N-1 in group order, with what each side's
 * application does. Built once per run and shared read-only by every host.
 *
 * <p>Connect times that are random ({@code spread}) come from a stream seeded by (scenario seed,
 * connection id), so they never depend on which node or thread computes them.
 */
public final class Workload {
  private static final long START_STREAM = 0x5354_4152_54L; // "START"

  private final List<ClientGroup> groups;
  private final List<String> hostNames;
  private final int[] groupOf;
  private final int[] srcHost;
  private final long[] startAt;
  /** Per host: its client connection ids, sorted by connect time then id. */
  private final int[][] connsByHost;
  /**
   * One script per group and side, shared by its connections (a million connections need not
   * hold a million copies); null where it depends on the connection (a simultaneous close at an
   * instant relative to its own start).
   */
  private final AppScript[] clientScripts;
  private final AppScript[] serverScripts;

  public Workload(Scenario scenario) {
    this.groups = scenario.groups();
    this.hostNames = scenario.hosts().stream().map(Scenario.HostSpec::name).toList();
    int n = scenario.connectionCount();
    groupOf = new int[n];
    srcHost = new int[n];
    startAt = new long[n];
    int conn = 0;
    for (int g = 0; g < groups.size(); g++) {
      ClientGroup group = groups.get(g);
      for (int k = 0; k < group.count(); k++, conn++) {
        groupOf[conn] = g;
        srcHost[conn] = group.from().get(k % group.from().size());
        startAt[conn] = group.spread() > 0
            ? group.start() + (long) (new RandomStream(scenario.seed(),
                RandomStream.mix(START_STREAM, conn)).nextDouble() * group.spread())
            : group.start() + k * group.every();
      }
    }
    clientScripts = new AppScript[groups.size()];
    serverScripts = new AppScript[groups.size()];
    int first = 0;
    for (int g = 0; g < groups.size(); g++) {
      if (groups.get(g).count() > 0 && groups.get(g).closer() != Scenario.Closer.SIMULTANEOUS) {
        clientScripts[g] = clientScript(first);
        serverScripts[g] = serverScript(first);
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
  }

  public String hostName(int host) {
    return hostNames.get(host);
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
    return shared != null ? shared : clientScript(conn);
  }

  /** The server application: answer once the request is in, then close as the group says. */
  public AppScript serverApp(int conn) {
    if (conn < 0 || conn >= groupOf.length) return AppScript.idle();
    AppScript shared = serverScripts[groupOf[conn]];
    return shared != null ? shared : serverScript(conn);
  }

  private AppScript clientScript(int conn) {
    ClientGroup g = group(conn);
    return switch (g.closer()) {
      case CLIENT -> new AppScript(g.clientBytes(), -1, 0, true, g.serverBytes(), g.hold(), -1,
          0, 0);
      case SERVER -> new AppScript(g.clientBytes(), -1, 0, false, 0, 0, -1, g.lastBytes(),
          g.lastDelay());
      case SIMULTANEOUS -> new AppScript(g.clientBytes(), -1, 0, false, 0, 0,
          startAt[conn] + g.hold(), 0, 0);
    };
  }

  private AppScript serverScript(int conn) {
    ClientGroup g = group(conn);
    return switch (g.closer()) {
      case CLIENT -> new AppScript(0, g.clientBytes(), g.serverBytes(), false, 0, 0, -1,
          g.lastBytes(), g.lastDelay());
      case SERVER -> new AppScript(0, g.clientBytes(), g.serverBytes(), true, g.clientBytes(),
          g.hold(), -1, 0, 0);
      case SIMULTANEOUS -> new AppScript(0, g.clientBytes(), g.serverBytes(), false, 0, 0,
          startAt[conn] + g.hold(), 0, 0);
    };
  }
}
