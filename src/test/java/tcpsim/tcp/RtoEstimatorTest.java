package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The retransmission timeout: RFC 6298's estimator, and Linux's (tcp_rtt_estimator) under
 * {@code profile: linux}. Times in nanoseconds.
 */
class RtoEstimatorTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  /**
   * RFC 6298's estimator with Linux's bounds: min 200 ms, max 120 s, initial 1 s. (These tests
   * used TcpParams.linux() until the linux profile got Linux's own estimator.)
   */
  private static RtoEstimator rfcWithLinuxBounds() {
    return new RtoEstimator(params(1 * S, 200 * MS, 120 * S));
  }

  private static RtoEstimator linux() {
    return new RtoEstimator(TcpParams.linux());
  }

  private static TcpParams params(long rtoInitial, long rtoMin, long rtoMax) {
    return new TcpParams(1460, 65535, rtoInitial, rtoMin, rtoMax, 6, 5, 15, 30 * S, 128, 128);
  }

  @Test
  void beforeAnySample_rtoIsTheInitialOne() { // §2.1
    RtoEstimator rto = rfcWithLinuxBounds();
    assertEquals(1 * S, rto.rto());
    assertFalse(rto.hasSample());
  }

  @Test
  void firstSample_setsSrttToR_rttvarToHalfR_andRtoToSrttPlusFourRttvar() { // §2.2
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.sample(100 * MS);
    assertTrue(rto.hasSample());
    assertEquals(100 * MS, rto.srtt());
    assertEquals(50 * MS, rto.rttvar());
    assertEquals(300 * MS, rto.rto()); // 100 + max(G, 4*50)
  }

  @Test
  void subsequentSample_updatesRttvarWithTheOldSrtt_thenSrtt() { // §2.3, beta 1/4, alpha 1/8
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.sample(100 * MS);
    rto.sample(200 * MS);
    // RTTVAR = 3/4 * 50 + 1/4 * |100 - 200| = 62.5 ms (computed with the OLD srtt of 100 ms)
    assertEquals(62_500_000L, rto.rttvar());
    // SRTT = 7/8 * 100 + 1/8 * 200 = 112.5 ms
    assertEquals(112_500_000L, rto.srtt());
    assertEquals(112_500_000L + 4 * 62_500_000L, rto.rto());
  }

  @Test
  void thirdSample_keepsSmoothing() {
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.sample(100 * MS);
    rto.sample(200 * MS);
    rto.sample(112_500_000L); // equal to SRTT: only the variance decays
    assertEquals(112_500_000L, rto.srtt());
    assertEquals(62_500_000L * 3 / 4, rto.rttvar());
    assertEquals(112_500_000L + 3 * 62_500_000L, rto.rto());
  }

  @Test
  void clockGranularity_isTheFloorOfTheVarianceTerm() { // §2.2/2.3: max(G, K*RTTVAR), G = 1 ms
    RtoEstimator rto = new RtoEstimator(params(1 * S, 1, 120 * S));
    rto.sample(0);
    assertEquals(0, rto.srtt());
    assertEquals(0, rto.rttvar());
    assertEquals(1 * MS, rto.rto());
    rto.sample(0);
    assertEquals(1 * MS, rto.rto());
  }

  @Test
  void rtoBelowMinimum_isRaisedToTheMinimum() { // §2.4
    RtoEstimator rto = new RtoEstimator(TcpParams.rfc()); // min 1 s
    rto.sample(100 * MS); // would be 300 ms
    assertEquals(1 * S, rto.rto());
    assertEquals(100 * MS, rto.srtt(), "the estimate itself is not clamped");
  }

  @Test
  void rtoAboveMaximum_isCappedAtTheMaximum() { // §2.5
    RtoEstimator rto = new RtoEstimator(TcpParams.rfc()); // max 60 s
    rto.sample(100 * S); // would be 300 s
    assertEquals(60 * S, rto.rto());
  }

  @Test
  void backOff_doublesTheRto_untilTheMaximum() { // §5.5
    RtoEstimator rto = new RtoEstimator(TcpParams.rfc()); // 1 s .. 60 s
    long[] expected = {2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S, 60 * S};
    for (long e : expected) {
      rto.backOff();
      assertEquals(e, rto.rto());
    }
  }

  @Test
  void newSampleAfterBackOff_recomputesTheRtoFromTheEstimate() { // §5.7
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.sample(100 * MS);
    rto.backOff();
    rto.backOff();
    assertEquals(1200 * MS, rto.rto());
    rto.sample(100 * MS);
    // RTTVAR = 3/4 * 50 = 37.5 ms, SRTT 100 ms: 100 + 150 = 250 ms
    assertEquals(250 * MS, rto.rto());
  }

  @Test
  void synLossWithoutSample_resetsRtoToThreeSeconds() { // §5.7
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.backOff();
    rto.backOff();
    assertEquals(4 * S, rto.rto());
    rto.resetAfterSynLoss();
    assertEquals(3 * S, rto.rto());
  }

  @Test
  void synLossWithASample_keepsTheComputedRto() {
    RtoEstimator rto = rfcWithLinuxBounds();
    rto.sample(100 * MS);
    rto.resetAfterSynLoss();
    assertEquals(300 * MS, rto.rto());
  }

  // ------------------------------------------------------------- Linux (profile: linux)

  @Test
  void linux_firstSampleOf2ms_givesRto202ms_becauseRttvarIsFlooredAtRtoMin() {
    RtoEstimator rto = linux(); // tcp_rtt_estimator: rttvar = max(2r, rto_min)
    rto.sample(2 * MS);
    assertEquals(2 * MS, rto.srtt());
    assertEquals(202 * MS, rto.rto(), "RFC 6298 would give max(3r, 200 ms) = 200 ms");
    assertEquals(200 * MS, rto.rttvar(), "rttvar is floored at rto_min");
  }

  @Test
  void linux_firstSampleOf100ms_givesThreeTimesTheRtt_likeTheRfc() {
    RtoEstimator rto = linux();
    rto.sample(100 * MS);
    assertEquals(300 * MS, rto.rto());
  }

  @Test
  void linux_steadyRtt_decaysRttvarOncePerRoundTrip_towardsTheRoundsLargestDeviation() {
    RtoEstimator rto = linux();
    rto.sample(400 * MS); // srtt 400, mdev = rttvar = 800 (×4): RTO 1.2 s
    assertEquals(1200 * MS, rto.rto());
    rto.sample(400 * MS); // mdev 600; this round's maximum was 800 = rttvar: no decay
    assertEquals(1200 * MS, rto.rto());
    rto.sample(400 * MS); // mdev 450 is the round's maximum: rttvar 800 - (800 - 450)/4
    // = 712.5 ms; the RTO is kept in whole jiffies (ms at HZ 1000), rounded up
    assertEquals(400 * MS + 713 * MS, rto.rto());
  }

  @Test
  void linux_fallingRtt_movesTheDeviationWithGainOneThirtySecond() {
    RtoEstimator rto = linux();
    rto.sample(100 * MS);
    rto.sample(20 * MS); // error -80 ms: srtt 90; |error| - mdev/4 = 30 ms, /8 = 3.75 ms
    assertEquals(90 * MS, rto.srtt());
    // rttvar 203.75 ms; the RTO in whole jiffies (ms), rounded up
    assertEquals(90 * MS + 204 * MS, rto.rto(), "RFC 6298 would give 320 ms");
  }

  @Test
  void linux_rtoAboveMaximum_isCappedAtTheMaximum() {
    RtoEstimator rto = linux();
    rto.sample(100 * S);
    assertEquals(120 * S, rto.rto());
  }

  @Test
  void linux_synLossWithoutSample_resetsRtoToThreeSeconds() { // tcp_init_metrics, fallback
    RtoEstimator rto = linux();
    rto.backOff();
    rto.resetAfterSynLoss();
    assertEquals(3 * S, rto.rto());
    rto.sample(2 * MS);
    assertEquals(202 * MS, rto.rto(), "the first sample after it is a first sample");
  }
}
