package tcpsim.engine;

import tcpsim.net.NetworkModel;
import tcpsim.scenario.Scenario;

/** Builds a scenario's network model: its default link and the per-pair overrides. */
final class Networks {
  private Networks() {}

  static NetworkModel model(Scenario scenario) {
    NetworkModel.Builder b = NetworkModel.builder(scenario.seed(), scenario.network().defaults());
    for (Scenario.PairOverride o : scenario.network().overrides()) {
      b.link(o.srcHost(), o.dstHost(), o.link());
    }
    return b.build();
  }
}
