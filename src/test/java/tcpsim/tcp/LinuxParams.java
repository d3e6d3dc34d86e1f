package tcpsim.tcp;

import tcpsim.scenario.ScenarioException;
import tcpsim.scenario.ScenarioLoader;

/**
 * {@code profile: linux} parameters with some keys changed, written as a scenario's {@code tcp:}
 * mapping (e.g. {@code "sysctl: {tcp_syn_linear_timeouts: 0}"}): the loader builds them, so a
 * test does not depend on the shape of {@link LinuxKnobs}.
 */
final class LinuxParams {
  private LinuxParams() {}

  static TcpParams with(String tcpKeys) {
    try {
      return ScenarioLoader.loadString("name: p\ntcp: {profile: linux, " + tcpKeys + "}\n"
          + "hosts: [{name: a}]\n", "params.yaml").hosts().get(0).tcp();
    } catch (ScenarioException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }
}
