package tcpsim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.TcpState;

/**
 * {@code report.html}: one self-contained page per run. It loads nothing from the network: the
 * ECharts library (from its WebJar on the class path) is inlined, styles are inline, the
 * sequence diagram is inline SVG. The markup is also well-formed XML (XHTML syntax, ASCII only,
 * numeric character references) apart from the contents of the {@code <script>} elements.
 *
 * <p>Contents: a summary table, the expectations (if any), for a run with SYN floods the
 * {@link AttackSection} (the story, half-open connections over time, legitimate clients before,
 * during and after), for a run with faults the {@link FaultSection}, endpoints per TCP state over time, CDFs of handshake and lifecycle times,
 * retransmissions and drops over time, and the sequence diagram of the sampled connection
 * ({@link SequenceDiagram} explains its vertical axis). With attackers, every time chart shades
 * the attack's window. With scheduled faults, the {@link FaultSection} says what each fault did,
 * and every time chart shades each fault's time (a reset, which acts at one instant, is a line).
 *
 * <p>The page depends only on the run's figures and trace, never on the wall clock, so two runs
 * with the same seed give byte-identical pages.
 */
public final class HtmlReport {
  public static final String ECHARTS_RESOURCE = "META-INF/resources/webjars/echarts/5.1.2/echarts.min.js";
  private static final int MAX_CDF_POINTS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static volatile String echarts;

  private HtmlReport() {}

  /**
   * Writes the page to {@code file} atomically (a temporary file in the same folder, then an
   * atomic rename).
   *
   * @param expectations each {@code {text, "pass" or "fail", detail}}; may be empty or null
   * @param timeline the run's timeline, or null (no time charts)
   * @param sample the sampled connection, or null (no sequence diagram)
   */
  public static Path write(RunResult r, TimelineSink timeline, SequenceSample sample,
      List<String[]> expectations, Path file) throws IOException {
    String html = render(r, timeline, sample, expectations);
    Path abs = file.toAbsolutePath();
    AtomicFiles.write(abs, html);
    return abs;
  }

  /** The page as a string. */
  public static String render(RunResult r, TimelineSink timeline, SequenceSample sample,
      List<String[]> expectations) {
    Map<String, Object> report = ReportJson.build(r);
    String title = "tcpsim: " + r.scenario().name() + " (seed " + r.seed() + ")";
    StringBuilder b = new StringBuilder(1_100_000);
    b.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n");
    b.append("<meta charset=\"utf-8\"/>\n");
    b.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    b.append("<title>").append(Html.escape(title)).append("</title>\n");
    b.append("<style>\n").append(CSS).append("</style>\n");
    b.append("</head>\n<body>\n");
    b.append("<h1>").append(Html.escape(title)).append("</h1>\n");
    if (r.scenario().file() != null) {
      b.append("<p class=\"sub\">").append(Html.escape(r.scenario().file())).append("</p>\n");
    }

    summary(b, r, report);
    expectations(b, expectations);
    if (!r.scenario().attackers().isEmpty()) AttackSection.html(b, r, report, timeline != null);
    if (!r.scenario().faults().isEmpty()) FaultSection.html(b, r, report, timeline != null);

    boolean charts = timeline != null || r.stats().handshake().getTotalCount() > 0
        || r.stats().lifecycle().getTotalCount() > 0;
    if (timeline != null) {
      b.append("<h2>Endpoints per TCP state</h2>\n");
      b.append("<p class=\"note\">At the end of each ")
          .append(Html.escape(SequenceDiagram.duration(timeline.intervalNs())))
          .append(" interval; LISTEN not counted.</p>\n");
      b.append("<div id=\"chart-states\" class=\"chart\"></div>\n");
    }
    b.append("<h2>Handshake and lifecycle times (CDF)</h2>\n<div class=\"row\">");
    b.append("<div id=\"chart-handshake\" class=\"chart half\"></div>");
    b.append("<div id=\"chart-lifecycle\" class=\"chart half\"></div></div>\n");
    if (timeline != null) {
      b.append("<h2>Retransmissions and drops over time</h2>\n");
      b.append("<div id=\"chart-activity\" class=\"chart\"></div>\n");
    }

    if (sample != null) {
      b.append("<h2>Sequence diagram of connection ").append(sample.conn()).append("</h2>\n");
      List<String> names = r.scenario().hosts().stream().map(Scenario.HostSpec::name).toList();
      String svg = new SequenceDiagram(sample.events(), names).svg(sample.truncated(), sample.skipped());
      if (svg.isEmpty()) {
        b.append("<p class=\"note\">Connection ").append(sample.conn())
            .append(" has no events in this run.</p>\n");
      } else {
        b.append("<p class=\"note\">Time runs down by event order, not to scale: one row per ")
            .append("event, in trace order (its time in ms on the left); dashed bands mark long ")
            .append("pauses. Orange: retransmission; red cross: dropped segment.</p>\n");
        b.append("<div class=\"seqwrap\">\n").append(svg).append("</div>\n");
      }
    }

    if (charts) {
      b.append("<script>\n").append(echarts()).append("\n</script>\n");
      b.append("<script>\nvar TCPSIM = ").append(json(data(r, timeline))).append(";\n")
          .append(CHART_JS).append("</script>\n");
    }
    b.append("<p class=\"foot\">tcpsim report; trace digest ")
        .append(Html.escape(r.traceDigest())).append("</p>\n");
    b.append("</body>\n</html>\n");
    return b.toString();
  }

  private static void summary(StringBuilder b, RunResult r, Map<String, Object> report) {
    Map<?, ?> conns = (Map<?, ?>) report.get("connections");
    Map<?, ?> segs = (Map<?, ?>) report.get("segments");
    Map<?, ?> hs = (Map<?, ?>) report.get("handshakeMs");
    Map<?, ?> lc = (Map<?, ?>) report.get("lifecycleMs");
    b.append("<h2>Summary</h2>\n<table class=\"summary\">\n");
    row(b, "Connections", "attempted " + conns.get("attempted") + ", established "
        + conns.get("established") + ", closed " + conns.get("closed") + ", reset "
        + conns.get("reset") + ", failed " + conns.get("failed") + ", open " + conns.get("open"));
    Map<?, ?> outcomes = (Map<?, ?>) report.get("outcomes");
    StringBuilder o = new StringBuilder();
    for (var e : outcomes.entrySet()) {
      if (((Number) e.getValue()).longValue() == 0) continue;
      if (o.length() > 0) o.append(", ");
      o.append(e.getKey()).append(' ').append(e.getValue());
    }
    row(b, "Outcomes", o.length() == 0 ? "none" : o.toString());
    row(b, "Segments", "sent " + segs.get("sent") + ", delivered " + segs.get("delivered")
        + ", dropped " + segs.get("dropped") + ", duplicated " + segs.get("duplicated")
        + ", retransmitted " + segs.get("retransmitted") + ", in flight " + segs.get("inFlight"));
    Map<?, ?> drops = (Map<?, ?>) report.get("dropsByReason");
    StringBuilder d = new StringBuilder();
    for (var e : drops.entrySet()) {
      if (((Number) e.getValue()).longValue() == 0) continue;
      if (d.length() > 0) d.append(", ");
      d.append(e.getKey()).append(' ').append(e.getValue());
    }
    row(b, "Drops by reason", d.length() == 0 ? "none" : d.toString());
    row(b, "Handshake (ms)", percentiles(hs));
    row(b, "Lifecycle (ms)", percentiles(lc));
    Map<?, ?> peaks = (Map<?, ?>) report.get("statePeaks");
    StringBuilder p = new StringBuilder();
    for (var e : peaks.entrySet()) {
      if (((Number) e.getValue()).longValue() == 0) continue;
      if (p.length() > 0) p.append(", ");
      p.append(e.getKey()).append(' ').append(e.getValue());
    }
    row(b, "State peaks", p.length() == 0 ? "none" : p.toString());
    row(b, "Simulated time", String.format(Locale.ROOT, "%.3f s", r.simulatedNs() / 1e9)
        + (r.cutByDuration() ? " (cut by the scenario's duration)" : ""));
    row(b, "Seed", Long.toString(r.seed()));
    row(b, "Nodes", Integer.toString(r.nodes()));
    row(b, "Events", String.valueOf(report.get("events")));
    row(b, "Trace digest", r.traceDigest());
    b.append("</table>\n");
  }

  private static String percentiles(Map<?, ?> m) {
    return "count " + m.get("count") + ", p50 " + fmt(m.get("p50")) + ", p90 " + fmt(m.get("p90"))
        + ", p99 " + fmt(m.get("p99")) + ", max " + fmt(m.get("max"));
  }

  private static String fmt(Object v) {
    return v instanceof Number n ? String.format(Locale.ROOT, "%.3f", n.doubleValue()) : String.valueOf(v);
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append("<tr><th>").append(Html.escape(k)).append("</th><td>").append(Html.escape(v))
        .append("</td></tr>\n");
  }

  private static void expectations(StringBuilder b, List<String[]> expectations) {
    if (expectations == null || expectations.isEmpty()) return;
    long failed = expectations.stream().filter(e -> !pass(e)).count();
    b.append("<h2>Expectations: ").append(expectations.size() - failed).append(" passed, ")
        .append(failed).append(" failed</h2>\n");
    b.append("<table class=\"expect\">\n<tr><th>expectation</th><th>result</th><th>detail</th></tr>\n");
    for (String[] e : expectations) {
      boolean ok = pass(e);
      b.append("<tr class=\"").append(ok ? "pass" : "fail").append("\"><td>")
          .append(Html.escape(e.length > 0 ? e[0] : "")).append("</td><td class=\"res\">")
          .append(ok ? "pass" : "fail").append("</td><td>")
          .append(Html.escape(e.length > 2 ? e[2] : "")).append("</td></tr>\n");
    }
    b.append("</table>\n");
  }

  private static boolean pass(String[] e) {
    return e.length > 1 && e[1] != null && e[1].trim().equalsIgnoreCase("pass");
  }

  /** The chart data, as one JSON object. */
  static Map<String, Object> data(RunResult r, TimelineSink timeline) {
    Map<String, Object> d = new LinkedHashMap<>();
    if (timeline != null) {
      // Row starts are ns since the run's start, shown as ms; none after the run's end.
      List<TimelineSink.Row> rows = timeline.rows(r.simulatedNs());
      List<Map<String, Object>> states = new ArrayList<>();
      for (TcpState s : TimelineSink.STATES) {
        if (timeline.peak(s) == 0) continue;
        List<Object> pts = new ArrayList<>(rows.size());
        for (TimelineSink.Row row : rows) pts.add(new Object[] {msValue(row.startNs()), row.count(s)});
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.rfcName());
        m.put("data", pts);
        states.add(m);
      }
      d.put("states", states);
      d.put("intervalMs", timeline.intervalNs() / 1e6);
      List<Map<String, Object>> act = new ArrayList<>();
      String[] names = {"retransmitted", "dropped", "duplicated", "sent", "delivered"};
      for (int k = 0; k < names.length; k++) {
        List<Object> pts = new ArrayList<>(rows.size());
        for (TimelineSink.Row row : rows) {
          long v = switch (k) {
            case 0 -> row.retransmitted();
            case 1 -> row.dropped();
            case 2 -> row.duplicated();
            case 3 -> row.sent();
            default -> row.delivered();
          };
          pts.add(new Object[] {msValue(row.startNs()), v});
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", names[k]);
        m.put("data", pts);
        m.put("shown", k < 2);
        act.add(m);
      }
      d.put("activity", act);
      if (!r.scenario().attackers().isEmpty()) d.put("attack", AttackSection.data(r, rows));
      if (!r.scenario().faults().isEmpty()) d.put("faults", FaultSection.data(r));
    }
    d.put("handshake", cdf(r.stats().handshake()));
    d.put("lifecycle", cdf(r.stats().lifecycle()));
    return d;
  }

  private static double msValue(long ns) {
    return ns / 1e6;
  }

  /**
   * [[ms, cumulative fraction]]: a starting point [0, 0], then at most {@value #MAX_CDF_POINTS}
   * points (the last kept), to be drawn as a step line. The starting point makes even a single
   * sample a visible step (from 0 up to 1.0 at its value); empty if there are no samples.
   */
  static List<double[]> cdf(Histogram h) {
    List<double[]> pts = new ArrayList<>();
    long total = h.getTotalCount();
    if (total == 0) return pts;
    List<double[]> out = new ArrayList<>(MAX_CDF_POINTS + 2);
    out.add(new double[] {0, 0});
    for (HistogramIterationValue v : h.recordedValues()) {
      pts.add(new double[] {RunStats.msFromMicros(h.highestEquivalentValue(v.getValueIteratedTo())),
          (double) v.getTotalCountToThisValue() / total});
    }
    if (pts.size() <= MAX_CDF_POINTS) {
      out.addAll(pts);
      return out;
    }
    double step = (double) pts.size() / MAX_CDF_POINTS;
    for (int i = 0; i < MAX_CDF_POINTS; i++) out.add(pts.get((int) (i * step)));
    double[] last = pts.get(pts.size() - 1);
    if (out.get(out.size() - 1) != last) out.add(last);
    return out;
  }

  private static String json(Object o) {
    try {
      // "<" only ever occurs inside JSON strings; escaping it keeps "</script>" out of the page.
      return JSON.writeValueAsString(o).replace("<", "\\u003c").replace(">", "\\u003e")
          .replace("&", "\\u0026");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render chart data", e);
    }
  }

  /** The ECharts library, from the WebJar on the class path. */
  static String echarts() {
    String s = echarts;
    if (s != null) return s;
    try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream(ECHARTS_RESOURCE)) {
      if (in == null) {
        s = "/* ECharts not found on the class path (" + ECHARTS_RESOURCE + "): no charts */";
      } else {
        s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        if (s.toLowerCase(Locale.ROOT).contains("</script")) {
          throw new IllegalStateException("echarts.min.js contains </script and cannot be inlined");
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + ECHARTS_RESOURCE, e);
    }
    echarts = s;
    return s;
  }

  private static final String CSS = String.join("\n",
      "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Helvetica,Arial,sans-serif;",
      "margin:24px;color:#212529;max-width:1280px}",
      "h1{font-size:1.5em;margin-bottom:4px}h2{font-size:1.15em;margin-top:28px}",
      ".sub,.note,.foot{color:#6c757d;font-size:.9em}",
      "table{border-collapse:collapse;font-size:.92em}",
      "th,td{border:1px solid #dee2e6;padding:4px 10px;text-align:left;vertical-align:top}",
      "table.summary th{background:#f8f9fa;white-space:nowrap}",
      "tr.pass td{background:#ebfbee}tr.fail td{background:#fff5f5}",
      "tr.pass td.res{color:#2b8a3e;font-weight:bold}tr.fail td.res{color:#c92a2a;font-weight:bold}",
      ".chart{width:100%;height:360px}.row{display:flex;gap:16px}.half{flex:1;min-width:0}",
      ".seqwrap{overflow-x:auto;border:1px solid #dee2e6;background:#fff}",
      ".story{max-width:900px;line-height:1.45}h3{font-size:1em;margin-top:20px}",
      "table.phases{margin-bottom:12px}table.phases caption{text-align:left;font-weight:bold;padding:4px 0}",
      "table.phases td{text-align:right}table.phases th{background:#f8f9fa}",
      "table.phases tr.during th,table.phases tr.during td{background:#fff3bf;font-weight:bold}",
      "table.faults th{background:#f8f9fa}",
      "table.faults td:first-child,table.faults td:nth-child(2){white-space:nowrap}",
      "");

  private static final String CHART_JS = String.join("\n",
      "(function () {",
      "  if (typeof echarts === 'undefined') return;",
      "  var D = TCPSIM;",
      "  function chart(id, option) {",
      "    var el = document.getElementById(id);",
      "    if (!el) return;",
      "    // ECharts 5 draws every markArea at the z of the option's top-level markArea (default 1,",
      "    // under the opaque stacked areas): lift the attack and fault bands above them.",
      "    if (D.attack || D.faults) option.markArea = {z: 20};",
      "    var c = echarts.init(el);",
      "    c.setOption(option);",
      "    window.addEventListener('resize', function () { c.resize(); });",
      "  }",
      "  var zoom = [{type: 'inside'}, {type: 'slider', height: 18}];",
      "  // With attackers, every time chart gets a series without points whose shaded markArea is the",
      "  // attack's window (its legend entry turns the band off and on).",
      "  function attackBand() {",
      "    if (!D.attack) return [];",
      "    return [{name: 'attack', type: 'line', data: [], symbol: 'none',",
      "             itemStyle: {color: '#e03131'}, lineStyle: {color: '#e03131'},",
      "             markArea: {silent: true, itemStyle: {color: 'rgba(224,49,49,0.10)'},",
      "               label: {color: '#c92a2a', position: 'insideTop'},",
      "               data: D.attack.bands.map(function (b) {",
      "                 return [{name: 'attack: ' + b.name, xAxis: b.startMs}, {xAxis: b.endMs}];",
      "               })}}];",
      "  }",
      "  // With faults, every time chart gets another series without points: each fault's time is a",
      "  // shaded band labelled with its kind, a reset (one instant) a dashed line; the legend entry",
      "  // 'faults' hides and shows them all.",
      "  function faultBands() {",
      "    if (!D.faults) return [];",
      "    var spans = [], instants = [];",
      "    D.faults.forEach(function (f, i) {",
      "      // Labels in three rows, so that those of neighbouring faults do not overprint.",
      "      var label = {offset: [0, (i % 3) * 14]};",
      "      if (f.endMs > f.startMs) {",
      "        spans.push([{name: f.label, xAxis: f.startMs, label: label}, {xAxis: f.endMs}]);",
      "      } else {",
      "        instants.push({name: f.label, xAxis: f.startMs});",
      "      }",
      "    });",
      "    return [{name: 'faults', type: 'line', data: [], symbol: 'none',",
      "             itemStyle: {color: '#495057'}, lineStyle: {color: '#495057'},",
      "             markArea: {silent: true, itemStyle: {color: 'rgba(52,58,64,0.10)'},",
      "               label: {color: '#343a40', position: 'insideTop'}, data: spans},",
      "             markLine: {silent: true, symbol: 'none',",
      "               lineStyle: {color: '#495057', type: 'dashed', width: 1.5},",
      "               label: {formatter: '{b}', color: '#343a40', position: 'insideEndTop'},",
      "               data: instants}}];",
      "  }",
      "  function bands() { return attackBand().concat(faultBands()); }",
      "  if (D.states) {",
      "    // Stacked by hand: ECharts' own 'stack' would add up the x values (ms) of a value/value",
      "    // chart, not the counts. Each point is [ms, top of this layer, endpoints in this state];",
      "    // the layers are drawn top first, so each lower one covers the rest of the one above.",
      "    var base = D.states.length ? D.states[0].data.map(function () { return 0; }) : [];",
      "    var layers = D.states.map(function (s) {",
      "      return {name: s.name, type: 'line', step: 'end', symbol: 'none', areaStyle: {opacity: 1},",
      "              lineStyle: {width: 1}, data: s.data.map(function (p, i) {",
      "                base[i] += p[1];",
      "                return [p[0], base[i], p[1]];",
      "              })};",
      "    });",
      "    layers.forEach(function (l, i) { l.z = 2 + layers.length - i; });",
      "    chart('chart-states', {",
      "      tooltip: {trigger: 'axis', formatter: function (ps) {",
      "        if (!ps.length) return '';",
      "        return ps[0].data[0] + ' ms<br/>' + ps.map(function (p) {",
      "          return p.marker + p.seriesName + ': ' + p.data[2];",
      "        }).join('<br/>');",
      "      }},",
      "      legend: {top: 0}, grid: {top: 40, left: 60, right: 30, bottom: 60},",
      "      dataZoom: zoom,",
      "      xAxis: {type: 'value', name: 'ms', nameLocation: 'end', min: 'dataMin', max: 'dataMax'},",
      "      yAxis: {type: 'value', name: 'endpoints', minInterval: 1},",
      "      series: layers.concat(bands())",
      "    });",
      "    var selected = {};",
      "    D.activity.forEach(function (s) { selected[s.name] = s.shown; });",
      "    chart('chart-activity', {",
      "      tooltip: {trigger: 'axis'}, legend: {top: 0, selected: selected},",
      "      grid: {top: 40, left: 60, right: 30, bottom: 60}, dataZoom: zoom,",
      "      xAxis: {type: 'value', name: 'ms', min: 'dataMin', max: 'dataMax'},",
      "      yAxis: {type: 'value', name: 'segments per ' + D.intervalMs + ' ms', minInterval: 1},",
      "      series: D.activity.map(function (s) {",
      "        return {name: s.name, type: 'line', step: 'end', symbol: 'none', data: s.data};",
      "      }).concat(bands())",
      "    });",
      "  }",
      "  if (D.attack) {",
      "    // Half-open entries against the backlog's size (left axis), SYNs turned away or answered",
      "    // with a cookie per interval (right axis).",
      "    var A = D.attack;",
      "    var x0 = A.halfOpen.length ? A.halfOpen[0][0] : 0;",
      "    var x1 = A.halfOpen.length ? A.halfOpen[A.halfOpen.length - 1][0] : 0;",
      "    var top = Math.max(1, A.backlog.value);",
      "    var series = [{name: 'half-open (SYN-RECEIVED)', type: 'line', step: 'end', symbol: 'none',",
      "                   areaStyle: {opacity: 0.25}, itemStyle: {color: '#1971c2'}, data: A.halfOpen},",
      "                  {name: 'SYN backlog ' + A.backlog.name + ' (' + A.backlog.value + ')',",
      "                   type: 'line', symbol: 'none', itemStyle: {color: '#c92a2a'},",
      "                   lineStyle: {type: 'dashed', width: 2},",
      "                   data: [[x0, A.backlog.value], [x1, A.backlog.value]]}];",
      "    series.push({name: 'SYNs dropped (backlog full)', type: 'line', step: 'end', symbol: 'none',",
      "                 yAxisIndex: 1, itemStyle: {color: '#f08c00'}, data: A.synDropped});",
      "    if (A.cookiesSent) {",
      "      series.push({name: 'SYN cookies sent', type: 'line', step: 'end', symbol: 'none',",
      "                   yAxisIndex: 1, itemStyle: {color: '#2f9e44'}, data: A.cookiesSent});",
      "    }",
      "    chart('chart-halfopen', {",
      "      tooltip: {trigger: 'axis'}, legend: {top: 0},",
      "      grid: {top: 40, left: 60, right: 80, bottom: 60}, dataZoom: zoom,",
      "      xAxis: {type: 'value', name: 'ms', nameLocation: 'middle', nameGap: 22,",
      "              min: 'dataMin', max: 'dataMax'},",
      "      yAxis: [{type: 'value', name: 'half-open', minInterval: 1,",
      "               max: function (v) { return Math.ceil(Math.max(v.max, top) * 1.1); }},",
      "              {type: 'value', name: 'SYNs per ' + D.intervalMs + ' ms', minInterval: 1,",
      "               splitLine: {show: false}}],",
      "      series: series.concat(bands())",
      "    });",
      "  }",
      "  function cdf(id, name, data) {",
      "    chart(id, {",
      "      title: {text: name + (data.length ? '' : ' (no data)'), left: 'center', textStyle: {fontSize: 13}},",
      "      tooltip: {trigger: 'axis'}, grid: {top: 40, left: 60, right: 30, bottom: 40},",
      "      xAxis: {type: 'value', name: 'ms', min: 0, max: function (v) {",
      "        return v.max > 0 ? v.max * 1.05 : 1; // room to see the last step",
      "      }},",
      "      yAxis: {type: 'value', min: 0, max: 1, name: 'fraction'},",
      "      series: [{name: name, type: 'line', step: 'end', symbol: 'none', data: data}]",
      "    });",
      "  }",
      "  cdf('chart-handshake', 'Handshake time', D.handshake);",
      "  cdf('chart-lifecycle', 'Lifecycle time', D.lifecycle);",
      "})();",
      "");
}
