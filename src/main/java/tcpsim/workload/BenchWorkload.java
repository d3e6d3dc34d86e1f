package tcpsim.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import tcpsim.net.LinkConfig;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.scenario.Scenario.HostSpec;
import tcpsim.scenario.Scenario.ListenerSpec;
import tcpsim.scenario.Scenario.NetworkSpec;
import tcpsim.tcp.TcpParams;

/**
 * The built-in workload of {@code tcpsim bench}: N client connections from many client hosts to
 * a set of server hosts over a 10 ms link, connects spread uniformly over the first simulated
 * second, 1 KiB each way, every connection held open long enough that all N are ESTABLISHED at
 * the same simulated moment, then the client's close and the full 60 s TIME-WAIT.
 */
public final class BenchWorkload {
  /** Client connections per client host: well below the 28,232 ephemeral ports. */
  public static final int CONNECTIONS_PER_CLIENT_HOST = 1000;
  /** Connections per server host (one listener on port 80 each). */
  public static final int CONNECTIONS_PER_SERVER_HOST = 10_000;
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;
  /** Every connect falls in [0, 1 s); the last is ESTABLISHED by ~1.02 s, the first closes at
   * ~1.56 s: from ~1.03 s to ~1.5 s all N are ESTABLISHED at once. */
  static final long HOLD = 1500 * MS;

  private BenchWorkload() {}

  public static Scenario scenario(int connections, long seed) {
    if (connections < 1) throw new IllegalArgumentException("connections must be >= 1");
    int clientHosts = (connections + CONNECTIONS_PER_CLIENT_HOST - 1) / CONNECTIONS_PER_CLIENT_HOST;
    int serverHosts = (connections + CONNECTIONS_PER_SERVER_HOST - 1) / CONNECTIONS_PER_SERVER_HOST;
    TcpParams tcp = TcpParams.linux();
    List<HostSpec> hosts = new ArrayList<>(clientHosts + serverHosts);
    for (int c = 0; c < clientHosts; c++) hosts.add(new HostSpec("client" + c, tcp));
    List<ListenerSpec> listeners = new ArrayList<>();
    for (int s = 0; s < serverHosts; s++) {
      hosts.add(new HostSpec("server" + s, tcp));
      listeners.add(new ListenerSpec(clientHosts + s, 80));
    }
    // One group per server host; each group's connections are spread round-robin over the
    // client hosts, so every client host talks to every server host.
    List<ClientGroup> groups = new ArrayList<>(serverHosts);
    List<Integer> from = IntStream.range(0, clientHosts).boxed().toList();
    int left = connections;
    for (int s = 0; s < serverHosts; s++) {
      int count = left / (serverHosts - s);
      left -= count;
      List<Integer> rotated = new ArrayList<>(from.subList(s % clientHosts, clientHosts));
      rotated.addAll(from.subList(0, s % clientHosts));
      groups.add(new ClientGroup("to-server" + s, rotated, clientHosts + s, 80, count, 0, 0,
          1 * S, 1024, 1024, Scenario.Closer.CLIENT, HOLD, 0, 0));
    }
    return new Scenario("bench-" + connections, seed, 3600 * S, hosts, listeners, groups,
        new NetworkSpec(LinkConfig.ideal(10 * MS), List.of()), null);
  }
}
