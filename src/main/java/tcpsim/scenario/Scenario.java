package tcpsim.scenario;

import java.util.List;
import tcpsim.net.Fault;
import tcpsim.net.FaultSchedule;
import tcpsim.net.LinkConfig;
import tcpsim.tcp.AppScript;
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
 * @param attackers SYN floods aimed at listeners
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
    List<Attacker> attackers,
    String file) {

  public Scenario {
    faults = faults == null ? List.of() : List.copyOf(faults);
    attackers = attackers == null ? List.of() : List.copyOf(attackers);
  }

  /** A scenario without faults and attackers. */
  public Scenario(String name, long seed, long duration, List<HostSpec> hosts,
      List<ListenerSpec> listeners, List<ClientGroup> groups, NetworkSpec network, int pcap,
      String file) {
    this(name, seed, duration, hosts, listeners, groups, network, List.of(), pcap, List.of(),
        file);
  }

  /** A scenario without faults, attackers and a pcap sample. */
  public Scenario(String name, long seed, long duration, List<HostSpec> hosts,
      List<ListenerSpec> listeners, List<ClientGroup> groups, NetworkSpec network, String file) {
    this(name, seed, duration, hosts, listeners, groups, network, 0, file);
  }
  /** Where a SYN flood's segments claim to come from. */
  public enum FloodSource {
    /**
     * Forged source addresses that belong to no simulated host: the SYN-ACKs go nowhere, so
     * nobody answers them with an RST and each half-open entry lives its full SYN-ACK schedule.
     */
    SPOOFED,
    /** The attacker's own host, which ignores the SYN-ACKs (as a firewall rule would make it). */
    FIXED
  }

  /**
   * A SYN flood (RFC 4987 §2): SYNs at a steady rate, never followed by the handshake's ACK.
   *
   * @param name the attacker's name (for reports)
   * @param fromHost the host the attack is sent from (its link to the target is the path)
   * @param toHost the target listener's host
   * @param toPort the target listener's port
   * @param rate SYNs per second
   * @param start virtual time of the first SYN, ns
   * @param duration how long the attack lasts, ns: SYN k goes at {@code start + k / rate} while
   *     that is before {@code start + duration}
   * @param source spoofed or fixed source addresses
   * @param addresses SPOOFED: how many distinct forged addresses the SYNs are drawn from
   */
  public record Attacker(String name, int fromHost, int toHost, int toPort, double rate,
      long start, long duration, FloodSource source, int addresses) {

    public long end() {
      return start + duration;
    }

    /** How many SYNs the attack sends: the k with {@code k / rate < duration}. */
    public long synCount() {
      double seconds = duration / 1e9;
      long n = (long) Math.ceil(seconds * rate);
      // Guard the rounding of the product: SYN n-1 must start before the end, SYN n not.
      while (n > 0 && synOffset(n - 1) >= duration) n--;
      while (synOffset(n) < duration) n++;
      return n;
    }

    /** The time of SYN {@code k} after {@code start}, ns. */
    public long synOffset(long k) {
      return (long) Math.floor(k * 1e9 / rate);
    }
  }

  public record HostSpec(String name, TcpParams tcp) {}

  /**
   * A socket in LISTEN.
   *
   * @param backlog the {@code listen()} backlog, bounding the SYN queue and the accept queue
   *     (Linux: at most net.core.somaxconn); 0: the host's {@code synBacklog} and
   *     {@code acceptBacklog}
   */
  public record ListenerSpec(int host, int port, int backlog) {
    public ListenerSpec(int host, int port) {
      this(host, port, 0);
    }
  }

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
   * @param clientSteps the client application as explicit steps ({@code client:}), or null to
   *     build it from the byte counts and {@code close}; an {@code Until} in it counts from the
   *     connection's connect
   * @param serverSteps the same for the server application ({@code server:})
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
      double abort,
      AppScript clientSteps,
      AppScript serverSteps) {

    /** A group with the classic {@code every}/{@code spread} connects and no aborts. */
    public ClientGroup(String name, List<Integer> from, int toHost, int toPort, int count,
        long start, long every, long spread, long clientBytes, long serverBytes, Closer closer,
        long hold, long lastBytes, long lastDelay) {
      this(name, from, toHost, toPort, count, start, every, spread, clientBytes, serverBytes,
          closer, hold, lastBytes, lastDelay, null, 0);
    }

    /** A group whose applications are built from the byte counts and {@code close}. */
    public ClientGroup(String name, List<Integer> from, int toHost, int toPort, int count,
        long start, long every, long spread, long clientBytes, long serverBytes, Closer closer,
        long hold, long lastBytes, long lastDelay, ArrivalProcess arrival, double abort) {
      this(name, from, toHost, toPort, count, start, every, spread, clientBytes, serverBytes,
          closer, hold, lastBytes, lastDelay, arrival, abort, null, null);
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
        pcap, attackers, file);
  }

  /** The scheduled faults as the network and the hosts query them. */
  public FaultSchedule faultSchedule() {
    return faults.isEmpty() ? FaultSchedule.NONE : new FaultSchedule(faults);
  }

  public int connectionCount() {
    return groups.stream().mapToInt(ClientGroup::count).sum();
  }

  /**
   * From the first attacker's start to the last one's end (the borders of the phases before,
   * during and after the attack), or null without attackers.
   */
  public long[] attackSpan() {
    if (attackers.isEmpty()) return null;
    long start = Long.MAX_VALUE;
    long end = Long.MIN_VALUE;
    for (Attacker a : attackers) {
      start = Math.min(start, a.start());
      end = Math.max(end, a.end());
    }
    return new long[] {start, end};
  }

  /** SYNs sent by all attackers together. */
  public long attackSynCount() {
    return attackers.stream().mapToLong(Attacker::synCount).sum();
  }

  public int hostIndex(String hostName) {
    for (int i = 0; i < hosts.size(); i++) if (hosts.get(i).name().equals(hostName)) return i;
    return -1;
  }
}
