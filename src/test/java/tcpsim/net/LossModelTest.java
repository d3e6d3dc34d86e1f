package tcpsim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tcpsim.net.Segments.MS;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.Segment;

class LossModelTest {
  private static final int N = 100_000;

  /** The emit indices of the dropped segments of a run, and the drop events. */
  record Drops(Set<Integer> indices, List<TraceEvent> events) {}

  private static Drops run(NetworkModel net, List<Segment> segments) {
    List<Arrival> arrivals = new ArrayList<>();
    List<TraceEvent> trace = new ArrayList<>();
    net.transmit(segments, arrivals, trace);
    Set<Integer> indices = new HashSet<>();
    for (TraceEvent e : trace) {
      assertEquals(TraceEvent.Kind.DROP, e.kind());
      indices.add(e.index());
    }
    assertEquals(segments.size(), arrivals.size() + trace.size());
    return new Drops(indices, trace);
  }

  /** Lengths of the runs of consecutive lost segments among indices 0..n-1. */
  private static List<Integer> bursts(Set<Integer> lost, int n) {
    List<Integer> out = new ArrayList<>();
    int run = 0;
    for (int i = 0; i < n; i++) {
      if (lost.contains(i)) {
        run++;
      } else if (run > 0) {
        out.add(run);
        run = 0;
      }
    }
    if (run > 0) out.add(run);
    return out;
  }

  private static double mean(List<Integer> xs) {
    return xs.stream().mapToInt(Integer::intValue).average().orElse(0);
  }

  @Test
  void bernoulliLosesItsShareIndependently() {
    NetworkModel net = new NetworkModel(99, LinkConfig.ideal(MS).withLoss(LossModel.bernoulli(0.05)));
    Drops d = run(net, Segments.flow(0, 1, 1, N, 1000, 100));
    // Binomial(100000, 0.05): mean 5000, sigma 68.9; allow 5 sigma (a rate within ±0.35%).
    assertEquals(5000, d.indices().size(), 5 * Math.sqrt(N * 0.05 * 0.95));
    for (TraceEvent e : d.events()) {
      assertEquals(DropReason.LOSS, e.reason());
      assertEquals(1, e.sub());
      assertEquals(e.index() * 1000L, e.t(), "a drop is traced at the send time");
      assertEquals(1, e.origin());
    }
    // Independent losses: a run continues with probability p, so the mean run is 1/(1-p).
    assertEquals(1 / 0.95, mean(bursts(d.indices(), N)), 0.02);
    assertEquals(5000, net.stats().dropped(DropReason.LOSS), 350);
  }

  @Test
  void noLossLosesNothing() {
    NetworkModel net = new NetworkModel(1, LinkConfig.ideal(MS));
    assertTrue(run(net, Segments.flow(0, 1, 1, 1000, 1000, 100)).indices().isEmpty());
    NetworkModel all = new NetworkModel(1, LinkConfig.ideal(MS).withLoss(LossModel.bernoulli(1)));
    assertEquals(1000, run(all, Segments.flow(0, 1, 1, 1000, 1000, 100)).indices().size());
  }

  @Test
  void gilbertElliottLosesInBurstsOfTheExpectedLength() {
    double pGoodToBad = 0.01;
    double pBadToGood = 0.25;
    LossModel.GilbertElliott ge =
        (LossModel.GilbertElliott) LossModel.gilbertElliott(pGoodToBad, pBadToGood, 0, 1);
    NetworkModel net = new NetworkModel(5, LinkConfig.ideal(MS).withLoss(ge));
    int n = 200_000;
    Drops d = run(net, Segments.flow(0, 1, 1, n, 1000, 100));

    for (TraceEvent e : d.events()) assertEquals(DropReason.BURST_LOSS, e.reason());
    List<Integer> bursts = bursts(d.indices(), n);
    // Bad runs are geometric with mean 1/pBadToGood = 4 (sd 3.46); about 1900 of them, so the
    // sigma of their mean is 0.08. Allow 5 sigma.
    assertEquals(ge.meanBadRun(), mean(bursts), 0.4);
    assertTrue(bursts.stream().anyMatch(b -> b >= 10), "no long burst at all");
    // Long-run loss rate: pGoodToBad / (pGoodToBad + pBadToGood) = 3.85%.
    assertEquals(ge.meanLossRate(), d.indices().size() / (double) n, 0.005);
  }

  @Test
  void gilbertElliottNamesGoodStateLossesPlainLoss() {
    NetworkModel net = new NetworkModel(6, LinkConfig.ideal(MS)
        .withLoss(LossModel.gilbertElliott(0.02, 0.5, 0.03, 0.5)));
    Drops d = run(net, Segments.flow(0, 1, 1, N, 1000, 100));
    long loss = d.events().stream().filter(e -> e.reason() == DropReason.LOSS).count();
    long burst = d.events().stream().filter(e -> e.reason() == DropReason.BURST_LOSS).count();
    // Good share 0.5/0.52 = 96.2% at 3% loss; Bad share 3.8% at 50% loss.
    assertEquals(N * (0.5 / 0.52) * 0.03, loss, 250);
    assertEquals(N * (0.02 / 0.52) * 0.5, burst, 250);
    assertEquals(loss, net.stats().dropped(DropReason.LOSS));
    assertEquals(burst, net.stats().dropped(DropReason.BURST_LOSS));
  }

  /** The chain is per flow direction: other flows' segments do not advance it. */
  @Test
  void gilbertElliottStateIsPerFlow() {
    LinkConfig link = LinkConfig.ideal(MS).withLoss(LossModel.gilbertElliott(0.05, 0.2, 0, 1));
    List<Segment> alone = Segments.flow(0, 1, 1, 5000, 1000, 100);
    Drops aloneDrops = run(new NetworkModel(3, link), alone);

    List<Segment> mixed = new ArrayList<>(alone);
    // Another flow on the same hosts (other port), the reverse direction, another host pair.
    for (int i = 0; i < 5000; i++) {
      Segment s = Segments.data(0, 1, 2, i, i * 1000L, 100);
      mixed.add(new Segment(0, 1001, 1, 80, 0, 0, 0, 0, 100, false, 2, 2, i, i * 1000L));
      mixed.add(Segments.data(1, 0, 3, i, i * 1000L, 100));
      mixed.add(Segments.data(2, 1, 4, i, i * 1000L, 100));
      assertEquals(s.sentAt(), i * 1000L);
    }
    List<TraceEvent> mixedFlow1 = new ArrayList<>();
    for (TraceEvent e : run(new NetworkModel(3, link), mixed).events())
      if (e.origin() == 1) mixedFlow1.add(e);
    assertEquals(aloneDrops.events(), mixedFlow1);
  }
}
