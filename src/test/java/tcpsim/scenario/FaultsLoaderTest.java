package tcpsim.scenario;

import static tcpsim.scenario.LoaderErrors.assertError;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.net.Fault;
import tcpsim.net.FaultSchedule;

/** The {@code faults:} section: every kind, every target form, and every bad input's message. */
class FaultsLoaderTest {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  /** Hosts client (0), server (1) and spare (2); the faults list starts on line 7. */
  static final String BASE = """
      name: f
      hosts:
        - name: client
        - name: server
        - name: spare
      faults:
      """;

  static Scenario load(String faults) throws ScenarioException {
    return ScenarioLoader.loadString(BASE + faults, "t.yaml");
  }

  static ScenarioException fail(String faults) {
    return assertThrows(ScenarioException.class, () -> load(faults));
  }


  @Test
  void everyKindAndEveryTargetForm() throws Exception {
    Scenario sc = load("""
          - { kind: partition, at: 1s, for: 2s, target: { between: [client, server] } }
          - { kind: blackhole, at: 1s, until: 2s, target: { from: server, to: client } }
          - { kind: loss, at: 0, for: 1s, target: all, loss: 30% }
          - { kind: latency, at: 1s, for: 1s, target: { host: server }, latency: 200ms }
          - { kind: jitter, at: 1s, for: 1s, target: all, jitter: 50ms }
          - { kind: duplicate, at: 1s, for: 1s, target: all, duplicate: 10% }
          - { kind: reorder, at: 1s, for: 1s, target: all, reorder: 20% }
          - { kind: reorder, at: 1s, for: 1s, target: all, reorder: 20%, reorderDelay: 30ms }
          - { kind: corrupt, at: 1s, for: 1s, target: all, corrupt: 1% }
          - { kind: bandwidth, at: 1s, for: 1s, target: all, bandwidth: 1Mbit/s }
          - { kind: bandwidth, at: 1s, for: 1s, target: all, bandwidth: 1Mbit/s, queue: 8KiB }
          - { kind: reset, at: 3s, target: { between: [client, server] } }
          - { kind: reset, at: 4s, target: { from: client, to: server }, seq: in-window }
          - { kind: crash, at: 5s, for: 10s, target: { host: server } }
          - { kind: crash, at: 15s, until: 20s, target: { host: server } }
        """);
    Fault.Target all = new Fault.All();
    assertEquals(List.of(
        new Fault(1 * S, 3 * S, new Fault.Between(0, 1), new Fault.Partition()),
        new Fault(1 * S, 2 * S, new Fault.FromTo(1, 0), new Fault.Blackhole()),
        new Fault(0, 1 * S, all, new Fault.Loss(0.3)),
        new Fault(1 * S, 2 * S, new Fault.Host(1), new Fault.Latency(200 * MS)),
        new Fault(1 * S, 2 * S, all, new Fault.Jitter(50 * MS)),
        new Fault(1 * S, 2 * S, all, new Fault.Duplicate(0.1)),
        new Fault(1 * S, 2 * S, all, new Fault.Reorder(0.2, 5 * MS)),
        new Fault(1 * S, 2 * S, all, new Fault.Reorder(0.2, 30 * MS)),
        new Fault(1 * S, 2 * S, all, new Fault.Corrupt(0.01)),
        new Fault(1 * S, 2 * S, all, new Fault.Bandwidth(1_000_000, Fault.Bandwidth.LINK_QUEUE)),
        new Fault(1 * S, 2 * S, all, new Fault.Bandwidth(1_000_000, 8192)),
        new Fault(3 * S, 3 * S, new Fault.Between(0, 1), new Fault.Reset(Fault.ResetSeq.EXACT)),
        new Fault(4 * S, 4 * S, new Fault.FromTo(0, 1),
            new Fault.Reset(Fault.ResetSeq.IN_WINDOW)),
        new Fault(5 * S, 15 * S, new Fault.Host(1), new Fault.Crash()),
        new Fault(15 * S, 20 * S, new Fault.Host(1), new Fault.Crash())), sc.faults());
    FaultSchedule schedule = sc.faultSchedule();
    assertEquals(List.of(new FaultSchedule.Interval(5 * S, 15 * S),
        new FaultSchedule.Interval(15 * S, 20 * S)), schedule.crashesOf(1));
    assertEquals(List.of(3 * S, 4 * S),
        java.util.Arrays.stream(schedule.wakeTimes()).boxed().toList());
    assertEquals(sc.faults(), sc.renamed("other", 9).faults());
  }

  @Test
  void noFaultsKey_orAnEmptyOne_meansNone() throws Exception {
    assertEquals(List.of(), load("").faults());
    assertEquals(List.of(), ScenarioLoader.loadString("name: f\nhosts: [{name: a}]\n", "t.yaml")
        .faults());
    assertTrue(ScenarioLoader.loadString("name: f\nhosts: [{name: a}]\n", "t.yaml")
        .faultSchedule().isEmpty());
  }

  // --- errors: file, line, column, key path ----------------------------------------------------

  @Test
  void unknownKey_suggestsTheNearOne() {
    assertError(fail("""
          - kind: loss
            at: 1s
            for: 1s
            target: all
            los: 5%
        """), 11, 5, "faults[0].los", "unknown key (did you mean 'loss'?)");
  }

  @Test
  void anotherKindsKey_isUnknown_andTheAllowedKeysAreListed() {
    assertError(fail("""
          - kind: loss
            at: 1s
            for: 1s
            target: all
            latency: 5ms
        """), 11, 5, "faults[0].latency",
        "unknown key (allowed here: kind, at, for, until, target, loss)");
  }

  @Test
  void misspeltKind_key() {
    assertError(fail("  - { kidn: loss, at: 1s }\n"), 7, 7, "faults[0].kidn",
        "unknown key (did you mean 'kind'?)");
  }

  @Test
  void wrongKind_listsTheKinds() {
    assertError(fail("""
          - kind: partiton
            at: 1s
        """), 7, 11, "faults[0].kind", "must be one of partition, blackhole, loss, latency,"
        + " jitter, duplicate, reorder, corrupt, bandwidth, reset, crash, filter (did you mean"
        + " 'partition'?), got \"partiton\"");
  }

  @Test
  void missingAt() {
    assertError(fail("""
          - kind: partition
            for: 1s
            target: all
        """), 7, 5, "faults[0].at", "required key is missing");
  }

  @Test
  void bothForAndUntil() {
    assertError(fail("""
          - kind: partition
            at: 1s
            for: 1s
            until: 2s
            target: all
        """), 10, 12, "faults[0].until", "'for' and 'until' exclude each other");
  }

  @Test
  void neitherForNorUntil() {
    assertError(fail("""
          - kind: partition
            at: 1s
            target: all
        """), 7, 5, "faults[0]", "a partition fault needs 'for' (how long it lasts) or 'until'");
  }

  @Test
  void untilNotAfterAt() {
    assertError(fail("""
          - kind: partition
            at: 2s
            until: 2s
            target: all
        """), 9, 12, "faults[0].until", "must be later than 'at' (2s), got \"2s\"");
    assertError(fail("""
          - kind: partition
            at: 2s
            for: 0s
            target: all
        """), 9, 10, "faults[0].for", "must be a duration greater than 0");
  }

  @Test
  void unknownHost_inTheTarget() {
    assertError(fail("""
          - kind: partition
            at: 1s
            for: 1s
            target: { between: [client, sever] }
        """), 10, 33, "faults[0].target.between[1]",
        "unknown host \"sever\" (did you mean 'server'?)");
    assertError(fail("""
          - kind: crash
            at: 1s
            for: 1s
            target: { host: nobody }
        """), 10, 21, "faults[0].target.host",
        "unknown host \"nobody\" (hosts: client, server, spare)");
  }

  @Test
  void crashWithoutAHostTarget() {
    assertError(fail("""
          - kind: crash
            at: 1s
            for: 1s
            target: { between: [client, server] }
        """), 10, 13, "faults[0].target", "a crash needs a {host: X} target");
    assertError(fail("""
          - kind: crash
            at: 1s
            for: 1s
            target: all
        """), 10, 13, "faults[0].target", "a crash needs a {host: X} target");
  }

  @Test
  void overlappingCrashesOfOneHost() {
    assertError(fail("""
          - { kind: crash, at: 1s, for: 10s, target: { host: server } }
          - { kind: crash, at: 5s, for: 1s, target: { host: client } }
          - { kind: crash, at: 10s, for: 1s, target: { host: server } }
        """), 9, 24, "faults[2].at", "this crash of host \"server\" [10s, 11s) overlaps its crash"
        + " at line 7 [1s, 11s): a host that is down cannot crash again");
  }

  @Test
  void blackholeNeedsOneDirection_partitionNeedsBoth() {
    assertError(fail("""
          - { kind: blackhole, at: 1s, for: 1s, target: all }
        """), 7, 49, "faults[0].target", "a blackhole drops one direction");
    assertError(fail("""
          - { kind: partition, at: 1s, for: 1s, target: { from: client, to: server } }
        """), 7, 49, "faults[0].target", "a partition cuts both directions");
  }

  @Test
  void aResetActsAtOneInstant() {
    assertError(fail("""
          - { kind: reset, at: 1s, for: 1s, target: all }
        """), 7, 33, "faults[0].for", "a reset acts at one instant");
    assertError(fail("""
          - { kind: reset, at: 1s, target: all, seq: exactly }
        """), 7, 46, "faults[0].seq", "must be one of exact, in-window");
  }

  @Test
  void badTargets() {
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1%, target: everything }\n"),
        7, 54, "faults[0].target", "must be all, {host: X}, {between: [A, B]} or {from: A, to:"
            + " B}, got \"everything\"");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1%,"
        + " target: { host: client, between: [client, server] } }\n"),
        7, 54, "faults[0].target", "exactly one of 'host', 'between', or 'from' with 'to'");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1%, target: { between: [client] } }\n"),
        7, 65, "faults[0].target.between", "must be a list of two host names");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1%, target: { from: client } }\n"),
        7, 54, "faults[0].target.to", "required key is missing");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1%, target: { form: client } }\n"),
        7, 56, "faults[0].target.form", "unknown key (did you mean 'from'?)");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, loss: 1% }\n"),
        7, 5, "faults[0].target", "required key is missing");
  }

  @Test
  void aKindsOwnValue_isRequired_andChecked() {
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, target: all }\n"), 7, 5,
        "faults[0].loss", "required key is missing");
    assertError(fail("  - { kind: loss, at: 1s, for: 1s, target: all, loss: 150% }\n"), 7, 55,
        "faults[0].loss", "got \"150%\"");
    assertError(fail("  - { kind: latency, at: 1s, for: 1s, target: all, latency: 0 }\n"), 7,
        61, "faults[0].latency", "must be a duration greater than 0");
    assertError(fail("  - { kind: bandwidth, at: 1s, for: 1s, target: all, bandwidth: 0 }\n"), 7,
        65, "faults[0].bandwidth", "must be a bit rate greater than 0");
  }

  @Test
  void faultValues_canBeSwept() throws Exception {
    List<Variant> variants = ScenarioLoader.loadVariantsString(BASE + """
          - { kind: loss, at: 1s, for: 2s, target: all, loss: 10% }
          - { kind: partition, at: 1s, until: 2s, target: { host: server } }
        sweep:
          faults[0].loss: [10%, 50%]
          faults[1].until: [3s, 4s]
        """, "t.yaml");
    assertEquals(4, variants.size());
    assertEquals(new Fault.Loss(0.5), variants.get(2).scenario().faults().get(0).effect());
    assertEquals(4 * S, variants.get(3).scenario().faults().get(1).until());
    assertEquals("f--faults_0_.loss=50_--faults_1_.until=4s", variants.get(3).name());

    ScenarioException e = assertThrows(ScenarioException.class,
        () -> ScenarioLoader.loadVariantsString(BASE + """
              - { kind: loss, at: 1s, for: 2s, target: all, loss: 10% }
            sweep:
              faults[0].loss: [10%, 150%]
            """, "t.yaml"));
    assertError(e, 9, 25, "faults[0].loss", "got \"150%\"");
  }
}
