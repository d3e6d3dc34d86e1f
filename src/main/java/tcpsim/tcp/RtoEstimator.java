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
 * <p>Linux's values are kept as the kernel keeps them: SRTT scaled by 8, the mean deviation and
 * rttvar in microseconds ({@link #sampleLinux}).
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
  // Linux's estimator (tcp_rtt_estimator), in microseconds as the kernel keeps it.
  private long srtt8Us = -1; // 8 x SRTT (srtt_us)
  private long mdevUs; // mdev_us
  private long mdevMaxUs; // mdev_max_us: the largest mdev in the current round trip
  private long rttvarUs; // rttvar_us
  private int rttSeq; // rtt_seq: the round trip ends when SND.UNA passes it

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

  public long rttvar() {
    return rttvar;
  }

  public boolean hasSample() {
    return srtt >= 0;
  }

  /**
   * A new round-trip measurement R (RFC 6298 §2.2 for the first, §2.3 for the rest; under
   * {@code profile: linux}, {@link #sampleLinux} as the first of a new round trip: a caller that
   * times one segment at a time, starting after the previous sample, sees every sample end a
   * round trip).
   */
  public void sample(long r) {
    if (linux) {
      sampleLinux(r, rttSeq + 1, rttSeq + 1);
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

  /**
   * A round-trip measurement {@code r} (ns) under Linux's rules (tcp_rtt_estimator and
   * __tcp_set_rto, net/ipv4/tcp_input.c): the first sample sets SRTT = r and RTTVAR = max(2r,
   * rto_min), so the RTO, SRTT + RTTVAR, is 202 ms for a 2 ms RTT (RFC 6298 would give 200 ms);
   * later ones smooth SRTT by 1/8 and the deviation by 1/4 (a falling RTT counts 1/8 as much),
   * RTTVAR follows the largest deviation of a round trip at once and decays towards it by 1/4 once
   * per round trip (when SND.UNA passes the SND.NXT of the round trip's start). The RTO is in
   * whole milliseconds (jiffies at HZ 1000, rounded up), at most the maximum; RTTVAR never falls
   * below rto_min, which is the RTO's floor.
   */
  public void sampleLinux(long r, int sndUna, int sndNxt) {
    long m = Math.max(0, r / 1_000L);
    long minUs = min / 1_000L;
    if (srtt8Us < 0) {
      srtt8Us = m << 3;
      mdevUs = m << 1; // "make sure rto = 3*rtt"
      rttvarUs = Math.max(mdevUs, minUs);
      mdevMaxUs = rttvarUs;
      rttSeq = sndNxt;
    } else {
      m -= srtt8Us >> 3; // the error of the estimate
      srtt8Us += m; // SRTT = 7/8 SRTT + 1/8 r
      if (m < 0) {
        m = -m - (mdevUs >> 2);
        if (m > 0) m >>= 3; // an RTT falling fast must not inflate the deviation
      } else {
        m -= mdevUs >> 2;
      }
      mdevUs += m; // mdev = 3/4 mdev + 1/4 |error|
      if (mdevUs > mdevMaxUs) {
        mdevMaxUs = mdevUs;
        if (mdevMaxUs > rttvarUs) rttvarUs = mdevMaxUs;
      }
      if (Seq.gt(sndUna, rttSeq)) { // a round trip is over
        if (mdevMaxUs < rttvarUs) rttvarUs -= (rttvarUs - mdevMaxUs) >> 2;
        rttSeq = sndNxt;
        mdevMaxUs = minUs;
      }
    }
    srtt8Us = Math.max(1, srtt8Us);
    srtt = (srtt8Us >> 3) * 1_000L;
    rttvar = rttvarUs * 1_000L;
    long rtoUs = (srtt8Us >> 3) + rttvarUs;
    rto = Math.min(max, (rtoUs + 999) / 1_000L * GRANULARITY); // usecs_to_jiffies, tcp_bound_rto
  }

  /** The timer expired: back off (RFC 6298 §5.5). */
  public void backOff() {
    rto = Math.min(rto * 2, max);
  }

  /** RFC 6298 §5.7: the SYN needed a retransmission and no RTT sample exists. */
  public void resetAfterSynLoss() {
    if (srtt < 0) rto = clamp(RTO_AFTER_SYN_LOSS);
  }

  private long clamp(long v) {
    return Math.max(min, Math.min(max, v));
  }
}
