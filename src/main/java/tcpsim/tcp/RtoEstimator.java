package tcpsim.tcp;

/**
 * The retransmission timeout: smoothed RTT and its variance from samples, doubling backoff on
 * expiry, bounded by the host's minimum and maximum.
 *
 * <p>Two estimators, chosen by the profile:
 *
 * <ul>
 *   <li><b>RFC 6298</b> ({@code profile: rfc}): SRTT, RTTVAR with gains 1/8 and 1/4, RTO = SRTT +
 *       max(G, 4·RTTVAR), clamped to [rtoMin, rtoMax]. 100 ms gives 300 ms; 2 ms gives 200 ms
 *       with Linux's bounds.
 *   <li><b>Linux</b> ({@code profile: linux}, net/ipv4/tcp_input.c {@code tcp_rtt_estimator()},
 *       {@code __tcp_set_rto()}): the same gains, but the variance term is {@code rttvar},
 *       which never falls below {@code tcp_rto_min} (the RTO floor is in the variance, not in a
 *       clamp of the sum), and RTO = SRTT + rttvar. The first sample r gives rttvar = max(2r,
 *       rto_min): 202 ms for a 2 ms RTT, 300 ms for 100 ms. Within one round trip rttvar only
 *       grows, with the largest mean deviation seen ({@code mdev_max}); once per round trip it
 *       decays a quarter of the way towards that maximum, which restarts at rto_min. A sample
 *       below SRTT moves the mean deviation with a gain of 1/32 instead of 1/4 (Linux's
 *       variant of Eifel), so a falling RTT does not inflate the RTO.
 * </ul>
 *
 * <p>The values are kept as Linux keeps them: SRTT scaled by 8, the mean deviation and rttvar
 * by 4 (so rttvar is directly the RTO's variance term), in nanoseconds.
 */
public final class RtoEstimator {
  /** Clock granularity G of RFC 6298 §2: the simulator's clock is exact, so 1 ms as in Linux. */
  static final long GRANULARITY = 1_000_000L;
  /** RFC 6298 §5.7: after a retransmitted SYN the RTO restarts at 3 s once data flows. */
  static final long RTO_AFTER_SYN_LOSS = 3_000_000_000L;

  private final long min;
  private final long max;
  private final boolean linux;
  private long srtt = -1;
  private long rttvar;
  private long rto;
  // Linux only: SRTT ×8 (tcp_sock's srtt_us); mean deviation and its round-trip maximum ×4,
  // like rttvar (mdev_us, mdev_max_us).
  private long srtt8;
  private long mdev;
  private long mdevMax;

  public RtoEstimator(TcpParams params) {
    this.min = params.rtoMin();
    this.max = params.rtoMax();
    this.linux = params.isLinux();
    this.rto = params.rtoInitial(); // RFC 6298 §2.1; Linux's TCP_TIMEOUT_INIT
  }

  public long rto() {
    return rto;
  }

  public long srtt() {
    return srtt;
  }

  /**
   * RTTVAR in RFC 6298's scale, so that RTO = SRTT + 4·RTTVAR in both estimators (for Linux,
   * its rttvar / 4; before the clamp in the RFC's).
   */
  public long rttvar() {
    return linux ? rttvar / 4 : rttvar;
  }

  public boolean hasSample() {
    return srtt >= 0;
  }

  /**
   * A new round-trip measurement R (RFC 6298 §2.2 for the first, §2.3 for the rest; or Linux's
   * tcp_rtt_estimator).
   *
   * <p>Linux decays rttvar once per round trip, when SND.UNA has passed the sequence number
   * that was SND.NXT at the previous decay. tcpsim times one segment at a time, started only
   * after the previous sample at SND.NXT, so every sample but the first is the first of a new
   * round trip, and the decay runs with each.
   */
  public void sample(long r) {
    if (linux) {
      linuxSample(r);
      return;
    }
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = clamp(srtt + Math.max(GRANULARITY, 4 * rttvar)); // §2.4 and §2.5
  }

  /** tcp_rtt_estimator (net/ipv4/tcp_input.c), with srtt ×8 kept as {@code srtt8}. */
  private void linuxSample(long r) {
    if (srtt < 0) {
      srtt8 = r << 3;
      mdev = r << 1; // "make sure rto = 3*rtt"
      rttvar = Math.max(mdev, min);
      mdevMax = rttvar;
    } else {
      long m = r - (srtt8 >> 3); // the error of the estimate
      srtt8 += m; // srtt = 7/8 srtt + 1/8 r
      if (m < 0) {
        m = -m - (mdev >> 2);
        if (m > 0) m >>= 3; // the RTT fell: gain 1/32 instead of 1/4
      } else {
        m -= mdev >> 2;
      }
      mdev += m; // mdev = 3/4 mdev + 1/4 |error|
      if (mdev > mdevMax) {
        mdevMax = mdev;
        if (mdevMax > rttvar) rttvar = mdevMax;
      }
      // A new round trip (see above): decay rttvar towards this round's largest deviation.
      if (mdevMax < rttvar) rttvar -= (rttvar - mdevMax) >> 2;
      mdevMax = min;
    }
    srtt8 = Math.max(1, srtt8);
    srtt = srtt8 >> 3;
    rto = Math.min(max, srtt + rttvar); // __tcp_set_rto, tcp_bound_rto
  }

  /** The timer expired: back off (RFC 6298 §5.5; Linux doubles up to TCP_RTO_MAX as well). */
  public void backOff() {
    rto = Math.min(rto * 2, max);
  }

  /**
   * RFC 6298 §5.7: the SYN needed a retransmission and no RTT sample exists. Linux does the same
   * (tcp_init_metrics: TCP_TIMEOUT_FALLBACK, 3 s, when srtt is still 0).
   */
  public void resetAfterSynLoss() {
    if (srtt < 0) rto = clamp(RTO_AFTER_SYN_LOSS);
  }

  private long clamp(long v) {
    return Math.max(min, Math.min(max, v));
  }
}
