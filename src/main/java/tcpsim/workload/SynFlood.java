package tcpsim.workload;

import tcpsim.net.RandomStream;
import tcpsim.scenario.Scenario.Attacker;
import tcpsim.scenario.Scenario.FloodSource;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Segment;
import tcpsim.tcp.Tcb;

/**
 * One attacker's SYN flood (RFC 4987 §2): bare SYNs at a steady rate — SYN {@code k} at
 * {@code start + k / rate}, as a flooding tool paced by a timer sends them — none of which is
 * ever followed by the handshake's ACK.
 *
 * <p>Each SYN is a connection attempt of its own, with a connection id after the clients' ones
 * ({@code firstConn + k}), so the listener's half-open entries and the trace can tell them apart
 * and reports can leave them out of the legitimate clients' figures.
 *
 * <p>A spoofed SYN claims a source address drawn from {@code addresses} forged ones, modelled as
 * host numbers past the scenario's hosts ({@code firstSpoofedHost ..}); no simulated host owns
 * them, so the network drops the SYN-ACKs sent there ({@code no-host}) and nobody answers with
 * the RST a real, unsuspecting owner would send. Its source port and ISN are random. A fixed
 * source is the attacker's own host, with source ports counting up through the ephemeral range
 * (as hping3 does); that host ignores the SYN-ACKs. Every random choice comes from the SYN's own
 * stream (seed, attacker, k), so the flood is the same on every run and every node.
 */
public final class SynFlood {
  private static final long FLOOD_STREAM = 0x464c_4f4f_44L; // "FLOOD"
  private static final int FIRST_EPHEMERAL_PORT = 32768; // Linux ip_local_port_range
  private static final int EPHEMERAL_PORTS = 60999 - FIRST_EPHEMERAL_PORT + 1;
  /** Forged source ports avoid the well-known range, as flooding tools' random ports do. */
  private static final int FIRST_SPOOFED_PORT = 1024;
  private static final int ADVERTISED_WINDOW = 65535;

  private final Attacker attacker;
  private final int index;
  private final int firstConn;
  private final int firstSpoofedHost;
  private final long seed;
  private final long count;

  /**
   * @param index the attacker's position in the scenario
   * @param firstConn the connection id of its first SYN
   * @param firstSpoofedHost the host number of its first forged address (SPOOFED only)
   */
  public SynFlood(Attacker attacker, int index, int firstConn, int firstSpoofedHost, long seed) {
    this.attacker = attacker;
    this.index = index;
    this.firstConn = firstConn;
    this.firstSpoofedHost = firstSpoofedHost;
    this.seed = seed;
    this.count = attacker.synCount();
  }

  public Attacker attacker() {
    return attacker;
  }

  /** How many SYNs it sends. */
  public long count() {
    return count;
  }

  public int firstConn() {
    return firstConn;
  }

  /** The host it is sent from. */
  public int fromHost() {
    return attacker.fromHost();
  }

  /** The virtual time of SYN {@code k}, or {@link Tcb#NEVER_TIME} past the last one. */
  public long sendTime(long k) {
    return k < count ? attacker.start() + attacker.synOffset(k) : Tcb.NEVER_TIME;
  }

  /** Whether {@code host} is one of this flood's forged addresses. */
  public boolean isSpoofedHost(int host) {
    return attacker.source() == FloodSource.SPOOFED && host >= firstSpoofedHost
        && host - firstSpoofedHost < attacker.addresses();
  }

  /** Puts SYN {@code k} on the wire at its send time (and in the trace). */
  public Segment emit(long k, Outbox out) {
    int conn = Math.toIntExact(firstConn + k);
    RandomStream r = new RandomStream(seed, RandomStream.mix(FLOOD_STREAM, index, k));
    int srcHost;
    int srcPort;
    if (attacker.source() == FloodSource.SPOOFED) {
      srcHost = firstSpoofedHost + (int) Math.floorMod(r.nextLong(), (long) attacker.addresses());
      srcPort = FIRST_SPOOFED_PORT + (int) Math.floorMod(r.nextLong(), 65536L - FIRST_SPOOFED_PORT);
    } else {
      srcHost = attacker.fromHost();
      srcPort = FIRST_EPHEMERAL_PORT + (int) (k % EPHEMERAL_PORTS);
    }
    int isn = (int) r.nextLong();
    long origin = (long) conn << 1; // the client side of connection conn, as for a real client
    return Tcb.emitTo(out, sendTime(k), origin, 0, srcHost, srcPort, attacker.toHost(),
        attacker.toPort(), conn, Flags.SYN, isn, 0, ADVERTISED_WINDOW, 0, false);
  }
}
