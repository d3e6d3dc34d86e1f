package tcpsim.tcp;

/**
 * The retransmission timeout of RFC 6298: smoothed RTT and its variance from samples, doubling
 * backoff on expiry, bounded by the host's minimum and maximum.
 */
public final class RtoEstimator {
  /** Clock granularity G of RFC 6298 §2: the simulator's clock is exact, so 1 ms as in Linux. */
  static final long GRANULARITY = 1_000_000L;
  /** RFC 6298 §5.7: after a retransmitted SYN the RTO restarts at 3 s once data flows. */
  static final long RTO_AFTER_SYN_LOSS = 3_000_000_000L;

  private final long min;
  private final long max;
  private long srtt = -1;
  private long rttvar;
  private long rto;

  public RtoEstimator(TcpParams params) {
    this.min = params.rtoMin();
    this.max = params.rtoMax();
    this.rto = params.rtoInitial(); // RFC 6298 §2.1
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

  /** A new round-trip measurement R (RFC 6298 §2.2 for the first, §2.3 for the rest). */
  public void sample(long r) {
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = clamp(srtt + Math.max(GRANULARITY, 4 * rttvar)); // §2.4 and §2.5
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
