package tcpsim.engine;

import java.util.List;
import tcpsim.net.LinkConfig;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.scenario.Scenario.Closer;
import tcpsim.scenario.Scenario.HostSpec;
import tcpsim.scenario.Scenario.ListenerSpec;
import tcpsim.scenario.Scenario.NetworkSpec;
import tcpsim.tcp.TcpParams;

/** Small scenarios built in code, for engine tests. Host 0 is the client, host 1 the server. */
final class Scenarios {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  private Scenarios() {}

  static Scenario clientServer(String name, long seed, TcpParams tcp, LinkConfig link,
      ClientGroup group, boolean listen) {
    return new Scenario(name, seed, 3600 * S,
        List.of(new HostSpec("client", tcp), new HostSpec("server", tcp)),
        listen ? List.of(new ListenerSpec(1, 80)) : List.of(),
        List.of(group), new NetworkSpec(link, List.of()), null);
  }

  static ClientGroup oneConnection(long clientBytes, long serverBytes, Closer closer,
      long hold, long lastBytes, long lastDelay) {
    return new ClientGroup("g", List.of(0), 1, 80, 1, 0, 0, 0, clientBytes, serverBytes, closer,
        hold, lastBytes, lastDelay);
  }

  static TcpParams rfcWithMsl(long msl) {
    return TcpParams.rfc().withMsl(msl);
  }
}
