package tcpsim.scenario;

import static tcpsim.scenario.LoaderErrors.assertError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.tcp.AppScript;
import tcpsim.tcp.AppScript.Call;
import tcpsim.tcp.AppScript.Pause;
import tcpsim.tcp.AppScript.Read;
import tcpsim.tcp.AppScript.Until;
import tcpsim.tcp.AppScript.Write;
import tcpsim.workload.Workload;

/** {@code client:} and {@code server:} — applications written as steps. */
class AppStepsTest {
  private static final long MS = 1_000_000L;

  /** Lines 1..5; a clients section follows from line 6. */
  private static final String BASE = """
      name: steps
      hosts: [{name: client}, {name: server}]
      listeners: [{host: server, port: 80}]
      network: {latency: 1ms}
      clients:
      """;

  @Test
  void stepsAreLoaded_inOrder_withUnits() throws Exception {
    Scenario s = ScenarioLoader.loadString(BASE + """
          - from: client
            to: server:80
            count: 2
            every: 1s
            client: [{write: 1KiB}, {read: 100}, shutdown, {read: eof}, {pause: 5ms}, close]
            server: [{read: eof}, {until: 1100ms}, {write: 50}, abort]
        """, "t.yaml");
    Scenario.ClientGroup g = s.groups().get(0);
    assertEquals(List.of(new Write(1024), new Read(100), Call.SHUTDOWN, new Read(Read.EOF),
        new Pause(5 * MS), Call.CLOSE), g.clientSteps().steps());
    assertEquals(List.of(new Read(Read.EOF), new Until(1100 * MS), new Write(50), Call.ABORT),
        g.serverSteps().steps());
    // 'until' counts from each connection's connect: connection 1 connects at 1 s.
    Workload w = new Workload(s);
    assertEquals(new Until(1100 * MS), w.serverApp(0).steps().get(1));
    assertEquals(new Until(2100 * MS), w.serverApp(1).steps().get(1));
    assertTrue(w.clientApp(0) == w.clientApp(1), "a script without 'until' is shared");
  }

  @Test
  void theClassicKeysCompileToTheSameSteps() throws Exception {
    Scenario s = ScenarioLoader.loadString(BASE + """
          - {from: client, to: server:80, clientBytes: 100, serverBytes: 200, hold: 5ms,
             lastBytes: 7, lastDelay: 1ms}
        """, "t.yaml");
    assertNull(s.groups().get(0).clientSteps());
    Workload w = new Workload(s);
    assertEquals(List.of(new Write(100), new Read(200), new Pause(5 * MS), Call.CLOSE),
        w.clientApp(0).steps());
    assertEquals(List.of(new Read(100), new Write(200), new Read(Read.EOF), new Pause(MS),
        new Write(7), Call.CLOSE), w.serverApp(0).steps());
  }

  @Test
  void badSteps() {
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: [write], server: []}\n"),
        6, 44, "clients[0].client[0]", "must be one of shutdown, close, abort");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: [{wrte: 1}], server: []}\n"),
        6, 45, "clients[0].client[0].wrte", "did you mean 'write'");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: [{write: 1, read: 1}],"
        + " server: []}\n"), 6, 44, "clients[0].client[0]", "must be one step");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: [{read: 0}], server: []}\n"),
        6, 51, "clients[0].client[0].read", "");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: []}\n"), 6, 5,
        "clients[0].server", "required key is missing");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, clientBytes: 5, client: [],"
        + " server: []}\n"), 6, 48, "clients[0].clientBytes", "exclude each other");
    assertError(LoaderErrors.loadFails(BASE + "  - {from: client, to: server:80, client: {write: 1}, server: []}\n"),
        6, 43, "clients[0].client", "must be a list of steps");
  }
}
