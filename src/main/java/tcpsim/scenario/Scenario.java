package tcpsim.scenario;

import java.util.List;
import tcpsim.net.Fault;
import tcpsim.net.FaultSchedule;
import tcpsim.net.LinkConfig;
import tcpsim.tcp.TcpParams;

/**
 * A scenario after loading and validation: everything a run needs, with host names resolved to
 * indices and every duration in nanoseconds.
 *
 * @param name the scenario's name (the report folder's name)
 * @param seed the base seed of every random stream
 * @param duration virtual time at which the run stops even if events remain, ns
 * @param hosts the simulated hosts, indexed by position
 * @param listeners sockets in LISTEN
 * @param groups client connection groups, connection ids numbered in order across groups
 * @param network the link model: a default and per-host-pair overrides
 * @param faults the scheduled faults ({@code faults:}), in file order (a fault's index is its
 *     position here); empty for none
 * @param pcap how many connections (ids 0..pcap-1) to capture in trace.pcap; 0: none unless the
 *     command line asks
 * @param file where it came from (for messages), or null
 */
public record Scenario(
    String name,
    long seed,
    long duration,
    List<HostSpec> hosts,
    List<ListenerSpec> listeners,
    List<ClientGroup> groups,
    NetworkSpec network,
    List<Fault> faults,
    int pcap,
    String file) {

  public Scenario {
    faults = faults == null ? List.of() : List.copyOf(faults);
  }

  /** A scenario without faults. */
  public Scenario(String name, long seed, long duration, List<HostSpec> hosts,
      List<ListenerSpec> listeners, List<ClientGroup> groups, NetworkSpec network, int pcap,
      String file) {
    this(name, seed, duration, hosts, listeners, groups, network, List.of(), pcap, file);
  }

  /** A scenario without faults and without a pcap sample. */
  public Scenario(String name, long seed, long duration, List<HostSpec> hosts,
      List<ListenerSpec> listeners, List<ClientGroup> groups, NetworkSpec network, String file) {
    this(name, seed, duration, hosts, listeners, groups, network, List.of(), 0, file);
  }

  public record HostSpec(String name, TcpParams tcp) {}

  public record ListenerSpec(int host, int port) {}

  /** Who closes first once the data is exchanged. */
  public enum Closer { CLIENT, SERVER, SIMULTANEOUS }

  /**
   * A group of {@code count} client connections.
   *
   * @param from client hosts, used round-robin
   * @param start virtual time of the first connect, ns
   * @param every spacing between connects, ns (0: all at {@code start} unless {@code spread})
   * @param spread if > 0, connects are uniform at random in [start, start + spread)
   * @param clientBytes bytes the client sends (its request)
   * @param serverBytes bytes the server answers once the request is in
   * @param closer who closes first
   * @param hold how long the closer waits after the exchange before closing, ns
   * @param lastBytes bytes the passive closer sends after reading the FIN (in CLOSE-WAIT)
   * @param lastDelay how long after the FIN those bytes (and the passive closer's FIN) follow
   * @param arrival a random or time-varying arrival process for the connects (then {@code every}
   *     and {@code spread} are 0), or null: connects as {@code every}/{@code spread} say
   * @param abort probability, per connection, that the closing application aborts (sends RST)
   *     instead of closing (for {@code SIMULTANEOUS}: the client aborts)
   */
  public record ClientGroup(
      String name,
      List<Integer> from,
      int toHost,
      int toPort,
      int count,
      long start,
      long every,
      long spread,
      long clientBytes,
      long serverBytes,
      Closer closer,
      long hold,
      long lastBytes,
      long lastDelay,
      ArrivalProcess arrival,
      double abort) {

    /** A group with the classic {@code every}/{@code spread} connects and no aborts. */
    public ClientGroup(String name, List<Integer> from, int toHost, int toPort, int count,
        long start, long every, long spread, long clientBytes, long serverBytes, Closer closer,
        long hold, long lastBytes, long lastDelay) {
      this(name, from, toHost, toPort, count, start, every, spread, clientBytes, serverBytes,
          closer, hold, lastBytes, lastDelay, null, 0);
    }
  }

  /**
   * An arrival process for a group's connects, starting with the first connect at the group's
   * {@code start}. Rates are connections per second.
   *
   * @param kind the process
   * @param rate POISSON: the constant rate; RAMP: the rate at {@code start} ({@code from})
   * @param to RAMP: the rate reached after {@code over} and kept from then on; POISSON: = rate
   * @param over RAMP: how long the linear ramp lasts, ns (> 0); POISSON: 0
   */
  public record ArrivalProcess(Kind kind, double rate, double to, long over) {
    public enum Kind { POISSON, RAMP }

    public static ArrivalProcess poisson(double rate) {
      return new ArrivalProcess(Kind.POISSON, rate, rate, 0);
    }

    public static ArrivalProcess ramp(double from, double to, long over) {
      return new ArrivalProcess(Kind.RAMP, from, to, over);
    }
  }

  /** The default link and overrides for directed host pairs. */
  /**
   * The link model of a scenario.
   *
   * @param defaults every link without an override
   * @param overrides configurations of directed host pairs
   * @param groupLinks per client group (indexed like {@code groups}): the link both directions of
   *     that group's connections use, or null to use the pair or default link; wins over both
   */
  public record NetworkSpec(LinkConfig defaults, List<PairOverride> overrides,
      List<LinkConfig> groupLinks) {

    public NetworkSpec(LinkConfig defaults, List<PairOverride> overrides) {
      this(defaults, overrides, List.of());
    }

    /** The group link of group {@code g}, or null if it has none. */
    public LinkConfig groupLink(int g) {
      return g < groupLinks.size() ? groupLinks.get(g) : null;
    }
  }

  public record PairOverride(int srcHost, int dstHost, LinkConfig link) {}

  /** The same scenario under another name and seed (a sweep variant, a --seed override). */
  public Scenario renamed(String newName, long newSeed) {
    return new Scenario(newName, newSeed, duration, hosts, listeners, groups, network, faults,
        pcap, file);
  }

  /** The scheduled faults as the network and the hosts query them. */
  public FaultSchedule faultSchedule() {
    return faults.isEmpty() ? FaultSchedule.NONE : new FaultSchedule(faults);
  }

  public int connectionCount() {
    return groups.stream().mapToInt(ClientGroup::count).sum();
  }

  public int hostIndex(String hostName) {
    for (int i = 0; i < hosts.size(); i++) if (hosts.get(i).name().equals(hostName)) return i;
    return -1;
  }
}
