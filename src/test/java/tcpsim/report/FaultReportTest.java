package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tcpsim.cluster.ClusterSystem;
import tcpsim.engine.Simulation;
import tcpsim.net.FaultSchedule;
import tcpsim.scenario.Expectation;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.scenario.Variant;
import tcpsim.tcp.TcpState;

/**
 * What each scheduled fault did, end to end: the network's counters travel with the run's end
 * into report.json's {@code faults}, joined by what only the trace and the endpoints can tell
 * (drops at a crashed host, crashed endpoints, connections reset); every figure is checked
 * against a count made here from the trace. report.html shows a band per fault and the Faults
 * table; a page without faults shows neither.
 */
class FaultReportTest {
  static final long S = 1_000_000_000L;
  static final long MS = 1_000_000L;
  static final int CLIENT = 0;
  static final int SERVER = 1;
  static final int OTHER = 2;

  static ActorSystem<Void> system;

  /** One run: its result, whole trace, page, report.json and expectations' results. */
  record Run(RunResult result, List<TraceEvent> trace, String html, Map<String, Object> report,
      List<Expectation.Result> checks) {
    Map<?, ?> fault(int i) {
      return (Map<?, ?>) ((List<?>) report.get("faults")).get(i);
    }

    long figure(int fault, String key) {
      return ((Number) fault(fault).get(key)).longValue();
    }

    long drops(String reason) {
      return ((Number) ((Map<?, ?>) report.get("dropsByReason")).get(reason)).longValue();
    }

    long outcome(String outcome) {
      return ((Number) ((Map<?, ?>) report.get("outcomes")).get(outcome)).longValue();
    }
  }

  static Run run(String yaml) throws Exception {
    Variant v = ScenarioLoader.loadVariantsString(yaml, "faults-test.yaml").get(0);
    List<TraceEvent> trace = new ArrayList<>();
    TimelineSink timeline = TimelineSink.adaptive();
    SequenceSample sample = new SequenceSample();
    RunResult r = Simulation.run(system, v.scenario(), e -> {
      trace.add(e);
      timeline.accept(e);
      sample.accept(e);
    });
    Map<String, Object> report = ReportJson.build(r);
    List<Expectation.Result> checks = v.expectations().stream().map(x -> x.evaluate(report))
        .toList();
    return new Run(r, trace, HtmlReport.render(r, timeline, sample, List.of()), report, checks);
  }

  /**
   * Web connections client -> server every 100 ms; a side group client -> other, off the
   * partition's path. The partition between client and server lasts 500 ms to 1.5 s.
   */
  static Run partition;
  /** Connections kept open 2 s each; the server crashes at 500 ms and is back at 1.5 s. */
  static Run crash;
  /** Ten idle established connections; at 1 s a middlebox resets every client (exact). */
  static Run reset;

  @BeforeAll
  static void runAll() throws Exception {
    system = ClusterSystem.startSingleNode("tcpsim");
    partition = run("""
        name: partition
        seed: 5
        tcp: {profile: linux}
        hosts: [{name: client}, {name: server}, {name: other}]
        listeners: [{host: server, port: 80}, {host: other, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 20, every: 100ms,
             clientBytes: 2KiB, serverBytes: 8KiB, hold: 300ms}
          - {name: side, from: client, to: other:80, count: 10, every: 150ms,
             clientBytes: 1KiB, serverBytes: 1KiB}
        network: {latency: 10ms}
        faults:
          - {kind: partition, at: 500ms, until: 1500ms, target: {between: [client, server]}}
        expect:
          - faults.0.segmentsDropped > 0
          - faults.0.connectionsReset == 0
          - faults.0.segmentsMatched < 1
        """);
    crash = run("""
        name: crash
        seed: 8
        tcp: {profile: linux}
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 60, every: 17ms,
             clientBytes: 4KiB, serverBytes: 64KiB, close: server, hold: 2s}
        network: {latency: 10ms, bandwidth: 20Mbit/s}
        faults:
          - {kind: crash, at: 500ms, for: 1s, target: {host: server}}
        """);
    reset = run("""
        name: reset
        seed: 3
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 10, every: 10ms,
             clientBytes: 100, serverBytes: 300, hold: 5s}
        network: {latency: 10ms}
        faults:
          - {kind: reset, at: 1s, target: {from: server, to: client}, seq: exact}
        expect:
          - faults.0.connectionsReset == 10
          - faults.0.resetsInjected == 10
        """);
  }

  @AfterAll
  static void stop() {
    ClusterSystem.terminate(system);
  }

  /** Segments sent in [from, until) between hosts a and b, either way, counted from the trace. */
  static long sentBetween(Run r, int a, int b, long from, long until, boolean retransmitsOnly) {
    return r.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.SEND
        && e.t() >= from && e.t() < until
        && ((e.srcHost() == a && e.dstHost() == b) || (e.srcHost() == b && e.dstHost() == a))
        && (!retransmitsOnly || e.retransmit())).count();
  }

  @Test
  void partition_dropsEverySegmentSentOnItsPathDuringIt_andCountsTheRetransmissionsAfter() {
    long k = sentBetween(partition, CLIENT, SERVER, 500 * MS, 1500 * MS, false);
    assertTrue(k > 10, "traffic crossed the partition's path: " + k);
    assertEquals(k, partition.figure(0, "segmentsMatched"));
    assertEquals(k, partition.figure(0, "segmentsDropped"));
    assertEquals(k, partition.drops("partition"));
    // Nothing else happened to them.
    for (String key : List.of("segmentsDelayed", "segmentsDuplicated", "segmentsCorrupted",
        "resetsInjected", "connectionsReset", "connectionsTimedOut")) {
      assertEquals(0, partition.figure(0, key), key);
    }
    // TCP's retransmissions on the path, during the partition and in the second after it; the
    // side group's connections to "other" are on another path and count nowhere.
    long retx = sentBetween(partition, CLIENT, SERVER, 500 * MS, 2500 * MS, true);
    assertTrue(retx > 0);
    assertEquals(retx, partition.figure(0, "segmentsRetransmitted"));
    assertEquals(0, sentBetween(partition, CLIENT, OTHER, 0, Long.MAX_VALUE, true));

    Map<?, ?> f = partition.fault(0);
    assertEquals(List.of("index", "kind", "atNs", "untilNs", "target", "segmentsMatched",
        "segmentsDropped", "segmentsDelayed", "segmentsDuplicated", "segmentsCorrupted",
        "resetsInjected", "segmentsRetransmitted", "connectionsReset", "connectionsTimedOut"),
        List.copyOf(f.keySet()), "key order; no endpointsCrashed but for a crash");
    assertEquals(0, f.get("index"));
    assertEquals("partition", f.get("kind"));
    assertEquals(500 * MS, f.get("atNs"));
    assertEquals(1500 * MS, f.get("untilNs"));
    assertEquals("client<->server", f.get("target"));
  }

  @Test
  void crash_countsItsCrashedEndpoints_andTheSegmentsDroppedAtTheDownHost() {
    long at = 500 * MS;
    // The endpoints and half-open entries of the server that vanished at the crash: each
    // traces its state going to CLOSED at that instant.
    long vanished = crash.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.STATE
        && e.srcHost() == SERVER && e.t() == at && e.to() == TcpState.CLOSED).count();
    assertTrue(vanished > 5, "connections were open at the crash: " + vanished);
    assertEquals(vanished, crash.figure(0, "endpointsCrashed"));

    // The network drops what is sent to or from the server while it is down; the host drops
    // what was sent before the crash and arrives while it is down (traced at the arrival).
    long sentWhileDown = sentBetween(crash, CLIENT, SERVER, at, 1500 * MS, false);
    long atHost = crash.trace().stream().filter(e -> e.kind() == TraceEvent.Kind.DROP
        && e.reason() == DropReason.HOST_DOWN && e.dstHost() == SERVER
        && e.origin() == Long.MIN_VALUE + SERVER).count();
    assertTrue(atHost > 0, "segments in flight at the crash were dropped on arrival");
    assertEquals(sentWhileDown, crash.figure(0, "segmentsMatched"));
    assertEquals(sentWhileDown + atHost, crash.figure(0, "segmentsDropped"));
    assertEquals(crash.drops("host-down"), crash.figure(0, "segmentsDropped"));

    // Every client whose server vanished learns it when it next sends: reset by the restarted
    // host (or timed out). Nothing else resets or times out in this run.
    long reset = crash.figure(0, "connectionsReset");
    long timedOut = crash.figure(0, "connectionsTimedOut");
    assertTrue(reset > 0);
    assertEquals(crash.outcome("reset"), reset);
    assertEquals(crash.outcome("syn-timeout") + crash.outcome("synack-timeout")
        + crash.outcome("data-timeout"), timedOut);
    assertEquals("host server", crash.fault(0).get("target"));
  }

  @Test
  void exactReset_resetsEveryConnectionItHit() {
    // The RSTs the middlebox injected: sent at 1 s under the fault's own origin.
    long origin = FaultSchedule.injectionOrigin(0);
    List<TraceEvent> rsts = reset.trace().stream()
        .filter(e -> e.kind() == TraceEvent.Kind.SEND && e.origin() == origin).toList();
    Set<Integer> hit = new HashSet<>();
    for (TraceEvent e : rsts) {
      assertEquals(1 * S, e.t());
      assertEquals(SERVER, e.srcHost(), "pretending to be the server");
      hit.add(e.conn());
    }
    assertEquals(10, hit.size());
    assertEquals(rsts.size(), reset.figure(0, "resetsInjected"));
    assertEquals(hit.size(), reset.figure(0, "connectionsReset"));
    assertEquals(10, reset.outcome("reset"));
    assertEquals(0, reset.figure(0, "segmentsMatched"));
    assertEquals(0, reset.figure(0, "segmentsDropped"));
    Map<?, ?> f = reset.fault(0);
    assertEquals(f.get("atNs"), f.get("untilNs"));
    assertEquals("server->client", f.get("target"));
    assertEquals("exact", f.get("seq"));
  }

  @Test
  void expectPaths_onFaults_checkTheReport() {
    for (Expectation.Result c : reset.checks()) assertTrue(c.passed(), c.message());
    List<Expectation.Result> p = partition.checks();
    assertTrue(p.get(0).passed(), p.get(0).message());
    assertTrue(p.get(1).passed(), p.get(1).message());
    assertFalse(p.get(2).passed(), p.get(2).message());
    assertTrue(p.get(2).message().startsWith("faults.0.segmentsMatched < 1: actual "),
        p.get(2).message());
  }

  @Test
  void html_hasOneBandPerFault_atItsTimes_andTheFaultsTable() throws Exception {
    Run r = run("""
        name: two-faults
        seed: 5
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 20, every: 100ms,
             clientBytes: 2KiB, serverBytes: 8KiB, hold: 3s}
        network: {latency: 10ms}
        faults:
          - {kind: partition, at: 500ms, until: 1500ms, target: {between: [client, server]}}
          - {kind: loss, at: 2s, for: 250ms, target: all, loss: 20%}
          - {kind: reset, at: 3s, target: {between: [client, server]}, seq: in-window}
          - {kind: crash, at: 4s, for: 1s, target: {host: server}}
        """);
    JsonNode bands = AttackReportTest.chartData(r.html()).get("faults");
    assertNotNull(bands);
    assertEquals(4, bands.size(), "one band per fault");
    String[] labels = {"partition", "loss", "reset", "crash server"};
    double[][] times = {{500, 1500}, {2000, 2250}, {3000, 3000}, {4000, 5000}};
    for (int i = 0; i < 4; i++) {
      assertEquals(labels[i], bands.get(i).get("label").asText());
      assertEquals(times[i][0], bands.get(i).get("startMs").asDouble(), "start of " + i);
      assertEquals(times[i][1], bands.get(i).get("endMs").asDouble(), "end of " + i);
    }
    // Every time chart adds the bands: the states, activity and (with attackers) half-open ones.
    String html = r.html();
    assertTrue(html.contains("function bands() { return attackBand().concat(faultBands()); }"));
    assertTrue(html.contains("series: layers.concat(bands())"));
    assertTrue(html.contains("}).concat(bands())"));

    Document doc = HtmlReportTest.parseWithoutScripts(html);
    assertTrue(html.contains("<h2 id=\"faults\">Faults</h2>"));
    assertTrue(html.indexOf("id=\"faults\"") < html.indexOf("<h2>Endpoints per TCP state</h2>"));
    Element table = null;
    NodeList tables = doc.getElementsByTagName("table");
    for (int i = 0; i < tables.getLength(); i++) {
      Element t = (Element) tables.item(i);
      if (t.getAttribute("id").equals("fault-table")) table = t;
    }
    assertNotNull(table, "the Faults table");
    NodeList rows = table.getElementsByTagName("tr");
    assertEquals(5, rows.getLength(), "header + one row per fault");
    for (int i = 0; i < 4; i++) {
      Element row = (Element) rows.item(i + 1);
      NodeList cells = row.getElementsByTagName("td");
      assertEquals(String.valueOf(i), cells.item(0).getTextContent());
      String did = cells.item(3).getTextContent();
      if (i != 2) {
        assertTrue(did.startsWith(r.figure(i, "segmentsMatched") + " segments sent through it; "
            + r.figure(i, "segmentsDropped") + " dropped"), did);
      }
      assertTrue(did.endsWith(r.figure(i, "connectionsReset") + " connections reset, "
          + r.figure(i, "connectionsTimedOut") + " timed out")
          || did.contains(r.figure(i, "connectionsReset") + " connection reset, "), did);
    }
    Element first = (Element) rows.item(1);
    assertEquals("0.5\u20131.5 s", first.getElementsByTagName("td").item(1).getTextContent());
    assertEquals("partition between client and server: every segment either way dropped",
        first.getElementsByTagName("td").item(2).getTextContent());
    assertTrue(first.getElementsByTagName("td").item(3).getTextContent()
        .contains("TCP retransmitted " + r.figure(0, "segmentsRetransmitted")
            + " segments on these paths during it and in the 1 s after"));
    Element resetRow = (Element) rows.item(3);
    assertEquals("at 3.0 s", resetRow.getElementsByTagName("td").item(1).getTextContent());
    assertTrue(resetRow.getElementsByTagName("td").item(3).getTextContent()
        .startsWith(r.figure(2, "resetsInjected") + " RSTs injected"));
    Element crashRow = (Element) rows.item(4);
    assertTrue(crashRow.getElementsByTagName("td").item(3).getTextContent()
        .contains(r.figure(3, "endpointsCrashed") + " endpoints crashed"));
    assertEquals(HtmlReport.render(r.result(), null, null, List.of()),
        HtmlReport.render(r.result(), null, null, List.of()), "deterministic");
  }

  @Test
  void pageAndReportWithoutFaults_haveNoneOfIt() throws Exception {
    HtmlReportTest.Run story = HtmlReportTest.storyRun();
    String html = HtmlReport.render(story.result(), story.timeline(), story.sample(), List.of());
    assertNull(AttackReportTest.chartData(html).get("faults"));
    assertFalse(html.contains("id=\"faults\""));
    assertFalse(html.contains("fault-table"));
    assertFalse(ReportJson.build(story.result()).containsKey("faults"));
  }
}
