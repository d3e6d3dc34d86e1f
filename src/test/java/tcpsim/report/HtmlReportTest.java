package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import tcpsim.engine.Simulation;
import tcpsim.net.LinkConfig;
import tcpsim.scenario.Scenario;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.TcpParams;
import tcpsim.tcp.TcpState;

class HtmlReportTest {
  static final long MS = 1_000_000L;
  static final int C = 0; // client host
  static final int S = 1; // server host
  static final int CP = 40000;
  static final int SP = 80;
  static final int X = 1000;
  static final int Y = 5000;

  /** The founding story, synthesized: the first SYN is lost and retransmitted after 1 s. */
  static final class Story {
    final List<TraceEvent> events = new ArrayList<>();
    int index;

    void seg(TraceEvent.Kind kind, long ms, boolean fromClient, int flags, int seq, int ack,
        int len, boolean retx, DropReason reason) {
      events.add(new TraceEvent(ms * MS, fromClient ? 0 : 1, index++, 0, kind, 0,
          fromClient ? C : S, fromClient ? CP : SP, fromClient ? S : C, fromClient ? SP : CP,
          flags, seq, ack, len, retx, reason, null, null));
    }

    /** SEND now, RECV 10 ms later. */
    void hop(long ms, boolean fromClient, int flags, int seq, int ack, int len) {
      seg(TraceEvent.Kind.SEND, ms, fromClient, flags, seq, ack, len, false, null);
    }

    void recv(long ms, boolean fromClient, int flags, int seq, int ack, int len, boolean retx) {
      seg(TraceEvent.Kind.RECV, ms, fromClient, flags, seq, ack, len, retx, null);
    }

    void state(long ms, boolean client, TcpState from, TcpState to) {
      events.add(TraceEvent.state(ms * MS, client ? 0 : 1, index++, 0, client ? C : S,
          client ? CP : SP, client ? S : C, client ? SP : CP, from, to));
    }

    List<TraceEvent> build() {
      int syn = Flags.SYN, ack = Flags.ACK, fin = Flags.FIN, psh = Flags.PSH;
      state(0, true, TcpState.CLOSED, TcpState.SYN_SENT);
      hop(0, true, syn, X, 0, 0);
      seg(TraceEvent.Kind.DROP, 0, true, syn, X, 0, 0, false, DropReason.LOSS);
      seg(TraceEvent.Kind.SEND, 1000, true, syn, X, 0, 0, true, null);
      recv(1010, true, syn, X, 0, 0, true);
      state(1010, false, TcpState.LISTEN, TcpState.SYN_RECEIVED);
      hop(1010, false, syn | ack, Y, X + 1, 0);
      recv(1020, false, syn | ack, Y, X + 1, 0, false);
      state(1020, true, TcpState.SYN_SENT, TcpState.ESTABLISHED);
      hop(1020, true, ack, X + 1, Y + 1, 0);
      recv(1030, true, ack, X + 1, Y + 1, 0, false);
      state(1030, false, TcpState.SYN_RECEIVED, TcpState.ESTABLISHED);
      hop(1030, true, psh | ack, X + 1, Y + 1, 100);
      recv(1040, true, psh | ack, X + 1, Y + 1, 100, false);
      hop(1040, false, ack, Y + 1, X + 101, 0);
      recv(1050, false, ack, Y + 1, X + 101, 0, false);
      hop(1050, true, fin | ack, X + 101, Y + 1, 0);
      state(1050, true, TcpState.ESTABLISHED, TcpState.FIN_WAIT_1);
      recv(1060, true, fin | ack, X + 101, Y + 1, 0, false);
      state(1060, false, TcpState.ESTABLISHED, TcpState.CLOSE_WAIT);
      hop(1060, false, ack, Y + 1, X + 102, 0);
      hop(1065, false, fin | ack, Y + 1, X + 102, 0);
      state(1065, false, TcpState.CLOSE_WAIT, TcpState.LAST_ACK);
      recv(1070, false, ack, Y + 1, X + 102, 0, false);
      state(1070, true, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2);
      recv(1075, false, fin | ack, Y + 1, X + 102, 0, false);
      state(1075, true, TcpState.FIN_WAIT_2, TcpState.TIME_WAIT);
      hop(1075, true, ack, X + 102, Y + 2, 0);
      recv(1085, true, ack, X + 102, Y + 2, 0, false);
      state(1085, false, TcpState.LAST_ACK, TcpState.CLOSED);
      state(61075, true, TcpState.TIME_WAIT, TcpState.CLOSED);
      return events;
    }
  }

  static Scenario scenario(String name) {
    return new Scenario(name, 42, 3600_000 * MS,
        List.of(new Scenario.HostSpec("client", TcpParams.rfc()),
            new Scenario.HostSpec("server", TcpParams.rfc())),
        List.of(new Scenario.ListenerSpec(S, SP)), List.of(),
        new Scenario.NetworkSpec(LinkConfig.ideal(10 * MS), List.of()), null);
  }

  record Run(RunResult result, TimelineSink timeline, SequenceSample sample) {}

  static Run storyRun() {
    List<TraceEvent> events = new Story().build();
    RunStats stats = new RunStats(1, 1);
    TimelineSink timeline = TimelineSink.adaptive();
    SequenceSample sample = new SequenceSample();
    for (TraceEvent e : events) {
      stats.accept(e);
      timeline.accept(e);
      sample.accept(e);
    }
    stats.result(new EndpointResult(0, true, Outcome.CLOSED, 0, 1020 * MS, 61075 * MS));
    stats.result(new EndpointResult(0, false, Outcome.CLOSED, 1010 * MS, 1030 * MS, 1085 * MS));
    RunResult r = new RunResult(scenario("story <&> \"quoted\""), 42, stats, "abc123",
        61075 * MS, 7, 3, 0, List.of(), false, 1, List.of("local"), java.util.Map.of());
    return new Run(r, timeline, sample);
  }

  static Document parseWithoutScripts(String html) throws Exception {
    String stripped = html.replaceAll("(?s)<script>.*?</script>", "<script></script>");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(
        new ByteArrayInputStream(stripped.getBytes(StandardCharsets.UTF_8)));
  }

  static String svgOf(String html) {
    int a = html.indexOf("<svg");
    int b = html.indexOf("</svg>");
    assertTrue(a >= 0 && b > a, "no svg");
    return html.substring(a, b);
  }

  @Test
  void page_isSelfContained_wellFormed_andDrawsTheTextbookPicture(@TempDir Path dir)
      throws Exception {
    Run run = storyRun();
    List<String[]> expectations = List.of(
        new String[] {"handshake <= 2 s & no <b>reset</b>", "pass", "1.020 s"},
        new String[] {"no drops", "fail", "1 dropped (loss)"});
    Path file = HtmlReport.write(run.result(), run.timeline(), run.sample(), expectations,
        dir.resolve("report.html"));
    assertEquals(List.of(file.getFileName()),
        Files.list(dir).map(Path::getFileName).toList(), "no temporary file left behind");
    String html = Files.readString(file);

    Document doc = parseWithoutScripts(html);
    assertEquals("html", doc.getDocumentElement().getNodeName());
    assertEquals(1, doc.getElementsByTagName("svg").getLength());

    // Self-contained: the library is inlined, nothing is fetched.
    String lib = HtmlReport.echarts();
    assertTrue(lib.length() > 100_000, "echarts on the class path");
    assertTrue(html.contains(lib.substring(0, 200)));
    assertFalse(html.matches("(?s).*(src|href)\\s*=\\s*\"?(https?:)?//.*"), "no external fetch");
    assertFalse(html.contains("@import"));
    assertFalse(html.contains("url(http"));

    assertTrue(html.contains("story &lt;&amp;&gt; &quot;quoted&quot; (seed 42)"), "escaped title");
    assertTrue(html.contains("handshake &lt;= 2 s &amp; no &lt;b&gt;reset&lt;/b&gt;"));
    assertTrue(html.contains("<tr class=\"pass\">"));
    assertTrue(html.contains("<tr class=\"fail\">"));
    assertTrue(html.contains("abc123"));
    assertTrue(html.contains("attempted 1, established 1, closed 1"));

    String svg = svgOf(html);
    for (String label : List.of(">SYN seq=x (retransmission)<", ">SYN,ACK seq=y ack=x+1<",
        ">ACK seq=x+1 ack=y+1<", ">PSH,ACK seq=x+1 ack=y+1 len=100<",
        ">ACK seq=y+1 ack=x+101<", ">FIN,ACK seq=x+101 ack=y+1<", ">FIN,ACK seq=y+1 ack=x+102<",
        ">ACK seq=x+102 ack=y+2<", ">SYN seq=x<")) {
      assertTrue(svg.contains(label), "label " + label + " in\n" + svg);
    }
    for (String state : List.of("CLOSED &#8594; SYN-SENT", "LISTEN &#8594; SYN-RECEIVED",
        "SYN-SENT &#8594; ESTABLISHED", "FIN-WAIT-2 &#8594; TIME-WAIT", "LAST-ACK &#8594; CLOSED",
        "TIME-WAIT &#8594; CLOSED", "CLOSE-WAIT &#8594; LAST-ACK")) {
      assertTrue(svg.contains(state), state);
    }
    assertEquals(1, count(svg, "class=\"drop\""), "one red cross");
    assertTrue(svg.contains("dropped: loss"));
    assertTrue(svg.contains("client client:40000"));
    assertTrue(svg.contains("server server:80"));
    assertTrue(svg.contains("59.990 s later"), "the TIME-WAIT is a band, not 60 s of rows");
    // 10 segments sent: the lost SYN ends in the cross, the other 9 reach the other line.
    assertEquals(9, count(svg, "marker-end="));
    assertFalse(svg.contains("in flight"));
    assertSequenceRows(run.sample().events(), run.result().scenario(), false);
  }

  @Test
  void page_isDeterministic() {
    Run a = storyRun();
    Run b = storyRun();
    assertEquals(HtmlReport.render(a.result(), a.timeline(), a.sample(), List.of()),
        HtmlReport.render(b.result(), b.timeline(), b.sample(), List.of()));
  }

  @Test
  void truncatedSample_isSaid() throws Exception {
    Run run = storyRun();
    SequenceSample small = new SequenceSample(0, 5);
    new Story().build().forEach(small::accept);
    assertTrue(small.truncated());
    String html = HtmlReport.render(run.result(), null, small, null);
    parseWithoutScripts(html);
    assertTrue(html.contains("sample truncated"));
  }

  @Test
  void realRun_handshakeScenario(@TempDir Path dir) throws Exception {
    Scenario sc = ScenarioLoader.load(Path.of("scenarios/handshake.yaml"));
    TimelineSink timeline = TimelineSink.adaptive();
    SequenceSample sample = new SequenceSample();
    RunResult r = Simulation.run(sc, e -> {
      timeline.accept(e);
      sample.accept(e);
    });
    for (TcpState s : TimelineSink.STATES) {
      assertEquals(r.stats().statePeak(s), timeline.peak(s), s.name());
      int csvPeak = timeline.rows().stream().mapToInt(row -> row.count(s)).max().orElse(0);
      assertTrue(csvPeak <= r.stats().statePeak(s), s.name());
    }
    assertEquals(r.stats().sent(), timeline.rows().stream().mapToLong(TimelineSink.Row::sent).sum());
    Path file = HtmlReport.write(r, timeline, sample, List.of(), dir.resolve("report.html"));
    String html = Files.readString(file);
    parseWithoutScripts(html);
    String svg = svgOf(html);
    for (String label : List.of(">SYN seq=x<", ">SYN,ACK seq=y ack=x+1<", ">ACK seq=x+1 ack=y+1<",
        ">PSH,ACK seq=x+1 ack=y+1 len=100<", "TIME-WAIT")) {
      assertTrue(svg.contains(label), label + " in\n" + svg);
    }
    assertEquals(0, count(svg, "class=\"drop\""));
    // The charts' time axis is the run's: 0 .. 60.08 s, never past the end (and never a sum of
    // several series' times).
    double endMs = r.simulatedNs() / 1e6;
    Matcher m = Pattern.compile("\\[(-?[0-9.]+),[0-9]+\\]").matcher(statesJson(html));
    double maxMs = -1;
    while (m.find()) maxMs = Math.max(maxMs, Double.parseDouble(m.group(1)));
    assertTrue(maxMs > 60_000 && maxMs <= endMs, "last state row at " + maxMs + " ms, end " + endMs);
    assertFalse(html.contains("stack: 'states'"), "ECharts would stack the x (ms) values");
    // A single handshake still draws a CDF: a step from [0, 0] up to 1.0 at its time.
    assertTrue(html.contains("\"handshake\":[[0.0,0.0],[20.0,1.0]]"), html.substring(html.indexOf("\"handshake\"")));
    assertSequenceRows(sample.events(), r.scenario(), true);
  }

  static String statesJson(String html) {
    int a = html.indexOf("{\"states\":");
    int b = html.indexOf("\"intervalMs\"", a);
    assertTrue(a >= 0 && b > a, "no states data");
    return html.substring(a, b);
  }

  /**
   * Every event has its own row (distinct, increasing y), so segments sent at the same instant
   * get distinct rows; each arrow runs from its SEND's row on the sender's line to its RECV's
   * row on the receiver's line.
   */
  static void assertSequenceRows(List<TraceEvent> events, Scenario sc,
      boolean sendsAtOneInstant) {
    List<String> names = sc.hosts().stream().map(Scenario.HostSpec::name).toList();
    SequenceDiagram d = new SequenceDiagram(events, names);
    String svg = d.svg(false, 0);
    int[] y = d.eventY();
    assertEquals(events.size(), y.length);
    for (int i = 1; i < y.length; i++) assertTrue(y[i] > y[i - 1], "row " + i + " below " + (i - 1));
    boolean sameInstant = false;
    for (int i = 0; i < events.size(); i++) {
      TraceEvent s = events.get(i);
      if (s.kind() != TraceEvent.Kind.SEND) continue;
      for (int j = i + 1; j < events.size(); j++) {
        TraceEvent o = events.get(j);
        if (o.kind() == TraceEvent.Kind.SEND && o.t() == s.t()) {
          sameInstant = true;
          assertTrue(y[j] != y[i], "two SENDs at " + s.t() + " ns share a row");
        }
      }
    }
    // Each delivery (or drop) belongs to the oldest pending SEND of the same segment.
    List<Integer> pending = new ArrayList<>();
    int arrows = 0;
    for (int j = 0; j < events.size(); j++) {
      TraceEvent r = events.get(j);
      if (r.kind() == TraceEvent.Kind.SEND) pending.add(j);
      if (r.kind() != TraceEvent.Kind.RECV && r.kind() != TraceEvent.Kind.DROP) continue;
      Integer i = null;
      for (Integer k : pending) {
        TraceEvent s = events.get(k);
        if (s.srcHost() == r.srcHost() && s.srcPort() == r.srcPort() && s.seq() == r.seq()
            && s.ack() == r.ack() && s.flags() == r.flags() && s.len() == r.len()) {
          i = k;
          break;
        }
      }
      assertTrue(i != null, "a SEND for " + r);
      pending.remove(i);
      if (r.kind() == TraceEvent.Kind.DROP) continue;
      TraceEvent s = events.get(i);
      boolean fromClient = s.srcHost() == events.get(0).srcHost()
          && s.srcPort() == events.get(0).srcPort();
      int sx = fromClient ? 330 : 770;
      int rx = fromClient ? 770 : 330;
      String arrow = "<line x1=\"" + sx + "\" y1=\"" + y[i] + "\" x2=\"" + rx + "\" y2=\"" + y[j]
          + "\"";
      assertTrue(svg.contains(arrow), arrow + " for " + s);
      arrows++;
    }
    assertTrue(arrows > 0);
    assertEquals(sendsAtOneInstant, sameInstant, "segments sent at the same instant");
  }

  static int count(String s, String sub) {
    Matcher m = Pattern.compile(Pattern.quote(sub)).matcher(s);
    int n = 0;
    while (m.find()) n++;
    return n;
  }
}
