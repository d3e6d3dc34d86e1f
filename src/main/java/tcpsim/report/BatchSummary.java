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
 * sortable table of every run with links to its page, and for each sweep a chart of key figures
 * against the swept values). Every file is written atomically.
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
    String charts = sweepCharts(rows);
    if (!charts.isEmpty()) {
      b.append("<h2>Sweeps</h2>\n<script>").append(echarts()).append("</script>\n")
          .append(charts);
    }
    b.append("<script>").append(SORT_SCRIPT).append("</script>\n</body></html>\n");
    return b.toString();
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
