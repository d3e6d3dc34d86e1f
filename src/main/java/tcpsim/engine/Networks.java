package tcpsim.engine;

import tcpsim.net.LinkConfig;
import tcpsim.net.NetworkModel;
import tcpsim.scenario.Scenario;

/**
 * Builds a scenario's network model: its default link, the per-pair and per-group overrides,
 * and the scheduled faults.
 */
final class Networks {
  private Networks() {}

  static NetworkModel model(Scenario scenario) {
    NetworkModel.Builder b = NetworkModel.builder(scenario.seed(), scenario.network().defaults())
        .faults(scenario.faultSchedule());
    for (Scenario.PairOverride o : scenario.network().overrides()) {
      b.link(o.srcHost(), o.dstHost(), o.link());
    }
    if (scenario.network().groupLinks().isEmpty()) return b.build();
    int groups = scenario.groups().size();
    int[] firstConn = new int[groups + 1];
    LinkConfig[] links = new LinkConfig[groups];
    int conn = 0;
    for (int g = 0; g < groups; g++) {
      firstConn[g] = conn; // connection ids are numbered in group order (see Workload)
      links[g] = scenario.network().groupLink(g);
      conn += scenario.groups().get(g).count();
    }
    firstConn[groups] = conn;
    return b.groupLinks(firstConn, links).build();
  }
}
