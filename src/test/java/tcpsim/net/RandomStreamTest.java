package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RandomStreamTest {

  @Test
  void sameSeedAndIdGiveTheSameValues() {
    RandomStream a = new RandomStream(42, 7);
    RandomStream b = new RandomStream(42, 7);
    for (int i = 0; i < 1000; i++) assertEquals(a.nextLong(), b.nextLong());
  }

  @Test
  void differentSeedOrIdGiveDifferentValues() {
    long base = new RandomStream(42, 7).nextLong();
    assertNotEquals(base, new RandomStream(43, 7).nextLong());
    assertNotEquals(base, new RandomStream(42, 8).nextLong());
    assertNotEquals(base, new RandomStream(7, 42).nextLong());
  }

  /** SplitMix64's known output: seeding with 0 (state 0) gives these first values. */
  @Test
  void mix64IsTheSplitMix64Finaliser() {
    assertEquals(0xE220A8397B1DCDAFL, RandomStream.mix64(RandomStream.GOLDEN_GAMMA));
    assertEquals(0L, RandomStream.mix64(0));
  }

  @Test
  void mixDependsOnOrderAndLength() {
    assertNotEquals(RandomStream.mix(1, 2), RandomStream.mix(2, 1));
    assertNotEquals(RandomStream.mix(1), RandomStream.mix(1, 0));
    assertNotEquals(RandomStream.mix(0), RandomStream.mix());
    assertEquals(RandomStream.mix(5, 6, 7), RandomStream.mix(5, 6, 7));
  }

  @Test
  void nextDoubleIsUniformInUnitInterval() {
    RandomStream r = new RandomStream(1, 2);
    int n = 200_000;
    double sum = 0;
    int[] deciles = new int[10];
    for (int i = 0; i < n; i++) {
      double u = r.nextDouble();
      assertTrue(u >= 0 && u < 1, "out of [0,1): " + u);
      sum += u;
      deciles[(int) (u * 10)]++;
    }
    assertEquals(0.5, sum / n, 0.005);
    for (int d : deciles) assertEquals(n / 10.0, d, 5 * Math.sqrt(n * 0.09)); // 5 sigma
  }

  @Test
  void nextGaussianHasMeanZeroAndUnitStddev() {
    RandomStream r = new RandomStream(3, 4);
    int n = 200_000;
    double sum = 0;
    double sumSq = 0;
    for (int i = 0; i < n; i++) {
      double g = r.nextGaussian();
      sum += g;
      sumSq += g * g;
    }
    double mean = sum / n;
    assertEquals(0, mean, 0.012); // sigma of the mean is 1/sqrt(n) = 0.0022
    assertEquals(1, Math.sqrt(sumSq / n - mean * mean), 0.01);
  }

  /** Streams of neighbouring ids must not be correlated (a weak mix would fail this). */
  @Test
  void neighbouringStreamsAreUncorrelated() {
    int n = 100_000;
    double sumXy = 0;
    for (int i = 0; i < n; i++) {
      double x = new RandomStream(9, i).nextDouble() - 0.5;
      double y = new RandomStream(9, i + 1).nextDouble() - 0.5;
      sumXy += x * y;
    }
    // Var(x·y) = (1/12)^2; 5 sigma of the mean product:
    assertEquals(0, sumXy / n, 5 / 12.0 / Math.sqrt(n));
  }
}
