package tcpsim.engine;

import org.junit.jupiter.api.Test;
import tcpsim.net.LinkConfig;
import tcpsim.report.TraceFormatter;
import tcpsim.scenario.Scenario;

class SmokeTest {
  @Test
  void prints() {
    Scenario sc = Scenarios.clientServer("h", 1, Scenarios.rfcWithMsl(30 * Scenarios.S),
        LinkConfig.ideal(10 * Scenarios.MS),
        Scenarios.oneConnection(100, 300, Scenario.Closer.CLIENT, 0, 50, 20 * Scenarios.MS), true);
    TraceFormatter f = new TraceFormatter(java.util.List.of("client", "server"));
    RunResult r = Simulation.run(sc, e -> System.out.println(f.text(e)));
    System.out.println(r);
    System.out.println(r.stats().outcomes());
  }
}
