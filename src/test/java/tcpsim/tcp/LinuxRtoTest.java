package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Linux's RTT estimator (docs/linux-profile.md §3; tcp_rtt_estimator, __tcp_set_rto), the path
 * {@code profile: linux} takes through {@link RtoEstimator#sampleLinux}.
 */
class LinuxRtoTest {
  private static final long MS = TcpParams.MS;

  @Test
  void firstSample_rttvarIsFlooredAtRtoMin_so2msGives202ms() {
    RtoEstimator rto = new RtoEstimator(TcpParams.linux());
    rto.sampleLinux(2 * MS, 1, 1);
    assertTrue(rto.hasSample());
    assertEquals(2 * MS, rto.srtt());
    assertEquals(200 * MS, rto.rttvar());
    assertEquals(202 * MS, rto.rto()); // RFC 6298: max(2 + 4 x 1, 200) = 200 ms
  }

  @Test
  void firstSample_ofALongRtt_givesThreeTimesIt() { // "make sure rto = 3*rtt"
    RtoEstimator rto = new RtoEstimator(TcpParams.linux());
    rto.sampleLinux(300 * MS, 1, 1);
    assertEquals(900 * MS, rto.rto());
  }

  @Test
  void rttvar_decaysTowardsTheRoundTripsLargestDeviation_oncePerRoundTrip() {
    RtoEstimator rto = new RtoEstimator(TcpParams.linux());
    rto.sampleLinux(300 * MS, 0, 100); // round trip ends when SND.UNA passes 100
    rto.sampleLinux(300 * MS, 50, 100); // same round trip: mdev 450 ms, RTTVAR stays 600
    assertEquals(900 * MS, rto.rto());
    // Over (mdev 337.5 ms): no decay, since mdev_max 600 = RTTVAR; mdev_max restarts at 200.
    rto.sampleLinux(300 * MS, 101, 200);
    assertEquals(900 * MS, rto.rto());
    // mdev 253.125 ms is the next round trip's largest; at its end RTTVAR decays by a quarter of
    // the gap: 600 - 346.875 / 4 = 513.282 ms (in whole µs), RTO 813.282 ms, rounded up to ms.
    rto.sampleLinux(300 * MS, 201, 300);
    assertEquals(513_282_000L, rto.rttvar());
    assertEquals(814 * MS, rto.rto());
  }

  @Test
  void rto_isCappedAtTheMaximum() {
    RtoEstimator rto = new RtoEstimator(TcpParams.linux());
    rto.sampleLinux(100 * TcpParams.S, 1, 1);
    assertEquals(120 * TcpParams.S, rto.rto());
  }
}
