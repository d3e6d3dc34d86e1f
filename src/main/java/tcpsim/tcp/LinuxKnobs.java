package tcpsim.tcp;

/**
 * The Linux sysctls (net.ipv4.*, net.core.somaxconn) that {@code profile: linux} models beyond
 * the parameters every profile has ({@link TcpParams}: tcp_syn_retries is {@code synRetries},
 * tcp_synack_retries {@code synAckRetries}, tcp_syncookies {@code synCookies}, tcp_retries2
 * {@code dataRetries}, the listen backlog {@code synBacklog}). Names are the sysctls'; defaults
 * are Linux 6.12's. docs/linux-profile.md gives each one's source and effect.
 *
 * @param synLinearTimeouts tcp_syn_linear_timeouts: the first N SYN timeouts do not back off
 * @param finTimeout tcp_fin_timeout, ns: life of an orphaned FIN-WAIT-2
 * @param timestamps tcp_timestamps: 0 off, 1 on with a random offset, 2 on without
 * @param sack tcp_sack: offer SACK-permitted
 * @param windowScaling tcp_window_scaling: offer window scale
 * @param rmemDefault tcp_rmem[1]: the receive buffer that sizes the initial window
 * @param rmemMax tcp_rmem[2]: the largest receive buffer, which sizes the window scale
 * @param pingpongThresh tcp_pingpong_thresh: replies before delayed-ACK ping-pong mode
 * @param orphanRetries tcp_orphan_retries (0 means 8)
 * @param invalidRateLimit tcp_invalid_ratelimit, ns: spacing of challenge and out-of-window ACKs
 * @param abortOnOverflow tcp_abort_on_overflow: a full accept queue resets instead of dropping
 * @param maxSynBacklog tcp_max_syn_backlog: only for the "unproven peer" drop
 * @param somaxconn net.core.somaxconn: the listen backlog's ceiling
 * @param reqskFullAtBacklog the SYN queue is full at {@code backlog} requests (the `>=` test of
 *     Linux 4.4 to early 6.13 kernels); false: at {@code backlog + 1} (today's `>` test)
 */
public record LinuxKnobs(
    int synLinearTimeouts,
    long finTimeout,
    int timestamps,
    boolean sack,
    boolean windowScaling,
    int rmemDefault,
    int rmemMax,
    int pingpongThresh,
    int orphanRetries,
    long invalidRateLimit,
    boolean abortOnOverflow,
    int maxSynBacklog,
    int somaxconn,
    boolean reqskFullAtBacklog) {

  /** TCP_TIMEWAIT_LEN: TIME-WAIT lasts 60 s in Linux, whatever the MSL (include/net/tcp.h). */
  public static final long TIME_WAIT_LENGTH = 60 * TcpParams.S;

  public LinuxKnobs {
    if (synLinearTimeouts < 0) throw new IllegalArgumentException("tcp_syn_linear_timeouts >= 0");
    if (finTimeout <= 0) throw new IllegalArgumentException("tcp_fin_timeout > 0");
    if (timestamps < 0 || timestamps > 2) throw new IllegalArgumentException("tcp_timestamps 0..2");
    if (rmemDefault <= 0 || rmemMax < rmemDefault)
      throw new IllegalArgumentException("need 0 < tcp_rmem[1] <= tcp_rmem[2]");
    if (pingpongThresh < 1) throw new IllegalArgumentException("tcp_pingpong_thresh >= 1");
    if (orphanRetries < 0) throw new IllegalArgumentException("tcp_orphan_retries >= 0");
    if (invalidRateLimit < 0) throw new IllegalArgumentException("tcp_invalid_ratelimit >= 0");
    if (maxSynBacklog < 1 || somaxconn < 1)
      throw new IllegalArgumentException("tcp_max_syn_backlog and somaxconn >= 1");
  }

  /** Linux 6.12's defaults on a host with enough memory (tcp_max_syn_backlog 4096). */
  public static LinuxKnobs defaults() {
    return new LinuxKnobs(4, 60 * TcpParams.S, 1, true, true, 131072, 6291456, 1, 0,
        500 * TcpParams.MS, false, 4096, 4096, false);
  }
}
