package tcpsim.workload;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ArrivalProcess;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.scenario.Scenario.Closer;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.TcpParams;

/** Connect times of the arrival processes, and which connections abort. */
class ArrivalProcessTest {
  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static ClientGroup group(int count, long start, ArrivalProcess arrival, Closer closer,
      double abort) {
    return new ClientGroup("g", List.of(0), 1, 80, count, start, 0, 0, 100, 100, closer, 0, 0,
        0, arrival, abort);
  }

  private static Workload workload(long seed, ClientGroup... groups) {
    Scenario sc = new Scenario("arrivals", seed, 3600 * S,
        List.of(new Scenario.HostSpec("c", TcpParams.rfc()),
            new Scenario.HostSpec("s", TcpParams.rfc())),
        List.of(new Scenario.ListenerSpec(1, 80)), List.of(groups),
        new Scenario.NetworkSpec(LinkConfig.ideal(MS), List.of()), null);
    return new Workload(sc);
  }

  private static long[] times(Workload w) {
    long[] t = new long[w.size()];
    for (int c = 0; c < t.length; c++) t[c] = w.startAt(c);
    return t;
  }

  @Test
  void poisson_meanGapIsOneOverRate_over10kConnections() {
    int n = 10_000;
    double rate = 500; // per second: mean gap 2 ms
    Workload w = workload(7, group(n, 3 * S, ArrivalProcess.poisson(rate), Closer.CLIENT, 0));
    assertEquals(3 * S, w.startAt(0), "the first connect is at start");
    double sum = 0;
    double sumSq = 0;
    for (int c = 1; c < n; c++) {
      long gap = w.startAt(c) - w.startAt(c - 1);
      assertTrue(gap >= 0, "times are non-decreasing");
      sum += gap;
      sumSq += (double) gap * gap;
    }
    double mean = sum / (n - 1);
    double sd = Math.sqrt(sumSq / (n - 1) - mean * mean);
    // Standard error of the mean is (2 ms)/√9999 = 0.02 ms; allow 4 standard errors (2%).
    assertEquals(2 * MS, mean, 0.02 * 2 * MS * 2, "mean gap");
    // An exponential's standard deviation equals its mean.
    assertEquals(2 * MS, sd, 0.05 * 2 * MS, "standard deviation of the gaps");
  }

  @Test
  void poisson_isDeterministic_andDependsOnTheSeed() {
    ClientGroup g = group(1000, 0, ArrivalProcess.poisson(100), Closer.CLIENT, 0);
    assertArrayEquals(times(workload(11, g)), times(workload(11, g)));
    assertFalse(java.util.Arrays.equals(times(workload(11, g)), times(workload(12, g))));
  }

  @Test
  void ramp_isMonotone_andItsEndpointsAreRight() {
    double from = 10;
    double to = 1000;
    long over = 10 * S;
    ArrivalProcess ramp = ArrivalProcess.ramp(from, to, over);
    // Expected count on the ramp: (10 + 1000)/2 × 10 s = 5050; then 1000/s.
    int n = 6050;
    Workload w = workload(1, group(n, 2 * S, ramp, Closer.CLIENT, 0));
    assertEquals(2 * S, w.startAt(0), "the first connect is at start");
    for (int c = 1; c < n; c++) {
      assertTrue(w.startAt(c) >= w.startAt(c - 1), "monotone at " + c);
    }
    // On the ramp, connection k sits where N(t) = 10·t + 99·t²/2 reaches k.
    for (int k : new int[] {1, 2, 10, 100, 1288, 4000, 5049}) {
      double t = (w.startAt(k) - 2 * S) / 1e9;
      assertEquals(k, 10 * t + 99 * t * t / 2, 1e-3 * Math.max(1, 10 + 99 * t), "N(t) at " + k);
    }
    // The first gap is shorter than 1/from (the rate rises from 10/s), and long against 1/to.
    long firstGap = w.startAt(1) - w.startAt(0);
    assertTrue(firstGap > 50 * MS && firstGap < 100 * MS, "first gap " + firstGap);
    // Connection 5050 is where the ramp ends.
    assertEquals(2 * S + over, w.startAt(5050), 1 * MS);
    // Near the end of the ramp the gap is about 1/1000 s; after it exactly 1 ms.
    long lateGap = w.startAt(5049) - w.startAt(5048);
    assertEquals(1 * MS, lateGap, 0.01 * MS);
    for (int c = 5051; c < n; c++) {
      assertEquals(1 * MS, w.startAt(c) - w.startAt(c - 1), 1, "constant `to` after the ramp");
    }
  }

  @Test
  void ramp_down_andFlat_work_too() {
    Workload down = workload(1, group(100, 0, ArrivalProcess.ramp(100, 10, S), Closer.CLIENT, 0));
    for (int c = 1; c < 100; c++) assertTrue(down.startAt(c) > down.startAt(c - 1));
    assertEquals(S, down.startAt(55), 1 * MS); // (100 + 10)/2 × 1 s = 55
    Workload flat = workload(1, group(10, 0, ArrivalProcess.ramp(100, 100, S), Closer.CLIENT, 0));
    for (int c = 0; c < 10; c++) assertEquals(c * 10 * MS, flat.startAt(c), 1);
  }

  @Test
  void ramp_isDeterministic() {
    ClientGroup g = group(500, S, ArrivalProcess.ramp(10, 100, 2 * S), Closer.CLIENT, 0);
    assertArrayEquals(times(workload(3, g)), times(workload(99, g)), "no randomness in a ramp");
  }

  @Test
  void everyAndSpread_areUnchanged() {
    Workload w = workload(5, new ClientGroup("e", List.of(0), 1, 80, 3, S, 10 * MS, 0, 0, 0,
        Closer.CLIENT, 0, 0, 0));
    assertArrayEquals(new long[] {S, S + 10 * MS, S + 20 * MS}, times(w));
  }

  @Test
  void abort_fraction_isAboutP_andOnlyTheCloserAborts() {
    int n = 10_000;
    Workload w = workload(21, group(n, 0, null, Closer.CLIENT, 0.05));
    int aborted = 0;
    for (int c = 0; c < n; c++) {
      if (w.aborts(c)) {
        aborted++;
        assertTrue(w.clientApp(c).abort());
        assertFalse(w.serverApp(c).abort());
      } else {
        assertFalse(w.clientApp(c).abort());
      }
    }
    // Binomial(10000, 0.05): sd ≈ 21.8; allow 5 sd.
    assertEquals(500, aborted, 110);
    Workload again = workload(21, group(n, 0, null, Closer.CLIENT, 0.05));
    for (int c = 0; c < n; c++) assertEquals(w.aborts(c), again.aborts(c));
  }

  @Test
  void abort_serverCloser_andNone() {
    Workload all = workload(1, group(20, 0, null, Closer.SERVER, 1.0));
    for (int c = 0; c < 20; c++) {
      assertTrue(all.serverApp(c).abort());
      assertFalse(all.clientApp(c).abort());
    }
    Workload none = workload(1, group(20, 0, null, Closer.CLIENT, 0));
    for (int c = 0; c < 20; c++) {
      assertFalse(none.aborts(c));
      assertSame(none.clientApp(0), none.clientApp(c), "scripts stay shared");
    }
  }

  @Test
  void loadedFromYaml() throws Exception {
    Scenario sc = ScenarioLoader.loadString("""
        name: arrivals
        seed: 3
        hosts: [{name: c}, {name: s}]
        listeners: [{host: s, port: 80}]
        clients:
          - {name: p, from: c, to: s:80, count: 50, start: 1s,
             arrival: {process: poisson, rate: 2.5/ms}}
          - {name: r, from: c, to: s:80, count: 50, abort: 5%,
             arrival: {process: ramp, from: 10/s, to: 100/min, over: 10s}}
        """, "t.yaml");
    ClientGroup p = sc.groups().get(0);
    assertEquals(ArrivalProcess.poisson(2500), p.arrival());
    ClientGroup r = sc.groups().get(1);
    assertEquals(ArrivalProcess.Kind.RAMP, r.arrival().kind());
    assertEquals(10, r.arrival().rate(), 1e-12);
    assertEquals(100 / 60.0, r.arrival().to(), 1e-12);
    assertEquals(10 * S, r.arrival().over());
    assertEquals(0.05, r.abort(), 1e-12);
    Workload w = new Workload(sc);
    assertEquals(1 * S, w.startAt(0));
    assertNotEquals(w.startAt(1), w.startAt(2));
  }
}
