package tcpsim.scenario;

import static tcpsim.scenario.LoaderErrors.assertError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.net.LatencyModel;
import tcpsim.net.LinkConfig;
import tcpsim.net.LossModel;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.scenario.Scenario.Closer;
import tcpsim.scenario.Scenario.HostSpec;
import tcpsim.scenario.Scenario.ListenerSpec;
import tcpsim.scenario.Scenario.PairOverride;
import tcpsim.tcp.LinuxKnobs;
import tcpsim.tcp.TcpParams;

class ScenarioLoaderTest {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  private static final String FULL = """
      name: handshake
      seed: 42
      duration: 10m
      tcp:
        profile: linux
        mss: 1400
        rcvWindow: 32KiB
        rtoInitial: 2s
        rtoMin: 300ms
        rtoMax: 100s
        synRetries: 3
        synAckRetries: 2
        dataRetries: 8
        msl: 15s
        synBacklog: 256
        acceptBacklog: 1_000
      hosts:
        - name: client
        - name: client2
        - name: server
          tcp: { msl: 60s }
        - name: old
          tcp: { profile: rfc, synBacklog: 16 }
      listeners:
        - { host: server, port: 80 }
        - { host: old, port: 8080 }
      clients:
        - name: web
          from: client
          to: server:80
          count: 3
          start: 1s
          every: 10ms
          clientBytes: 100
          serverBytes: 1.5KiB
          close: server
          hold: 50ms
          lastBytes: 10
          lastDelay: 5ms
        - from: [client, client2]
          to: old:8080
          count: 4
          spread: 2s
          close: simultaneous
      network:
        latency: {distribution: normal, mean: 10ms, stddev: 2ms, min: 5ms}
        loss: 5%
        duplicate: 0.1%
        reorder: 1%
        reorderDelay: 3ms
        corrupt: 0.01
        bandwidth: 10Mbit/s
        queue: 32KiB
        links:
          - { from: client, to: server, both: true, latency: 50ms,
              loss: {model: gilbert-elliott, pGoodToBad: 1%, pBadToGood: 30%, lossBad: 50%} }
          - from: client2
            to: server
            latency: {distribution: pareto, min: 5ms, alpha: 2.5, cap: 1s}
            bandwidth: 0
      """;

  private static final String MINIMAL = """
      name: min
      hosts:
        - name: a
      """;

  // --- valid scenarios -----------------------------------------------------------------------

  @Test
  void fullScenarioRoundTrip() throws Exception {
    Scenario s = ScenarioLoader.loadString(FULL, "full.yaml");
    assertEquals("handshake", s.name());
    assertEquals(42, s.seed());
    assertEquals(10 * 60 * S, s.duration());
    assertEquals("full.yaml", s.file());

    TcpParams base = new TcpParams(1400, 32 * 1024, 2 * S, 300 * MS, 100 * S, 3, 2, 8, 15 * S,
        256, 1000, TcpParams.SynCookies.ON_OVERFLOW, LinuxKnobs.defaults()); // profile linux
    TcpParams old = new TcpParams(536, 65535, 1 * S, 1 * S, 60 * S, 6, 5, 15, 120 * S, 16, 128);
    assertEquals(List.of(
        new HostSpec("client", base),
        new HostSpec("client2", base),
        new HostSpec("server", base.withMsl(60 * S)),
        new HostSpec("old", old)), s.hosts());

    assertEquals(List.of(new ListenerSpec(2, 80), new ListenerSpec(3, 8080)), s.listeners());

    assertEquals(List.of(
        new ClientGroup("web", List.of(0), 2, 80, 3, 1 * S, 10 * MS, 0, 100, 1536,
            Closer.SERVER, 50 * MS, 10, 5 * MS),
        new ClientGroup("group2", List.of(0, 1), 3, 8080, 4, 0, 0, 2 * S, 0, 0,
            Closer.SIMULTANEOUS, 0, 0, 0)), s.groups());
    assertEquals(7, s.connectionCount());

    LinkConfig defaults = new LinkConfig(LatencyModel.normal(10 * MS, 2 * MS, 5 * MS),
        LossModel.bernoulli(0.05), 0.001, 0.01, 3 * MS, 0.01, 10_000_000, 32 * 1024);
    assertEquals(defaults, s.network().defaults());
    LinkConfig clientServer = defaults.withLatency(LatencyModel.constant(50 * MS))
        .withLoss(LossModel.gilbertElliott(0.01, 0.3, 0, 0.5));
    LinkConfig client2Server = defaults.withLatency(LatencyModel.pareto(5 * MS, 2.5, 1 * S))
        .withBandwidth(0, 32 * 1024);
    assertEquals(List.of(
        new PairOverride(0, 2, clientServer),
        new PairOverride(2, 0, clientServer),
        new PairOverride(1, 2, client2Server)), s.network().overrides());
  }

  @Test
  void defaultsOfAMinimalScenario() throws Exception {
    Scenario s = ScenarioLoader.loadString(MINIMAL, "min.yaml");
    assertEquals(1, s.seed());
    assertEquals(3600 * S, s.duration());
    assertEquals(List.of(new HostSpec("a", TcpParams.rfc())), s.hosts());
    assertEquals(List.of(), s.listeners());
    assertEquals(List.of(), s.groups());
    assertEquals(LinkConfig.ideal(10 * MS).withReorder(0, 5 * MS).withBandwidth(0, 64 * 1024),
        s.network().defaults());
    assertEquals(List.of(), s.network().overrides());
  }

  @Test
  void clientGroupDefaults() throws Exception {
    Scenario s = ScenarioLoader.loadString(MINIMAL + """
        clients:
          - {from: a, to: a:1}
        """, "t.yaml");
    assertEquals(List.of(new ClientGroup("group1", List.of(0), 0, 1, 1, 0, 0, 0, 0, 0,
        Closer.CLIENT, 0, 0, 0)), s.groups());
  }

  @Test
  void aGroupNetworkIsLaidOnTheNetworkDefaults() throws Exception {
    Scenario s = ScenarioLoader.loadString(MINIMAL + """
        clients:
          - {name: near, from: a, to: a:1}
          - {name: far, from: a, to: a:1, network: {latency: 80ms, loss: 2%}}
        network:
          loss: 1%
          duplicate: 0.5%
        """, "t.yaml");
    assertNull(s.network().groupLink(0));
    LinkConfig far = s.network().groupLink(1);
    assertEquals(LatencyModel.constant(80 * MS), far.latency());
    assertEquals(LossModel.bernoulli(0.02), far.loss());
    assertEquals(0.005, far.duplicateProbability()); // from the defaults

    assertError(LoaderErrors.loadFails(MINIMAL + """
        clients:
          - {from: a, to: a:1, network: {latency: 0ms}}
        """), 5, 43, "clients[0].network.latency", "must be greater than 0");
    assertError(LoaderErrors.loadFails(MINIMAL + """
        clients:
          - {from: a, to: a:1, network: {los: 1%}}
        """), 5, 34, "clients[0].network.los", "did you mean 'loss'");
  }

  @Test
  void linuxSysctls_setTheKnobs_andTheListenBacklogBoundsBothQueues() throws Exception {
    Scenario s = ScenarioLoader.loadString("""
        name: knobs
        tcp:
          profile: linux
          sysctl: {tcp_syn_linear_timeouts: 0, tcp_fin_timeout: 30s, tcp_syncookies: 0,
                   tcp_syn_retries: 3, tcp_rmem: [4096, 87380, 6MiB], tcp_reqsk_full: ge}
        hosts: [{name: a}]
        listeners: [{host: a, port: 80, backlog: 8}]
        """, "t.yaml");
    TcpParams p = s.hosts().get(0).tcp();
    assertEquals(0, p.linuxKnobs().synLinearTimeouts());
    assertEquals(30 * S, p.linuxKnobs().finTimeout());
    assertEquals(87380, p.linuxKnobs().rmemDefault());
    assertTrue(p.linuxKnobs().reqskFullAtBacklog());
    assertEquals(TcpParams.SynCookies.OFF, p.synCookies());
    assertEquals(3, p.synRetries());
    assertEquals(8, s.listeners().get(0).backlog());
    assertEquals(8, p.withListenBacklog(8).acceptBacklog());
    assertEquals(4096, p.withListenBacklog(100_000).synBacklog()); // clamped to somaxconn

    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {sysctl: {tcp_fin_timeout: 1s}}\n"), 4,
        15, "tcp.sysctl", "profile: linux only");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {profile: linux, synRetries: 2,"
        + " sysctl: {tcp_syn_retries: 3}}\n"), 4, 64, "tcp.sysctl.tcp_syn_retries",
        "the same knob");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {profile: linux, sysctl: {tcp_fin_timout:"
        + " 1s}}\n"), 4, 32, "tcp.sysctl.tcp_fin_timout", "did you mean 'tcp_fin_timeout'");
  }

  @Test
  void latencyAndLossForms() throws Exception {
    Scenario s = ScenarioLoader.loadString(MINIMAL + """
        network:
          latency: {distribution: uniform, min: 5ms, max: 15ms}
          loss: {model: bernoulli, p: 0.02}
        """, "t.yaml");
    assertEquals(LatencyModel.uniform(5 * MS, 15 * MS), s.network().defaults().latency());
    assertEquals(LossModel.bernoulli(0.02), s.network().defaults().loss());

    s = ScenarioLoader.loadString(MINIMAL + """
        network:
          latency: {distribution: constant, value: 1ms}
          loss: 0
        """, "t.yaml");
    assertEquals(LatencyModel.constant(1 * MS), s.network().defaults().latency());
    assertEquals(LossModel.none(), s.network().defaults().loss());
  }

  @Test
  void emptyOptionalSectionsMeanNone() throws Exception {
    Scenario s = ScenarioLoader.loadString(MINIMAL + "listeners:\nclients:\ntcp:\n", "t.yaml");
    assertEquals(List.of(), s.listeners());
    assertEquals(List.of(), s.groups());
  }

  @Test
  void scalarAliasesAreFine() throws Exception {
    Scenario s = ScenarioLoader.loadString("""
        name: a
        hosts: [{name: a}, {name: b}]
        network:
          latency: &wan 40ms
          links:
            - {from: a, to: b, latency: *wan}
        """, "t.yaml");
    assertEquals(LatencyModel.constant(40 * MS), s.network().overrides().get(0).link().latency());
  }

  @Test
  void loadsAFile(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("web.yaml");
    Files.writeString(f, FULL);
    Scenario s = ScenarioLoader.load(f);
    assertEquals(f.toString(), s.file());
    assertEquals("handshake", s.name());
  }

  /** The complete examples in the format reference must stay loadable. */
  @Test
  void examplesInTheDocsLoad() throws Exception {
    Path doc = Path.of("docs/scenarios.md");
    if (!Files.exists(doc)) return; // run from another directory
    String md = Files.readString(doc);
    int count = 0;
    for (String block : md.split("```yaml\n")) {
      int end = block.indexOf("```");
      if (end < 0 || !block.startsWith("name:")) continue;
      ScenarioLoader.loadString(block.substring(0, end), "docs/scenarios.md#" + count);
      count++;
    }
    assertTrue(count > 0, "docs/scenarios.md should hold at least one complete example");
  }

  // --- errors: every one names file, line, column and key --------------------------------------

  @Test
  void wrongTypeHasTheDocumentedFormat() {
    ScenarioException e = LoaderErrors.loadFails(MINIMAL + """
        clients:
          - from: a
            to: a:80
            count: abc
        """);
    assertEquals("t.yaml:7:12: key 'clients[0].count': must be an integer >= 1, got \"abc\"",
        e.getMessage());
    assertEquals("t.yaml", e.getFile());
    assertEquals(7, e.getLine());
    assertEquals(12, e.getColumn());
    assertEquals("clients[0].count", e.getKeyPath());
  }

  @Test
  void wrongTypeMappingExpected() {
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: fast\n"), 4, 6, "tcp", "must be a mapping (key: value lines), got \"fast\"");
    assertError(LoaderErrors.loadFails(MINIMAL + "seed: [1]\n"), 4, 7, "seed", "must be an integer, got a list");
    assertError(LoaderErrors.loadFails(MINIMAL + "seed:\n"), 4, 6, "seed", "got null");
  }

  @Test
  void unknownKeyWithSuggestion() {
    assertError(LoaderErrors.loadFails(MINIMAL + "clinets: []\n"), 4, 1, "clinets",
        "unknown key (did you mean 'clients'?)");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp:\n  mms: 1000\n"), 5, 3, "tcp.mms",
        "unknown key (did you mean 'mss'?)");
    assertError(LoaderErrors.loadFails(MINIMAL + "network: {lose: 1%}\n"), 4, 11, "network.lose",
        "unknown key (did you mean 'loss'?)");
  }

  @Test
  void unknownKeyWithoutSuggestionListsTheKnownOnes() {
    ScenarioException e = LoaderErrors.loadFails(MINIMAL + "colour: blue\n");
    assertError(e, 4, 1, "colour", "unknown key (allowed here: ");
    assertTrue(e.getMessage().contains("listeners"), e.getMessage());
  }

  @Test
  void misspeltRequiredKeyIsReportedAsUnknown() {
    assertError(LoaderErrors.loadFails("nmae: x\nhosts: [{name: a}]\n"), 1, 1, "nmae",
        "unknown key (did you mean 'name'?)");
  }

  @Test
  void outOfRange() {
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {mss: 70000}\n"), 4, 12, "tcp.mss",
        "must be an integer in 1..65495, got \"70000\"");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {rcvWindow: 64KiB}\n"), 4, 18, "tcp.rcvWindow",
        "must be a size in 1..65535 bytes, got \"64KiB\" (65536 bytes)");
    assertError(LoaderErrors.loadFails(MINIMAL + "listeners: [{host: a, port: 0}]\n"), 4, 29, "listeners[0].port",
        "must be an integer in 1..65535");
    assertError(LoaderErrors.loadFails(MINIMAL + "duration: 0s\n"), 4, 11, "duration",
        "must be a duration greater than 0, got \"0s\"");
    assertError(LoaderErrors.loadFails(MINIMAL + "network: {loss: 150%}\n"), 4, 17, "network.loss",
        "at most 1 or 100%");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {synRetries: 51}\n"), 4, 19, "tcp.synRetries",
        "must be an integer in 0..50");
  }

  @Test
  void badEnumValueSuggests() {
    assertError(LoaderErrors.loadFails("name: x\nhosts: [{name: a, tcp: {profile: linx}}]\n"), 2, 34,
        "hosts[0].tcp.profile", "must be one of rfc, linux (did you mean 'linux'?), got \"linx\"");
  }

  @Test
  void inconsistentRtoBounds() {
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp:\n  rtoMax: 100ms\n"), 5, 3, "tcp",
        "need rtoMin <= rtoInitial <= rtoMax, got rtoMin 1s, rtoInitial 1s, rtoMax 100ms");
  }

  @Test
  void missingRequiredKey() {
    assertError(LoaderErrors.loadFails("name: x\n"), 1, 1, "hosts", "required key is missing");
    assertError(LoaderErrors.loadFails("name: x\nhosts:\n  - name: a\n  - tcp: {msl: 1s}\n"), 4, 5,
        "hosts[1].name", "required key is missing");
    assertError(LoaderErrors.loadFails(MINIMAL + "clients:\n  - from: a\n"), 5, 5, "clients[0].to",
        "required key is missing");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distribution: uniform, max: 1ms}\n"),
        5, 12, "network.latency.min", "required key is missing");
  }

  @Test
  void aMissingKeyIsNotTakenForAMisspeltOne() {
    // "port" is two edits from "host": it must not be "suggested" for the missing host.
    assertError(LoaderErrors.loadFails(MINIMAL + "listeners: [{port: 80}]\n"), 4, 13, "listeners[0].host",
        "required key is missing");
    assertError(LoaderErrors.loadFails(MINIMAL + "listeners: [{hots: a, port: 80}]\n"), 4, 14, "listeners[0].hots",
        "unknown key (did you mean 'host'?)");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distrbution: uniform, min: 1ms}\n"), 5, 13,
        "network.latency.distrbution", "unknown key (did you mean 'distribution'?)");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distribution: normal, men: 5ms, min: 1ms}\n"),
        5, 35, "network.latency.men", "unknown key (did you mean 'mean'?)");
  }

  @Test
  void emptyHostList() {
    assertError(LoaderErrors.loadFails("name: x\nhosts: []\n"), 2, 8, "hosts", "must be a non-empty list");
  }

  @Test
  void badName() {
    assertError(LoaderErrors.loadFails("name: my test\nhosts: [{name: a}]\n"), 1, 7, "name",
        "must be a name of letters, digits, '.', '_' or '-', got \"my test\"");
  }

  @Test
  void duplicateHost() {
    assertError(LoaderErrors.loadFails("name: x\nhosts:\n  - name: a\n  - name: b\n  - name: a\n"), 5, 11,
        "hosts[2].name", "duplicate host name \"a\" (first defined at line 3)");
  }

  @Test
  void duplicateListener() {
    assertError(LoaderErrors.loadFails(MINIMAL + "listeners:\n  - {host: a, port: 80}\n  - {host: a, port: 80}\n"),
        6, 5, "listeners[1]", "duplicate listener on a:80 (first defined at line 5)");
  }

  @Test
  void unknownHostReference() {
    String two = "name: x\nhosts: [{name: client}, {name: server}]\n";
    assertError(LoaderErrors.loadFails(two + "clients: [{from: clent, to: server:80}]\n"), 3, 18,
        "clients[0].from", "unknown host \"clent\" (did you mean 'client'?)");
    assertError(LoaderErrors.loadFails(two + "clients: [{from: [client, nobody], to: server:80}]\n"), 3, 27,
        "clients[0].from[1]", "unknown host \"nobody\" (hosts: client, server)");
    assertError(LoaderErrors.loadFails(two + "clients: [{from: client, to: srv:80}]\n"), 3, 30,
        "clients[0].to", "unknown host \"srv\"");
    assertError(LoaderErrors.loadFails(two + "listeners: [{host: sever, port: 80}]\n"), 3, 20,
        "listeners[0].host", "unknown host \"sever\" (did you mean 'server'?)");
    assertError(LoaderErrors.loadFails(two + "network:\n  links: [{from: client, to: x, latency: 1ms}]\n"), 4, 30,
        "network.links[0].to", "unknown host \"x\"");
  }

  @Test
  void badHostPort() {
    assertError(LoaderErrors.loadFails(MINIMAL + "clients: [{from: a, to: a}]\n"), 4, 25, "clients[0].to",
        "must be \"host:port\", such as server:80, got \"a\"");
    assertError(LoaderErrors.loadFails(MINIMAL + "clients: [{from: a, to: a:70000}]\n"), 4, 25, "clients[0].to",
        "port must be in 1..65535");
  }

  @Test
  void everyAndSpreadExcludeEachOther() {
    assertError(LoaderErrors.loadFails(MINIMAL + "clients:\n  - {from: a, to: a:80, every: 1s, spread: 2s}\n"),
        5, 44, "clients[0].spread", "'every' and 'spread' exclude each other");
  }

  @Test
  void arrivalExcludesEveryAndSpread() {
    assertError(LoaderErrors.loadFails(MINIMAL + "clients:\n  - {from: a, to: a:80, every: 1s,"
        + " arrival: {process: poisson, rate: 5/s}}\n"), 5, 32, "clients[0].every",
        "'every' and 'arrival' exclude each other");
    assertError(LoaderErrors.loadFails(MINIMAL + "clients:\n  - {from: a, to: a:80, spread: 1s,"
        + " arrival: {process: poisson, rate: 5/s}}\n"), 5, 33, "clients[0].spread",
        "'spread' and 'arrival' exclude each other");
  }

  @Test
  void badArrivals() {
    String head = MINIMAL + "clients:\n  - from: a\n    to: a:80\n    arrival: ";
    assertError(LoaderErrors.loadFails(head + "{process: poisson, rate: 0/s}\n"), 7, 39,
        "clients[0].arrival.rate", "must be a rate greater than 0");
    assertError(LoaderErrors.loadFails(head + "{process: poisson, rate: 500}\n"), 7, 39,
        "clients[0].arrival.rate", "a rate needs a unit");
    assertError(LoaderErrors.loadFails(head + "{process: poisson}\n"), 7, 14,
        "clients[0].arrival.rate", "required key is missing");
    assertError(LoaderErrors.loadFails(head + "{process: burst}\n"), 7, 24,
        "clients[0].arrival.process", "poisson");
    assertError(LoaderErrors.loadFails(head + "{process: ramp, from: 1/s, to: 5/s}\n"), 7, 14,
        "clients[0].arrival.over", "required key is missing");
    assertError(LoaderErrors.loadFails(head + "{process: ramp, from: 0/s, to: 5/s, over: 1s}\n"), 7, 36,
        "clients[0].arrival.from", "must be a rate greater than 0");
    assertError(LoaderErrors.loadFails(head + "{process: ramp, from: 1/s, to: 5/s, over: 0s}\n"), 7, 56,
        "clients[0].arrival.over", "greater than 0");
    assertError(LoaderErrors.loadFails(head + "{process: poisson, rate: 5/s, over: 1s}\n"), 7, 44,
        "clients[0].arrival.over", "unknown key");
    assertError(LoaderErrors.loadFails(head + "poisson\n"), 7, 14, "clients[0].arrival", "must be a mapping");
    assertError(LoaderErrors.loadFails(MINIMAL + "clients:\n  - {from: a, to: a:80, abort: 120%}\n"), 5, 32,
        "clients[0].abort", "at most 1");
  }

  @Test
  void zeroLatencyIsRejected() {
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: 0s\n"), 5, 12, "network.latency",
        "must be greater than 0: the smallest latency is the simulation's lookahead");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distribution: uniform, min: 0ms, max: 1ms}\n"),
        5, 41, "network.latency.min", "must be greater than 0");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distribution: constant, value: 0}\n"),
        5, 44, "network.latency.value", "must be greater than 0");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: -1ms\n"), 5, 12, "network.latency",
        "must not be negative, got \"-1ms\"");
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: 10\n"), 5, 12, "network.latency",
        "only 0 may be written without unit");
  }

  @Test
  void latencyBoundsMustBeOrdered() {
    assertError(LoaderErrors.loadFails(MINIMAL + "network:\n  latency: {distribution: uniform, min: 5ms, max: 1ms}\n"),
        5, 51, "network.latency.max", "must be >= min (5ms), got \"1ms\"");
  }

  @Test
  void documentThatIsNotAMapping() {
    assertError(LoaderErrors.loadFails("- a\n- b\n"), 1, 1, null,
        "the document must be a mapping (key: value lines, at least 'name' and 'hosts'),"
            + " got a list");
    assertError(LoaderErrors.loadFails("\n\nhello\n"), 3, 1, null, "got \"hello\"");
    assertError(LoaderErrors.loadFails("# only a comment\n"), 1, 1, null, "holds no YAML document");
  }

  @Test
  void yamlSyntaxError() {
    ScenarioException e = LoaderErrors.loadFails("name: x\nhosts: [{name: a}\nseed: 1\n");
    assertError(e, 3, 1, null,
        "YAML syntax error: while parsing a flow sequence (line 2, column 8): expected ',' or"
            + " ']', but got <scalar>");
    assertInstanceOf(org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException.class,
        e.getCause());
    assertError(LoaderErrors.loadFails("name: x\n\thosts: []\n"), 2, 1, null, "YAML syntax error");
    assertError(LoaderErrors.loadFails("name: *nowhere\n"), 1, 7, null, "YAML syntax error");
  }

  @Test
  void multipleDocumentsAreAnError() {
    assertError(LoaderErrors.loadFails("name: x\n---\nname: y\n"), 2, 1, null, "YAML syntax error");
  }

  @Test
  void duplicateYamlKey() {
    assertError(LoaderErrors.loadFails("name: x\nhosts: [{name: a}]\nname: y\n"), 3, 1, "name",
        "duplicate key (first given at line 1)");
    assertError(LoaderErrors.loadFails(MINIMAL + "tcp: {mss: 1000, mss: 1200}\n"), 4, 18, "tcp.mss",
        "duplicate key (first given at line 4)");
  }

  @Test
  void nonScalarKey() {
    assertError(LoaderErrors.loadFails(MINIMAL + "? [a]\n: b\n"), 4, 3, null, "keys must be plain words");
  }

  @Test
  void billionLaughsIsRejected_beforeAnyExpansion() {
    StringBuilder y = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char p = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 9; i++) y.append(i == 0 ? "" : ",").append('*').append(p);
      y.append("]\n");
    }
    // The limit is checked on parser events, before composing: the error names the 21st alias.
    ScenarioException e = LoaderErrors.loadFails(y.toString());
    assertError(e, 4, 14, null, "too many aliases of lists or mappings (more than 20)");
  }

  @Test
  void recursiveAliasIsRejected() {
    assertError(LoaderErrors.loadFails("name: x\nhosts: &h [*h]\n"), 2, 12, null, "recursive alias *h");
  }

  @Test
  void deepNestingIsRejected() {
    String deep = "name: x\nhosts: " + "[".repeat(100_000) + "\n";
    ScenarioException e = LoaderErrors.loadFails(deep); // rejected at level 33, long before the stack runs out
    assertError(e, 2, 39, null, "nesting too deep (more than 32 levels)");
  }

  @Test
  void hugeInputIsRejected() {
    String huge = "name: x\n#" + "x".repeat(SafeYaml.MAX_CODE_POINTS) + "\n";
    assertError(LoaderErrors.loadFails(huge), 0, 0, null, "file too large");
    assertFalse(LoaderErrors.loadFails(huge).getMessage().contains(":0:"), "no fake position in the message");
  }

  @Test
  void missingFile(@TempDir Path dir) {
    Path f = dir.resolve("nope.yaml");
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(f));
    assertEquals(f + ": no such file", e.getMessage());
    assertNull(e.getKeyPath());
  }

  @Test
  void invalidUtf8(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("bad.yaml");
    byte[] head = "name: x\nhosts: [{name: a".getBytes(StandardCharsets.UTF_8);
    byte[] bytes = new byte[head.length + 3];
    System.arraycopy(head, 0, bytes, 0, head.length);
    bytes[head.length] = (byte) 0xC3; // a lone lead byte
    bytes[head.length + 1] = '}';
    bytes[head.length + 2] = ']';
    Files.write(f, bytes);
    ScenarioException e = assertThrows(ScenarioException.class, () -> ScenarioLoader.load(f));
    assertEquals(2, e.getLine());
    assertTrue(e.getMessage().contains("not valid UTF-8"), e.getMessage());
  }
}
