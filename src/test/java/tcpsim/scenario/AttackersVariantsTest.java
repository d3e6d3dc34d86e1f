package tcpsim.scenario;

import static tcpsim.scenario.LoaderErrors.assertError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tcpsim.scenario.Scenario.Attacker;
import tcpsim.scenario.Scenario.FloodSource;
import tcpsim.tcp.TcpParams;

/** {@code attackers:}, {@code variants:} and expectations on groups, listeners, attackers. */
class AttackersVariantsTest {
  private static final long S = 1_000_000_000L;

  /** Lines 1..7; an attackers, variants or expect section is appended from line 8. */
  private static final String BASE = """
      name: flood
      seed: 3
      tcp: {profile: linux, synBacklog: 64}
      hosts: [{name: client}, {name: server}, {name: attacker}]
      listeners: [{host: server, port: 80}]
      clients: [{name: web, from: client, to: server:80, count: 10}]
      network: {latency: 10ms}
      """;

  private static final String ATTACK = BASE + """
      attackers:
        - {name: flood, from: attacker, to: server:80, rate: 250/s, start: 2s, for: 10s}
      """;

  @Test
  void anAttackerIsLoadedWithItsDefaults() throws Exception {
    Scenario s = ScenarioLoader.loadString(ATTACK, "t.yaml");
    assertEquals(List.of(new Attacker("flood", 2, 1, 80, 250, 2 * S, 10 * S,
        FloodSource.SPOOFED, 65536)), s.attackers());
    assertEquals(2500, s.attackSynCount());
    Scenario until = ScenarioLoader.loadString(BASE + """
        attackers:
          - {from: attacker, to: server:80, rate: 3/s, start: 1s, until: 2s, source: fixed}
        """, "t.yaml");
    Attacker a = until.attackers().get(0);
    assertEquals("attacker1", a.name());
    assertEquals(1 * S, a.duration());
    assertEquals(FloodSource.FIXED, a.source());
    assertEquals(3, a.synCount()); // at 1 s, 1.333 s, 1.667 s
  }

  @Test
  void synCountIsTheSynsThatStartBeforeTheEnd() {
    Attacker a = new Attacker("a", 0, 1, 80, 3, 0, S, FloodSource.SPOOFED, 1);
    assertEquals(3, a.synCount());
    assertEquals(666_666_666L, a.synOffset(2));
    Attacker b = new Attacker("b", 0, 1, 80, 1000, 0, 30 * S, FloodSource.SPOOFED, 1);
    assertEquals(30_000, b.synCount());
    Attacker c = new Attacker("c", 0, 1, 80, 0.5, 0, 3 * S, FloodSource.SPOOFED, 1);
    assertEquals(2, c.synCount()); // at 0 and 2 s
  }

  @Test
  void badAttackers() {
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 10/s}\n"),
        9, 5, "attackers[0]", "missing required key 'for'");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: atacker, to: server:80, rate: 1/s, for: 1s}\n"),
        9, 12, "attackers[0].from", "unknown host \"atacker\" (did you mean 'attacker'?)");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 1/s, for: 1s,"
        + " until: 3s}\n"), 9, 64, "attackers[0].until", "'for' and 'until' exclude each other");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 1/s,"
        + " start: 5s, until: 3s}\n"), 9, 66, "attackers[0].until", "must be after start (5s)");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 0/s, for: 1s}\n"),
        9, 43, "attackers[0].rate", "");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 1/s, for: 1s,"
        + " source: fixed, addresses: 5}\n"), 9, 83, "attackers[0].addresses",
        "only to source: spoofed");
    assertError(LoaderErrors.variantsFail(BASE + "attackers:\n  - {from: attacker, to: server:80, rate: 1/s, for: 1s,"
        + " sorce: fixed}\n"), 9, 57, "attackers[0].sorce", "did you mean 'source'");
  }

  @Test
  void expectationsOnGroupsListenersAndAttackers() throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(ATTACK + """
        expect:
          - groups.web.during.established >= 99%
          - listeners.server:80.synDropped == 0
          - attackers.flood.synsSent == 2500
          - groups.web.handshakeMs.p99 < 100
        """, "t.yaml");
    List<Expectation> ex = vs.get(0).expectations();
    Map<String, Object> during = new LinkedHashMap<>(Map.of("attempted", 200L,
        "established", 197L));
    Map<String, Object> web = new LinkedHashMap<>(Map.of("name", "web", "during", during,
        "handshakeMs", Map.of("p99", 12.5)));
    Map<String, Object> report = Map.of(
        "groups", List.of(Map.of("name", "other"), web),
        "listeners", List.of(Map.of("host", "server", "port", 80, "synDropped", 0L)),
        "attackers", List.of(Map.of("name", "flood", "synsSent", 2500L)));
    Expectation.Result r = ex.get(0).evaluate(report);
    assertFalse(r.passed(), r.message()); // 197 of 200 is 98.5%
    assertEquals("groups.web.during.established >= 99% (198 of 200): actual 197 (98.5%) — fail",
        r.message());
    for (int i = 1; i < 4; i++) assertTrue(ex.get(i).evaluate(report).passed(), ex.get(i).text());
  }

  @Test
  void anExpectationNamingAnUnknownGroupListenerOrAttacker() {
    assertError(LoaderErrors.variantsFail(ATTACK + "expect:\n  - groups.wbe.established > 0\n"), 11, 5, "expect",
        "no client group named 'wbe' (did you mean 'web'?)");
    assertError(LoaderErrors.variantsFail(ATTACK + "expect:\n  - listeners.server:8080.synDropped > 0\n"), 11, 5,
        "expect", "no listener (host:port) named 'server:8080'");
    assertError(LoaderErrors.variantsFail(BASE + "expect:\n  - attackers.flood.synsSent > 0\n"), 9, 5, "expect",
        "no attacker named 'flood' (the scenario has none)");
    assertError(LoaderErrors.variantsFail(ATTACK + "expect:\n  - groups.web.during.handshakeMs.p99 < 5%\n"), 11, 5,
        "expect[0]", "a percentage");
  }

  @Test
  void namedVariantsSetAnyValue_addMissingKeys_keepTheSeed_andAddTheirOwnChecks()
      throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(ATTACK + """
        expect: [connections.established >= 1]
        variants:
          - name: none
          - name: cookies
            set: {tcp.synCookies: always, tcp.synBacklog: 8}
            expect: [listeners.server:80.cookiesSent > 0]
        """, "t.yaml");
    assertEquals(List.of("flood--none", "flood--cookies"), vs.stream().map(Variant::name).toList());
    assertEquals("flood[variant=cookies]", vs.get(1).label());
    assertEquals(Map.of("variant", "none"), vs.get(0).sweepValues());
    for (Variant v : vs) assertEquals(3, v.scenario().seed());
    TcpParams none = vs.get(0).scenario().hosts().get(1).tcp();
    TcpParams cookies = vs.get(1).scenario().hosts().get(1).tcp();
    assertEquals(TcpParams.SynCookies.ON_OVERFLOW, none.synCookies());
    assertEquals(64, none.synBacklog());
    assertEquals(TcpParams.SynCookies.ALWAYS, cookies.synCookies());
    assertEquals(8, cookies.synBacklog());
    assertEquals(1, vs.get(0).expectations().size());
    assertEquals(2, vs.get(1).expectations().size());
  }

  @Test
  void namedVariantsWithASweep_pairTheSeedsAcrossVariants() throws Exception {
    List<Variant> vs = ScenarioLoader.loadVariantsString(ATTACK + """
        sweep:
          attackers[0].rate: [100/s, 1000/s]
        variants:
          - name: a
          - name: b
            set: {tcp.synBacklog: 128}
        """, "t.yaml");
    assertEquals(List.of("flood--a--attackers_0_.rate=100_s", "flood--a--attackers_0_.rate=1000_s",
        "flood--b--attackers_0_.rate=100_s", "flood--b--attackers_0_.rate=1000_s"),
        vs.stream().map(Variant::name).toList());
    assertEquals(vs.get(0).scenario().seed(), vs.get(2).scenario().seed());
    assertEquals(vs.get(1).scenario().seed(), vs.get(3).scenario().seed());
    assertTrue(vs.get(0).scenario().seed() != vs.get(1).scenario().seed());
  }

  @Test
  void badVariants() {
    assertError(LoaderErrors.variantsFail(BASE + "variants: []\n"), 8, 11, "variants", "non-empty list");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {set: {tcp.mss: 1000}}\n"), 9, 5,
        "variants[0].name", "required key is missing");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {name: a}\n  - {name: a}\n"), 10, 12,
        "variants[1].name", "duplicate variant name \"a\"");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {name: a, set: {tcp.msss: 1000}}\n"), 9, 12,
        "variants[0].name", "the variant a is invalid: ");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {name: a, set: {nmae.x: 1}}\n"), 9, 21,
        "variants.set.nmae.x", "no key 'nmae' at the top level (did you mean 'name'?)");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {name: a, set: {sweep: 1}}\n"), 9, 21,
        "variants.set.sweep", "cannot be set");
    assertError(LoaderErrors.variantsFail(BASE + "variants:\n  - {name: a, set: {tcp.synCookies: sometimes}}\n"),
        9, 12, "variants[0].name", "must be one of off, on-overflow, always");
  }
}
