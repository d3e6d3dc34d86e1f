package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.Segments.MS;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyModelTest {
  private static final int N = 100_000;

  private static long[] samples(LatencyModel m, long streamId) {
    RandomStream r = new RandomStream(2024, streamId);
    long[] out = new long[N];
    for (int i = 0; i < N; i++) out[i] = m.sample(r);
    return out;
  }

  private static double mean(long[] xs) {
    double s = 0;
    for (long x : xs) s += x;
    return s / xs.length;
  }

  private static double stddev(long[] xs) {
    double m = mean(xs);
    double s = 0;
    for (long x : xs) s += (x - m) * (x - m);
    return Math.sqrt(s / xs.length);
  }

  @Test
  void noDistributionGoesBelowItsMinimum() {
    List<LatencyModel> models = List.of(
        LatencyModel.constant(5 * MS),
        LatencyModel.uniform(2 * MS, 8 * MS),
        LatencyModel.uniform(1, 1),
        LatencyModel.normal(10 * MS, 5 * MS, 1 * MS), // the clamp is hit often
        LatencyModel.normal(1 * MS, 0, 1 * MS),
        LatencyModel.pareto(3 * MS, 1.2, 500 * MS),
        LatencyModel.pareto(3 * MS, 0.1, 3 * MS));
    int id = 0;
    for (LatencyModel m : models) {
      long min = m.minimum();
      assertTrue(min > 0);
      boolean hitMin = false;
      for (long x : samples(m, id++)) {
        assertTrue(x >= min, m + " sampled " + x + " below its minimum " + min);
        hitMin |= x == min;
      }
      // The clamp of the normal puts real probability mass exactly at its minimum.
      if (m instanceof LatencyModel.Normal) assertTrue(hitMin, m + " never reached its minimum");
    }
  }

  @Test
  void constantIsConstant() {
    for (long x : samples(LatencyModel.constant(7 * MS), 1)) assertEquals(7 * MS, x);
  }

  @Test
  void uniformCoversItsRangeWithTheRightMean() {
    long[] xs = samples(LatencyModel.uniform(10 * MS, 30 * MS), 2);
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (long x : xs) {
      lo = Math.min(lo, x);
      hi = Math.max(hi, x);
    }
    assertTrue(lo >= 10 * MS && hi <= 30 * MS);
    assertTrue(lo < 10 * MS + MS / 10 && hi > 30 * MS - MS / 10, "range not covered");
    // sigma of the mean: (20 ms / sqrt(12)) / sqrt(N) = 18 us; allow 5 sigma.
    assertEquals(20 * MS, mean(xs), 0.1 * MS);
  }

  @Test
  void uniformOnTinyRangeHitsEveryValue() {
    int[] seen = new int[3];
    for (long x : samples(LatencyModel.uniform(5, 7), 3)) seen[(int) (x - 5)]++;
    for (int c : seen) assertEquals(N / 3.0, c, 5 * Math.sqrt(N * (2 / 9.0)));
  }

  @Test
  void normalHasTheRightMeanAndStddev() {
    long[] xs = samples(LatencyModel.normal(50 * MS, 5 * MS, 1 * MS), 4);
    // sigma of the mean: 5 ms / sqrt(N) = 16 us; allow 5 sigma.
    assertEquals(50 * MS, mean(xs), 0.08 * MS);
    assertEquals(5 * MS, stddev(xs), 0.05 * MS);
  }

  @Test
  void paretoFollowsItsTailAndCap() {
    long min = 10 * MS;
    double alpha = 2.5;
    long cap = 100 * MS;
    long[] xs = samples(LatencyModel.pareto(min, alpha, cap), 5);
    int above2min = 0;
    int atCap = 0;
    for (long x : xs) {
      assertTrue(x >= min && x <= cap);
      if (x > 2 * min) above2min++;
      if (x == cap) atCap++;
    }
    // P(X > 2 min) = 2^-alpha = 0.177; P(X >= cap) = 10^-alpha = 0.00316.
    double p2 = Math.pow(2, -alpha);
    assertEquals(p2 * N, above2min, 5 * Math.sqrt(N * p2 * (1 - p2)));
    double pc = Math.pow(10, -alpha);
    assertEquals(pc * N, atCap, 5 * Math.sqrt(N * pc * (1 - pc)));
  }

  @Test
  void rejectsNonPositiveMinimumsWithAClearMessage() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> LatencyModel.constant(0));
    assertTrue(e.getMessage().contains("must be > 0"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.uniform(0, 5));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.uniform(-3, 5));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.uniform(5, 4));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.normal(10, 2, 0));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.normal(10, -1, 1));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.normal(1, 2, 5));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.pareto(0, 1.5, 10));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.pareto(5, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.pareto(5, Double.NaN, 10));
    assertThrows(IllegalArgumentException.class, () -> LatencyModel.pareto(5, 1.5, 4));
  }
}
