package tcpsim.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The batch's overview beside the runs' folders: summary.csv, summary.json and index.html (a
 * sortable table of every run with links to its page; for each file whose runs have SYN floods a
 * side-by-side comparison of its variants before, during and after the attack; and for each
 * sweep a chart of key figures against the swept values). Every file is written atomically.
 */
public final class BatchSummary {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private BatchSummary() {}

  public static void write(List<BatchRow> rows, Path dir) throws IOException {
    Files.createDirectories(dir);
    AtomicFiles.write(dir.resolve("summary.csv"), csv(rows));
    AtomicFiles.write(dir.resolve("summary.json"), json(rows));
    AtomicFiles.write(dir.resolve("index.html"), html(rows, dir));
  }

  static String csv(List<BatchRow> rows) {
    StringBuilder b = new StringBuilder("name,file,status,reason,sweep,seed");
    for (String f : BatchRow.KEY_FIGURES) b.append(',').append(f);
    b.append(",traceDigest\n");
    for (BatchRow r : rows) {
      b.append(csvField(r.name())).append(',').append(csvField(r.file())).append(',')
          .append(r.status()).append(',').append(csvField(r.reason())).append(',')
          .append(csvField(sweepLabel(r))).append(',').append(value(r.figure("seed")));
      for (String f : BatchRow.KEY_FIGURES) b.append(',').append(value(r.figure(f)));
      b.append(',').append(value(r.figure("traceDigest"))).append('\n');
    }
    return b.toString();
  }

  static String json(List<BatchRow> rows) throws IOException {
    List<Map<String, Object>> runs = new ArrayList<>();
    for (BatchRow r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.name());
      m.put("file", r.file());
      m.put("status", r.status());
      m.put("reason", r.reason());
      m.put("resumed", r.resumed());
      m.put("sweep", r.sweep());
      Map<String, Object> figures = new LinkedHashMap<>();
      for (String f : BatchRow.KEY_FIGURES) figures.put(f, r.figure(f));
      figures.put("traceDigest", r.figure("traceDigest"));
      m.put("figures", figures);
      runs.add(m);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("runs", runs.size());
    root.put("passed", rows.stream().filter(BatchRow::ok).count());
    root.put("notPassed", rows.stream().filter(r -> !r.ok()).count());
    root.put("results", runs);
    return JSON.writeValueAsString(root) + "\n";
  }

  static String html(List<BatchRow> rows, Path dir) throws IOException {
    StringBuilder b = new StringBuilder(8192);
    long passed = rows.stream().filter(BatchRow::ok).count();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<title>tcpsim batch</title><style>")
        .append("body{font-family:system-ui,sans-serif;margin:2em;color:#222}")
        .append("table{border-collapse:collapse;font-size:14px}")
        .append("th,td{border:1px solid #ccc;padding:4px 8px;text-align:right}")
        .append("th{background:#f0f0f0;cursor:pointer;position:sticky;top:0}")
        .append("td.l{text-align:left}.passed{background:#e3f6e3}.failed,.error,.invalid")
        .append("{background:#fbe3e3}.chart{width:900px;height:320px;margin:1em 0}")
        .append("table.attack th{cursor:default;position:static}p.note{color:#666;max-width:900px}")
        .append("</style></head><body>\n");
    b.append("<h1>tcpsim batch</h1><p>").append(rows.size()).append(" runs, ").append(passed)
        .append(" passed, ").append(rows.size() - passed).append(" not passed. ")
        .append("Click a column heading to sort.</p>\n");
    b.append("<table id=\"runs\"><thead><tr><th>run</th><th>status</th><th>sweep</th>");
    for (String f : BatchRow.KEY_FIGURES) b.append("<th>").append(escape(f)).append("</th>");
    b.append("<th>why</th></tr></thead><tbody>\n");
    for (BatchRow r : rows) {
      String link = r.name().isEmpty() ? null
          : Files.exists(dir.resolve(r.name()).resolve("report.html"))
              ? r.name() + "/report.html" : r.name() + "/report.json";
      b.append("<tr class=\"").append(r.status()).append("\"><td class=\"l\">");
      String label = r.name().isEmpty() ? r.file() : r.name();
      if (link != null) {
        b.append("<a href=\"").append(escape(link)).append("\">").append(escape(label)).append("</a>");
      } else {
        b.append(escape(label));
      }
      b.append("</td><td class=\"l\">").append(r.status()).append(r.resumed() ? " (resumed)" : "")
          .append("</td><td class=\"l\">").append(escape(sweepLabel(r))).append("</td>");
      for (String f : BatchRow.KEY_FIGURES) {
        b.append("<td>").append(escape(value(r.figure(f)))).append("</td>");
      }
      b.append("<td class=\"l\">").append(escape(r.reason())).append("</td></tr>\n");
    }
    b.append("</tbody></table>\n");
    String attacks = attackComparison(rows, dir);
    String charts = sweepCharts(rows);
    if (!attacks.isEmpty() || !charts.isEmpty()) {
      b.append("<script>").append(echarts()).append("</script>\n");
    }
    if (!attacks.isEmpty()) b.append("<h2>SYN floods: the variants side by side</h2>\n").append(attacks);
    if (!charts.isEmpty()) b.append("<h2>Sweeps</h2>\n").append(charts);
    b.append("<script>").append(SORT_SCRIPT).append("</script>\n</body></html>\n");
    return b.toString();
  }

  private static final String[] PHASES = {"before", "during", "after"};

  /**
   * For each file whose runs have attackers (report.json's {@code attackers}): a grouped bar
   * chart of the legitimate clients' success rate (established / attempted, all client groups
   * together) before, during and after the attack, per variant; and a table per variant of the
   * success rate and handshake p99 during the attack and the attacked listeners' figures.
   */
  private static String attackComparison(List<BatchRow> rows, Path dir) {
    Map<String, List<BatchRow>> byFile = new LinkedHashMap<>();
    for (BatchRow r : rows) {
      if (r.report() != null && r.report().get("attackers") instanceof List<?> a && !a.isEmpty()) {
        byFile.computeIfAbsent(r.file(), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (var e : byFile.entrySet()) {
      List<AttackFigures> figures = e.getValue().stream().map(AttackFigures::of).toList();
      String id = "attack" + (i++);
      b.append("<h3>").append(escape(e.getKey())).append("</h3>\n")
          .append("<p class=\"note\">Legitimate clients' success rate (established / attempted, ")
          .append("%) by when they connected: before, during or after the attack.</p>\n")
          .append("<div id=\"").append(id).append("\" class=\"chart\"></div>\n");
      List<String> labels = new ArrayList<>();
      for (AttackFigures f : figures) labels.add("'" + jsString(f.label()) + "'");
      b.append("<script>echarts.init(document.getElementById('").append(id)
          .append("')).setOption({animation:false,tooltip:{trigger:'axis'},legend:{},")
          .append("xAxis:{type:'category',data:[").append(String.join(",", labels))
          .append("],axisLabel:{rotate:20}},yAxis:{type:'value',name:'success %',min:0,max:100},")
          .append("series:[");
      String[] colors = {"#74c0fc", "#e03131", "#69db7c"};
      for (int p = 0; p < PHASES.length; p++) {
        List<String> data = new ArrayList<>();
        for (AttackFigures f : figures) {
          String pct = f.percent(p);
          data.add(pct.equals("-") ? "null" : pct);
        }
        b.append(p == 0 ? "" : ",").append("{name:'").append(PHASES[p])
            .append("',type:'bar',itemStyle:{color:'").append(colors[p])
            .append("'},label:{show:true,position:'top',formatter:'{c}%'},data:[").append(String.join(",", data))
            .append("]}");
      }
      b.append("]});</script>\n");
      boolean severalGroups = figures.stream().anyMatch(f -> f.groups() > 1);
      b.append("<table class=\"attack\" id=\"").append(id).append("-table\"><thead><tr>")
          .append("<th>variant</th><th>success % during</th><th>handshake p99 during (ms")
          .append(severalGroups ? ", slowest group" : "").append(")</th><th>synBacklogPeak</th>")
          .append("<th>synDropped</th><th>cookiesSent</th></tr></thead><tbody>\n");
      for (int k = 0; k < figures.size(); k++) {
        AttackFigures f = figures.get(k);
        BatchRow r = e.getValue().get(k);
        String link = Files.exists(dir.resolve(r.name()).resolve("report.html"))
            ? r.name() + "/report.html#attack" : r.name() + "/report.json";
        b.append("<tr><td class=\"l\"><a href=\"").append(escape(link)).append("\">")
            .append(escape(f.label())).append("</a></td><td>")
            .append(f.percent(1)).append("</td><td>").append(f.p99During()).append("</td><td>")
            .append(f.synBacklogPeak()).append("</td><td>").append(f.synDropped())
            .append("</td><td>").append(f.cookiesSent()).append("</td></tr>\n");
      }
      b.append("</tbody></table>\n");
      if (figures.stream().anyMatch(f -> f.targets() > 1)) {
        b.append("<p class=\"note\">Several listeners attacked: synBacklogPeak is the largest ")
            .append("of theirs, synDropped and cookiesSent their sums.</p>\n");
      }
    }
    return b.toString();
  }

  /**
   * One run's attack figures for the comparison.
   *
   * @param attempted per phase (before, during, after), all client groups together
   * @param established the same for established connections
   * @param p99During the handshake p99 of the connections opened during the attack, of the
   *     slowest group when there are several; "-" when none got established
   * @param groups how many client groups
   * @param targets how many listeners were attacked
   */
  record AttackFigures(String label, long[] attempted, long[] established, String p99During,
      long synBacklogPeak, long synDropped, long cookiesSent, int groups, int targets) {

    static AttackFigures of(BatchRow r) {
      String label = r.sweep().containsKey("variant") ? r.sweep().get("variant")
          : !r.sweep().isEmpty() ? sweepLabel(r) : r.name();
      long[] attempted = new long[PHASES.length];
      long[] established = new long[PHASES.length];
      Double p99 = null;
      List<?> groups = r.report().get("groups") instanceof List<?> l ? l : List.of();
      for (Object o : groups) {
        Map<?, ?> g = (Map<?, ?>) o;
        for (int p = 0; p < PHASES.length; p++) {
          if (!(g.get(PHASES[p]) instanceof Map<?, ?> ph)) continue;
          attempted[p] += number(ph.get("attempted"));
          established[p] += number(ph.get("established"));
          if (p == 1 && ph.get("handshakeMs") instanceof Map<?, ?> hs && number(hs.get("count")) > 0
              && hs.get("p99") instanceof Number v) {
            p99 = p99 == null ? v.doubleValue() : Math.max(p99, v.doubleValue());
          }
        }
      }
      List<String> targets = new ArrayList<>();
      for (Object a : (List<?>) r.report().get("attackers")) {
        String t = String.valueOf(((Map<?, ?>) a).get("target"));
        if (!targets.contains(t)) targets.add(t);
      }
      long peak = 0;
      long dropped = 0;
      long cookies = 0;
      List<?> listeners = r.report().get("listeners") instanceof List<?> l ? l : List.of();
      for (Object o : listeners) {
        Map<?, ?> m = (Map<?, ?>) o;
        if (!targets.contains(m.get("host") + ":" + m.get("port"))) continue;
        peak = Math.max(peak, number(m.get("synBacklogPeak")));
        dropped += number(m.get("synDropped"));
        cookies += number(m.get("cookiesSent"));
      }
      return new AttackFigures(label, attempted, established,
          p99 == null ? "-" : String.format(java.util.Locale.ROOT, "%.3f", p99), peak, dropped,
          cookies, groups.size(), targets.size());
    }

    /** Success rate in phase {@code p} as "97.5", or "-" when nothing was attempted. */
    String percent(int p) {
      if (attempted[p] == 0) return "-";
      return String.format(java.util.Locale.ROOT, "%.1f", 100.0 * established[p] / attempted[p]);
    }

    private static long number(Object o) {
      return o instanceof Number n ? n.longValue() : 0;
    }
  }

  /** For each file with a sweep: established % and handshake p99 against the variants. */
  private static String sweepCharts(List<BatchRow> rows) {
    Map<String, List<BatchRow>> byFile = new LinkedHashMap<>();
    for (BatchRow r : rows) {
      if (!r.sweep().isEmpty() && r.report() != null) {
        byFile.computeIfAbsent(r.file(), k -> new ArrayList<>()).add(r);
      }
    }
    StringBuilder b = new StringBuilder();
    int i = 0;
    for (var e : byFile.entrySet()) {
      List<String> labels = new ArrayList<>();
      List<String> established = new ArrayList<>();
      List<String> p99 = new ArrayList<>();
      for (BatchRow r : e.getValue()) {
        labels.add("'" + jsString(sweepLabel(r)) + "'");
        Object att = r.figure("connections.attempted");
        Object est = r.figure("connections.established");
        double pct = att instanceof Number a && a.doubleValue() > 0 && est instanceof Number n
            ? 100.0 * n.doubleValue() / a.doubleValue() : 0;
        established.add(String.format(java.util.Locale.ROOT, "%.2f", pct));
        p99.add(value(r.figure("handshakeMs.p99")));
      }
      String id = "sweep" + (i++);
      b.append("<h3>").append(escape(e.getKey())).append("</h3><div id=\"").append(id)
          .append("\" class=\"chart\"></div>\n<script>echarts.init(document.getElementById('")
          .append(id).append("')).setOption({animation:false,tooltip:{trigger:'axis'},legend:{},")
          .append("xAxis:{type:'category',data:[").append(String.join(",", labels))
          .append("],axisLabel:{rotate:20}},yAxis:[{type:'value',name:'established %'},")
          .append("{type:'value',name:'handshake p99 ms'}],series:[")
          .append("{name:'established %',type:'bar',data:[").append(String.join(",", established))
          .append("]},{name:'handshake p99 ms',type:'line',yAxisIndex:1,data:[")
          .append(String.join(",", p99)).append("]}]});</script>\n");
    }
    return b.toString();
  }

  private static String echarts() throws IOException {
    try (InputStream in = BatchSummary.class.getResourceAsStream(
        "/META-INF/resources/webjars/echarts/5.1.2/echarts.min.js")) {
      if (in == null) throw new IOException("the ECharts WebJar is missing from the class path");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).replace("</script", "<\\/script");
    }
  }

  private static final String SORT_SCRIPT =
      "document.querySelectorAll('#runs th').forEach(function(th,col){th.onclick=function(){"
          + "var tb=document.querySelector('#runs tbody');var rows=Array.from(tb.rows);"
          + "var asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';"
          + "rows.sort(function(a,b){var x=a.cells[col].textContent,y=b.cells[col].textContent;"
          + "var nx=parseFloat(x),ny=parseFloat(y);var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:"
          + "x.localeCompare(y);return asc?c:-c;});rows.forEach(function(r){tb.appendChild(r);});};});";

  static String sweepLabel(BatchRow r) {
    StringBuilder b = new StringBuilder();
    r.sweep().forEach((k, v) -> b.append(b.length() == 0 ? "" : " ").append(k).append('=').append(v));
    return b.toString();
  }

  private static String value(Object o) {
    return o == null ? "" : o.toString();
  }

  private static String csvField(String s) {
    if (s == null) return "";
    if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  static String escape(String s) {
    if (s == null) return "";
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\"", "&quot;");
  }

  private static String jsString(String s) {
    return s.replace("\\", "\\\\").replace("'", "\\'").replace("<", "\\u003c");
  }
}
