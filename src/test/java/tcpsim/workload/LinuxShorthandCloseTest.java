package tcpsim.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.AppScript.Call;
import tcpsim.tcp.AppScript.Pause;
import tcpsim.tcp.AppScript.Read;
import tcpsim.tcp.AppScript.Step;
import tcpsim.tcp.AppScript.Write;

/**
 * The byte-count shorthand under {@code profile: linux}: an active closer whose peer answers
 * its FIN with {@code lastBytes} must still read them, so it calls shutdown(), not close()
 * (after close() Linux resets on data; docs/linux-profile.md §6).
 */
class LinuxShorthandCloseTest {
  private static final long MS = 1_000_000L;

  private static Workload workload(String profile, String group) throws Exception {
    return new Workload(ScenarioLoader.loadString("""
        name: shorthand
        tcp: {profile: %s}
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        network: {latency: 1ms}
        clients:
          - %s
        """.formatted(profile, group), "t.yaml"));
  }

  private static final String CLIENT_CLOSES = "{from: client, to: server:80, clientBytes: 100,"
      + " serverBytes: 200, hold: 5ms, lastBytes: 7, lastDelay: 1ms}";

  @Test
  void linux_clientCloserAnsweredWithLastBytes_shutsDown() throws Exception {
    Workload w = workload("linux", CLIENT_CLOSES);
    assertEquals(List.<Step>of(new Write(100), new Read(200), new Pause(5 * MS), Call.SHUTDOWN),
        w.clientApp(0).steps());
    assertEquals(Call.CLOSE, last(w.serverApp(0).steps()), "the passive closer still closes");
  }

  @Test
  void linux_serverCloserAnsweredWithLastBytes_shutsDown() throws Exception {
    Workload w = workload("linux", "{from: client, to: server:80, clientBytes: 100,"
        + " serverBytes: 200, close: server, lastBytes: 7}");
    assertEquals(Call.SHUTDOWN, last(w.serverApp(0).steps()));
    assertEquals(Call.CLOSE, last(w.clientApp(0).steps()));
  }

  @Test
  void linux_withoutLastBytes_theCloserCloses() throws Exception {
    Workload w = workload("linux", "{from: client, to: server:80, clientBytes: 100,"
        + " serverBytes: 200}");
    assertEquals(Call.CLOSE, last(w.clientApp(0).steps()));
  }

  @Test
  void rfc_theCloserCloses_asBefore() throws Exception {
    assertEquals(Call.CLOSE, last(workload("rfc", CLIENT_CLOSES).clientApp(0).steps()));
  }

  private static Step last(List<Step> steps) {
    return steps.get(steps.size() - 1);
  }
}
