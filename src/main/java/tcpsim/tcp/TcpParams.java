package tcpsim.tcp;

/**
 * TCP parameters of one host. Times are nanoseconds of virtual time.
 *
 * @param mss maximum segment size in bytes (payload per segment)
 * @param rcvWindow the receive window this host advertises, in bytes (at most 65535); under
 *     Linux the windows come from tcp_rmem and are scaled (docs/linux-profile.md §1.3), and this
 *     only clamps them
 * @param rtoInitial initial retransmission timeout (RFC 6298 §2.1: 1 s)
 * @param rtoMin lower bound of the RTO (RFC 6298 says 1 s; Linux uses 200 ms)
 * @param rtoMax upper bound of the RTO (RFC 6298 §2.5 allows one of at least 60 s; Linux 120 s)
 * @param synRetries SYN retransmissions before connect() gives up
 * @param synAckRetries SYN-ACK retransmissions of a half-open entry before it is dropped
 * @param dataRetries retransmissions of data or FIN before the connection is aborted
 * @param msl maximum segment lifetime; TIME-WAIT lasts 2×MSL (RFC 9293 §3.4.2)
 * @param synBacklog how many half-open (SYN-RECEIVED) entries a listener keeps
 * @param acceptBacklog how many established connections may wait to be accepted
 * @param synCookies when a listener answers a SYN with a SYN cookie instead of keeping a
 *     half-open entry (Linux net.ipv4.tcp_syncookies; RFC 4987 §3.6)
 */
public record TcpParams(
    int mss,
    int rcvWindow,
    long rtoInitial,
    long rtoMin,
    long rtoMax,
    int synRetries,
    int synAckRetries,
    int dataRetries,
    long msl,
    int synBacklog,
    int acceptBacklog,
    SynCookies synCookies,
    LinuxKnobs linuxKnobs) {

  public static final long MS = 1_000_000L;
  public static final long S = 1_000_000_000L;

  /**
   * When a listener sends SYN cookies, as Linux's {@code net.ipv4.tcp_syncookies} (0, 1, 2)
   * decides it in tcp_conn_request (net/ipv4/tcp_input.c): with 1, only while the SYN backlog is
   * full (tcp_syn_flood_action); with 2, for every SYN.
   */
  public enum SynCookies {
    /** 0: never; a SYN that finds the SYN backlog full is dropped. */
    OFF,
    /** 1 (Linux's default): a SYN that finds the SYN backlog full gets a cookie. */
    ON_OVERFLOW,
    /** 2: every SYN gets a cookie and no listener keeps half-open entries. */
    ALWAYS;

    /** The value of net.ipv4.tcp_syncookies that means this mode. */
    public int sysctl() {
      return ordinal();
    }

    /** The mode net.ipv4.tcp_syncookies = {@code value} means (0, 1 or 2). */
    public static SynCookies fromSysctl(int value) {
      if (value < 0 || value > 2) {
        throw new IllegalArgumentException("tcp_syncookies must be 0, 1 or 2, got " + value);
      }
      return values()[value];
    }
  }

  /**
   * The parameters without SYN cookies ({@link SynCookies#OFF}), as tcpsim behaved before it
   * modelled them; kept so that call sites written for eleven parameters compile unchanged.
   */
  public TcpParams(int mss, int rcvWindow, long rtoInitial, long rtoMin, long rtoMax,
      int synRetries, int synAckRetries, int dataRetries, long msl, int synBacklog,
      int acceptBacklog) {
    this(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries, dataRetries, msl,
        synBacklog, acceptBacklog, SynCookies.OFF);
  }

  /** The parameters of a stack that is not Linux ({@code linuxKnobs} null: the RFC's rules). */
  public TcpParams(int mss, int rcvWindow, long rtoInitial, long rtoMin, long rtoMax,
      int synRetries, int synAckRetries, int dataRetries, long msl, int synBacklog,
      int acceptBacklog, SynCookies synCookies) {
    this(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries, dataRetries, msl,
        synBacklog, acceptBacklog, synCookies, null);
  }

  /** Whether Linux's choices apply where the RFCs leave one open ({@code profile: linux}). */
  public boolean isLinux() {
    return linuxKnobs != null;
  }

  public TcpParams {
    if (mss <= 0) throw new IllegalArgumentException("mss must be positive");
    if (rcvWindow <= 0 || rcvWindow > 65535)
      throw new IllegalArgumentException("rcvWindow must be in 1..65535");
    if (rtoMin <= 0 || rtoMin > rtoMax) throw new IllegalArgumentException("need 0 < rtoMin <= rtoMax");
    if (rtoInitial < rtoMin || rtoInitial > rtoMax)
      throw new IllegalArgumentException("rtoInitial must lie in [rtoMin, rtoMax]");
    if (synCookies == null) throw new IllegalArgumentException("synCookies must be given");
  }

  /**
   * Linux's defaults: initial RTO 1 s (TCP_TIMEOUT_INIT), min 200 ms (TCP_RTO_MIN), max 120 s
   * (TCP_RTO_MAX), tcp_syn_retries 6, tcp_synack_retries 5, tcp_retries2 15, TIME-WAIT 60 s
   * (TCP_TIMEWAIT_LEN, so MSL 30 s), MSS 1460 on Ethernet, somaxconn-sized backlogs, and
   * tcp_syncookies = 1 (cookies only while the SYN backlog is full).
   */
  public static TcpParams linux() {
    return new TcpParams(1460, 65535, 1 * S, 200 * MS, 120 * S, 6, 5, 15, 30 * S, 4096, 4096,
        SynCookies.ON_OVERFLOW, LinuxKnobs.defaults());
  }

  /**
   * The plain RFC choices: RFC 6298's RTO (initial 1 s, minimum 1 s, maximum 60 s), RFC 9293's
   * MSL of 2 minutes, the default MSS of 536 bytes (RFC 9293 §3.7.1), and the retry counts
   * Linux uses since the RFC fixes none. No SYN cookies: RFC 9293 does not have them (RFC 4987
   * describes them as a mitigation, not part of the protocol).
   */
  public static TcpParams rfc() {
    return new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 15, 120 * S, 128, 128,
        SynCookies.OFF);
  }

  public long timeWait() {
    return 2 * msl;
  }

  public TcpParams withMsl(long v) {
    return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries,
        dataRetries, v, synBacklog, acceptBacklog, synCookies, linuxKnobs);
  }

  public TcpParams withSynBacklog(int v) {
    return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries,
        dataRetries, msl, v, acceptBacklog, synCookies, linuxKnobs);
  }

  public TcpParams withSynCookies(SynCookies v) {
    return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries,
        dataRetries, msl, synBacklog, acceptBacklog, v, linuxKnobs);
  }

  /**
   * The parameters of a listener whose application called {@code listen(fd, backlog)}: the
   * backlog bounds both its SYN queue and its accept queue, clamped to net.core.somaxconn under
   * Linux (__sys_listen_socket).
   */
  public TcpParams withListenBacklog(int backlog) {
    int b = linuxKnobs == null ? backlog : Math.min(backlog, linuxKnobs.somaxconn());
    return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries,
        dataRetries, msl, b, b, synCookies, linuxKnobs);
  }

  public TcpParams withLinuxKnobs(LinuxKnobs v) {
    return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries, synAckRetries,
        dataRetries, msl, synBacklog, acceptBacklog, synCookies, v);
  }
}
