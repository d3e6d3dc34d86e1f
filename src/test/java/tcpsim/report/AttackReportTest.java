package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tcpsim.cluster.ClusterSystem;
import tcpsim.engine.Simulation;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.ListenerStats;

/**
 * The pages of a SYN flood: report.html's Attack section (story, half-open chart, phase tables,
 * attack band) and index.html's comparison of variants. A small flood, as in SynFloodTest: a
 * 16-entry SYN backlog, clients every 100 ms, 100 spoofed SYNs per second from 2 s to 7 s,
 * under the RFC profile's listener (every forged entry holds its place for 63 s, so the story is
 * stark); the Linux profile's story is checked on its own.
 */
class AttackReportTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static ActorSystem<Void> system;
  static Flood off;
  static Flood cookies;

  record Flood(RunResult result, TimelineSink timeline, SequenceSample sample, String html,
      Map<String, Object> report) {
    JsonNode data() throws Exception {
      return chartData(html);
    }

    ListenerStats listener() {
      return result.listeners().get(0);
    }
  }

  static Flood flood(String synCookies) throws Exception {
    return flood("rfc, msl: 30s", synCookies);
  }

  static Flood flood(String profile, String synCookies) throws Exception {
    Scenario sc = ScenarioLoader.loadString("""
        name: flood-%s
        duration: 120s
        tcp: {profile: %s, synBacklog: 16, synCookies: %s}
        hosts:
          - {name: client, tcp: {synRetries: 2}}
          - {name: server}
          - {name: attacker}
        listeners: [{host: server, port: 80}]
        clients:
          - {name: web, from: client, to: server:80, count: 100, every: 100ms, clientBytes: 100}
        attackers:
          - {name: flood, from: attacker, to: server:80, rate: 100/s, start: 2s, for: 5s}
        network: {latency: 10ms}
        """.formatted(synCookies, profile, synCookies), "flood.yaml");
    TimelineSink timeline = TimelineSink.adaptive();
    SequenceSample sample = new SequenceSample();
    RunResult r = Simulation.run(system, sc, e -> {
      timeline.accept(e);
      sample.accept(e);
    });
    String html = HtmlReport.render(r, timeline, sample, List.of());
    return new Flood(r, timeline, sample, html, ReportJson.build(r));
  }

  @BeforeAll
  static void runFloods() throws Exception {
    system = ClusterSystem.startSingleNode("tcpsim");
    off = flood("off");
    cookies = flood("on-overflow");
  }

  @AfterAll
  static void stop() {
    ClusterSystem.terminate(system);
  }

  /** The page's chart data: the JSON object assigned to TCPSIM. */
  static JsonNode chartData(String html) throws Exception {
    int a = html.indexOf("var TCPSIM = ");
    int b = html.indexOf(";\n", a);
    assertTrue(a >= 0 && b > a, "no chart data");
    return JSON.readTree(html.substring(a + "var TCPSIM = ".length(), b));
  }

  static long sum(JsonNode series) {
    long n = 0;
    for (JsonNode p : series) n += p.get(1).asLong();
    return n;
  }

  static long max(JsonNode series) {
    long n = 0;
    for (JsonNode p : series) n = Math.max(n, p.get(1).asLong());
    return n;
  }

  @Test
  void attackSection_tellsWhatTheAttackerDid_andWhatTheDefenceWas() throws Exception {
    String html = off.html();
    HtmlReportTest.parseWithoutScripts(html); // well-formed
    assertTrue(html.contains("<h2 id=\"attack\">Attack: SYN flood</h2>"));
    // Before the time charts, after the summary.
    assertTrue(html.indexOf("id=\"attack\"") > html.indexOf("<h2>Summary</h2>"));
    assertTrue(html.indexOf("id=\"attack\"") < html.indexOf("<h2>Endpoints per TCP state</h2>"));
    for (String s : List.of("In a SYN flood an attacker sends SYNs and never that ACK",
        "Here the attacker &quot;flood&quot; sent 100 SYNs per second to server:80 from 2 s to 7 s"
            + " of simulated time, 500 SYNs in all, from forged (spoofed) source addresses",
        "The defence of server:80: a SYN backlog of 16 half-open connections; each SYN-ACK is"
            + " resent up to 5 times (synAckRetries), so an entry nobody answers holds its place"
            + " for 63 s (timeouts of 1, 2, 4, 8, 16 and 32 s); SYN cookies off",
        "What happened: the SYN backlog of server:80 held at most 16 half-open connections (it"
            + " was full); " + off.listener().synDropped + " SYNs were dropped because it was full.",
        "<h3>Half-open connections (SYN backlog)</h3>", "<div id=\"chart-halfopen\" class=\"chart\">")) {
      assertTrue(html.contains(s), s);
    }
    assertTrue(cookies.html().contains("SYN cookies on-overflow: while the backlog is full"));
    assertTrue(cookies.html().contains(cookies.listener().cookiesSent + " SYN cookies were sent"));
  }

  @Test
  void linuxProfile_story_tellsOfBacklogPlusOne_andOfPruning() throws Exception {
    Flood linux = flood("linux", "off");
    String html = linux.html();
    for (String s : List.of("The defence of server:80: a SYN backlog of 17 half-open connections"
            + " (the listen backlog 16, plus one as Linux counts); each SYN-ACK is resent up to 5"
            + " times (synAckRetries), so an entry nobody answers holds its place for 63 s"
            + " (timeouts of 1, 2, 4, 8, 16 and 32 s), or under pressure only 7 s: Linux drops an"
            + " entry at its third timeout while the backlog is more than half full of entries"
            + " that have already timed out; SYN cookies off",
        "What happened: the SYN backlog of server:80 held at most 17 half-open connections (it"
            + " was full)")) {
      assertTrue(html.contains(s), s);
    }
    assertEquals(17, linux.data().get("attack").get("backlog").get("value").asInt());
    assertEquals(17, linux.listener().synBacklogPeak);
  }

  @Test
  void halfOpenChart_reachesTheBacklogLine_andCountsEveryDroppedSyn() throws Exception {
    JsonNode attack = off.data().get("attack");
    assertNotNull(attack);
    assertEquals("server:80", attack.get("backlog").get("name").asText());
    assertEquals(16, attack.get("backlog").get("value").asInt());
    // The flood fills the backlog at 2.17 s and it stays full until 65 s: the half-open series
    // peaks exactly at the backlog's size, as report.json's synBacklogPeak says.
    assertEquals(16, off.listener().synBacklogPeak);
    assertEquals(16, max(attack.get("halfOpen")));
    assertTrue(off.listener().synDropped > 400);
    assertEquals(off.listener().synDropped, sum(attack.get("synDropped")));
    assertFalse(attack.has("cookiesSent"), "cookies off: no cookie series");
    // Same rows as the states chart.
    assertEquals(off.data().get("states").get(0).get("data").size(), attack.get("halfOpen").size());

    JsonNode withCookies = cookies.data().get("attack");
    assertTrue(cookies.listener().cookiesSent > 400);
    assertEquals(cookies.listener().cookiesSent, sum(withCookies.get("cookiesSent")));
    assertEquals(0, sum(withCookies.get("synDropped")));
    assertEquals(16, max(withCookies.get("halfOpen")));
  }

  @Test
  void attackBand_isTheAttackersWindow_onEveryTimeChart() throws Exception {
    JsonNode bands = off.data().get("attack").get("bands");
    assertEquals(1, bands.size());
    assertEquals("flood", bands.get(0).get("name").asText());
    assertEquals(2000.0, bands.get(0).get("startMs").asDouble());
    assertEquals(7000.0, bands.get(0).get("endMs").asDouble());
    String html = off.html();
    // The states, activity and half-open charts each add the band series (with the faults').
    assertTrue(html.contains("function bands() { return attackBand().concat(faultBands()); }"));
    assertTrue(html.contains("series: layers.concat(bands())"));
    assertTrue(html.contains("}).concat(bands())"));
    assertTrue(html.contains("series: series.concat(bands())"));
    assertFalse(off.data().has("faults"), "no faults, no fault bands");
  }

  @Test
  void timelineCsv_synDroppedAndCookiesSent_addUpToTheListenersFigures() {
    for (Flood f : List.of(off, cookies)) {
      String[] lines = f.timeline().csv().split("\n");
      List<String> header = List.of(lines[0].split(","));
      int dropped = header.indexOf("synDropped");
      int sent = header.indexOf("cookiesSent");
      long d = 0;
      long c = 0;
      for (int i = 1; i < lines.length; i++) {
        String[] v = lines[i].split(",");
        d += Long.parseLong(v[dropped]);
        c += Long.parseLong(v[sent]);
      }
      assertEquals(f.listener().synDropped, d);
      assertEquals(f.listener().cookiesSent, c);
    }
  }

  @Test
  void phaseTable_holdsReportJsonsNumbers_andHighlightsDuring() throws Exception {
    for (Flood f : List.of(off, cookies)) {
      Document doc = HtmlReportTest.parseWithoutScripts(f.html());
      Element table = byId(doc, "table", "phases-web");
      assertNotNull(table, "a table for group web");
      Map<?, ?> group = (Map<?, ?>) ((List<?>) f.report().get("groups")).get(0);
      NodeList trs = table.getElementsByTagName("tr");
      assertEquals(4, trs.getLength(), "header + before, during, after");
      String[] phases = {"before", "during", "after"};
      for (int i = 0; i < 3; i++) {
        Element tr = (Element) trs.item(i + 1);
        assertEquals(phases[i], tr.getAttribute("class"));
        NodeList tds = tr.getElementsByTagName("td");
        Map<?, ?> p = (Map<?, ?>) group.get(phases[i]);
        Map<?, ?> hs = (Map<?, ?>) p.get("handshakeMs");
        long attempted = ((Number) p.get("attempted")).longValue();
        long established = ((Number) p.get("established")).longValue();
        assertEquals(String.valueOf(attempted), text(tds, 1));
        assertEquals(String.valueOf(established), text(tds, 2));
        assertEquals(String.format(Locale.ROOT, "%.1f%%", 100.0 * established / attempted),
            text(tds, 3));
        assertEquals(String.valueOf(p.get("failed")), text(tds, 4));
        boolean any = ((Number) hs.get("count")).longValue() > 0;
        assertEquals(any ? String.format(Locale.ROOT, "%.3f", hs.get("p50")) : "-", text(tds, 5));
        assertEquals(any ? String.format(Locale.ROOT, "%.3f", hs.get("p99")) : "-", text(tds, 6));
      }
      assertTrue(f.html().contains("tr.during td{background:#fff3bf"), "during highlighted");
    }
    // The numbers tell the story: clients opened during the flood fail without cookies ...
    Map<?, ?> during = phase(off, "during");
    assertEquals(50L, ((Number) during.get("attempted")).longValue());
    assertTrue(((Number) during.get("established")).longValue() <= 2);
    // ... and all get in with them.
    Map<?, ?> duringCookies = phase(cookies, "during");
    assertEquals(duringCookies.get("attempted"), duringCookies.get("established"));
  }

  @Test
  void pageWithoutAttackers_hasNoAttackSection() throws Exception {
    HtmlReportTest.Run run = HtmlReportTest.storyRun();
    String html = HtmlReport.render(run.result(), run.timeline(), run.sample(), List.of());
    assertFalse(html.contains("id=\"attack\""));
    assertFalse(html.contains("chart-halfopen\" class"));
    assertFalse(html.contains("class=\"phases\""));
    assertFalse(chartData(html).has("attack"));
  }

  @Test
  void attackPage_isByteIdenticalForTheSameSeed() throws Exception {
    Flood again = flood("off");
    assertEquals(off.html(), again.html());
  }

  @Test
  void batchIndex_comparesTheVariants_beforeDuringAfter(@TempDir Path dir) throws Exception {
    HtmlReportTest.Run plain = HtmlReportTest.storyRun();
    List<BatchRow> rows = List.of(
        new BatchRow("flood--no-defence", "flood.yaml", "passed", "",
            Map.of("variant", "no-defence"), off.report(), false),
        // As a resumed run's: report.json read back from its file.
        new BatchRow("flood--syn-cookies", "flood.yaml", "passed", "",
            Map.of("variant", "syn-cookies"), reread(cookies.report()), true),
        new BatchRow("plain--x=1", "plain.yaml", "passed", "", Map.of("x", "1"),
            ReportJson.build(plain.result()), false));
    String html = BatchSummary.html(rows, dir);
    assertTrue(html.contains("<h2>SYN floods: the variants side by side</h2>"));
    assertTrue(html.contains("<h3>flood.yaml</h3>"));
    assertFalse(html.contains("id=\"attack1\""), "plain.yaml has no attackers: no comparison");
    assertEquals(1, HtmlReportTest.count(html, HtmlReport.echarts().substring(0, 100)),
        "ECharts inlined once");
    // The existing table and its sorting stay.
    assertTrue(html.contains("<table id=\"runs\">"));
    assertTrue(html.contains("document.querySelectorAll('#runs th')"));
    assertTrue(html.contains("<h2>Sweeps</h2>"));

    // The grouped bars: success % per phase, one value per variant.
    for (String phase : List.of("before", "during", "after")) {
      String bars = "{name:'" + phase + "',type:'bar'";
      int at = html.indexOf(bars);
      assertTrue(at >= 0, bars);
      Matcher m = Pattern.compile("data:\\[([^\\]]*)\\]").matcher(html.substring(at));
      assertTrue(m.find());
      assertEquals(pct(off, phase) + "," + pct(cookies, phase), m.group(1), phase);
    }
    assertTrue(html.contains("data:['no-defence','syn-cookies']"));

    // The table: success % during, handshake p99 during, synBacklogPeak, synDropped, cookiesSent.
    List<List<String>> table = new ArrayList<>();
    String body = html.substring(html.indexOf("<table class=\"attack\" id=\"attack0-table\">"));
    body = body.substring(body.indexOf("<tbody>"), body.indexOf("</tbody>"));
    Matcher tr = Pattern.compile("<tr>(.*?)</tr>").matcher(body);
    while (tr.find()) {
      List<String> cells = new ArrayList<>();
      Matcher td = Pattern.compile("<td[^>]*>(.*?)</td>").matcher(tr.group(1));
      while (td.find()) cells.add(td.group(1).replaceAll("<[^>]+>", ""));
      table.add(cells);
    }
    assertEquals(2, table.size());
    for (int i = 0; i < 2; i++) {
      Flood f = i == 0 ? off : cookies;
      Map<?, ?> hs = (Map<?, ?>) phase(f, "during").get("handshakeMs");
      assertEquals(List.of(i == 0 ? "no-defence" : "syn-cookies", pct(f, "during"),
          String.format(Locale.ROOT, "%.3f", hs.get("p99")),
          String.valueOf(f.listener().synBacklogPeak), String.valueOf(f.listener().synDropped),
          String.valueOf(f.listener().cookiesSent)), table.get(i));
    }
    assertEquals("100.0", table.get(1).get(1));
  }

  static String pct(Flood f, String phase) {
    Map<?, ?> p = phase(f, phase);
    return String.format(Locale.ROOT, "%.1f", 100.0 * ((Number) p.get("established")).doubleValue()
        / ((Number) p.get("attempted")).doubleValue());
  }

  static Map<?, ?> phase(Flood f, String phase) {
    return (Map<?, ?>) ((Map<?, ?>) ((List<?>) f.report().get("groups")).get(0)).get(phase);
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> reread(Map<String, Object> report) throws Exception {
    return JSON.readValue(JSON.writeValueAsString(report), LinkedHashMap.class);
  }

  static Element byId(Document doc, String tag, String id) {
    NodeList l = doc.getElementsByTagName(tag);
    for (int i = 0; i < l.getLength(); i++) {
      Element e = (Element) l.item(i);
      if (id.equals(e.getAttribute("id"))) return e;
    }
    return null;
  }

  static String text(NodeList tds, int i) {
    return tds.item(i).getTextContent();
  }
}
