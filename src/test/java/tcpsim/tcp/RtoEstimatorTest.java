package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The retransmission timeout of RFC 6298. Times in nanoseconds. */
class RtoEstimatorTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  /** min 200 ms, max 120 s, initial 1 s (Linux). */
  private static RtoEstimator linux() {
    return new RtoEstimator(TcpParams.linux());
  }

  private static TcpParams params(long rtoInitial, long rtoMin, long rtoMax) {
    return new TcpParams(1460, 65535, rtoInitial, rtoMin, rtoMax, 6, 5, 15, 30 * S, 128, 128);
  }

  @Test
  void beforeAnySample_rtoIsTheInitialOne() { // §2.1
    RtoEstimator rto = linux();
    assertEquals(1 * S, rto.rto());
    assertFalse(rto.hasSample());
  }

  @Test
  void firstSample_setsSrttToR_rttvarToHalfR_andRtoToSrttPlusFourRttvar() { // §2.2
    RtoEstimator rto = linux();
    rto.sample(100 * MS);
    assertTrue(rto.hasSample());
    assertEquals(100 * MS, rto.srtt());
    assertEquals(50 * MS, rto.rttvar());
    assertEquals(300 * MS, rto.rto()); // 100 + max(G, 4*50)
  }

  @Test
  void subsequentSample_updatesRttvarWithTheOldSrtt_thenSrtt() { // §2.3, beta 1/4, alpha 1/8
    RtoEstimator rto = linux();
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
    RtoEstimator rto = linux();
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
    RtoEstimator rto = linux();
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
    RtoEstimator rto = linux();
    rto.backOff();
    rto.backOff();
    assertEquals(4 * S, rto.rto());
    rto.resetAfterSynLoss();
    assertEquals(3 * S, rto.rto());
  }

  @Test
  void synLossWithASample_keepsTheComputedRto() {
    RtoEstimator rto = linux();
    rto.sample(100 * MS);
    rto.resetAfterSynLoss();
    assertEquals(300 * MS, rto.rto());
  }
}
