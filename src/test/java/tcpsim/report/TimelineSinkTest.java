package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import tcpsim.tcp.TcpState;

class TimelineSinkTest {
  static final long MS = 1_000_000L;

  @Test
  void csv_hasTheHeader_andBalances() {
    HtmlReportTest.Run run = HtmlReportTest.storyRun();
    RunStats stats = run.result().stats();
    String csv = run.timeline().csv();
    String[] lines = csv.split("\n");
    assertEquals(TimelineSink.CSV_HEADER, lines[0]);
    int est = TimelineSink.STATES.indexOf(TcpState.ESTABLISHED) + 1;
    int tw = TimelineSink.STATES.indexOf(TcpState.TIME_WAIT) + 1;
    int peakEst = 0;
    int peakTw = 0;
    long sent = 0, retx = 0, delivered = 0, dropped = 0;
    String[] last = null;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].split(",");
      assertEquals(16, f.length, lines[i]);
      peakEst = Math.max(peakEst, Integer.parseInt(f[est]));
      peakTw = Math.max(peakTw, Integer.parseInt(f[tw]));
      sent += Long.parseLong(f[10]);
      retx += Long.parseLong(f[11]);
      delivered += Long.parseLong(f[12]);
      dropped += Long.parseLong(f[13]);
      last = f;
    }
    // Per 64 ms interval the two ESTABLISHED endpoints (1030..1050 ms) are not seen at once;
    // the exact peak is kept separately.
    assertTrue(peakEst <= stats.statePeak(TcpState.ESTABLISHED));
    assertEquals(stats.statePeak(TcpState.ESTABLISHED), run.timeline().peak(TcpState.ESTABLISHED));
    assertEquals(stats.statePeak(TcpState.TIME_WAIT), peakTw);
    assertEquals(stats.sent(), sent);
    assertEquals(stats.retransmitted(), retx);
    assertEquals(stats.delivered(), delivered);
    assertEquals(stats.dropped(), dropped);
    for (int c = 1; c <= 9; c++) assertEquals("0", last[c], "all closed at the end: " + csv);
    // 61 s at 1000 intervals at most: the interval grew from 1 ms to 64 ms; the quiet TIME-WAIT
    // costs two rows, not hundreds.
    assertEquals(64 * MS, run.timeline().intervalNs());
    assertTrue(lines.length < 10, csv);
  }

  @Test
  void rowTimes_stayWithinTheRun() {
    HtmlReportTest.Run run = HtmlReportTest.storyRun();
    long end = run.result().simulatedNs(); // 61075 ms
    List<TimelineSink.Row> rows = run.timeline().rows();
    // Starts are ns since the run's start, ascending; every active interval starts by the end,
    // the quiet follower of the last one at most one interval later.
    for (int i = 1; i < rows.size(); i++) {
      assertTrue(rows.get(i).startNs() > rows.get(i - 1).startNs(), "ascending");
    }
    assertTrue(rows.get(rows.size() - 2).startNs() <= end);
    assertTrue(rows.get(rows.size() - 1).startNs() <= end + run.timeline().intervalNs());
    // The chart's rows stop at the run's end.
    List<TimelineSink.Row> shown = run.timeline().rows(end);
    assertEquals(rows.size(), shown.size());
    assertTrue(shown.get(shown.size() - 1).startNs() <= end, "last row start <= simulated end");
    assertTrue(shown.get(shown.size() - 1).startNs() > 60_000 * MS, "the TIME-WAIT is in it");
    for (TimelineSink.Row r : shown) assertTrue(r.startNs() >= 0 && r.startNs() <= end);
  }

  @Test
  void fineIntervals_showTheExactPeaks() {
    TimelineSink t = new TimelineSink(MS, 1_000_000);
    RunStats stats = new RunStats(1, 1);
    for (TraceEvent e : new HtmlReportTest.Story().build()) {
      t.accept(e);
      stats.accept(e);
    }
    for (TcpState s : TimelineSink.STATES) {
      int csvPeak = t.rows().stream().mapToInt(r -> r.count(s)).max().orElse(0);
      assertEquals(stats.statePeak(s), csvPeak, s.name());
    }
    assertEquals(2, stats.statePeak(TcpState.ESTABLISHED));
  }

  @Test
  void coarsening_preservesSums_andEndCounts() {
    TimelineSink fine = new TimelineSink(MS, 1_000_000);
    TimelineSink coarse = new TimelineSink(MS, 10);
    for (int i = 0; i < 100; i++) {
      TraceEvent open = TraceEvent.state(i * MS, 0, i, i, 0, 1000 + i, 1, 80,
          TcpState.CLOSED, TcpState.SYN_SENT);
      TraceEvent est = TraceEvent.state(i * MS + MS / 2, 0, i, i, 0, 1000 + i, 1, 80,
          TcpState.SYN_SENT, TcpState.ESTABLISHED);
      for (TraceEvent e : List.of(open, est)) {
        fine.accept(e);
        coarse.accept(e);
      }
    }
    assertEquals(16 * MS, coarse.intervalNs());
    List<TimelineSink.Row> rows = coarse.rows();
    assertEquals(100, rows.get(rows.size() - 1).count(TcpState.ESTABLISHED));
    assertEquals(100, coarse.peak(TcpState.ESTABLISHED));
    assertEquals(1, coarse.peak(TcpState.SYN_SENT));
    // The row starting at 16 ms ends at 32 ms: 32 connections established by then.
    TimelineSink.Row r16 = rows.stream().filter(r -> r.startNs() == 16 * MS).findFirst().orElseThrow();
    assertEquals(32, r16.count(TcpState.ESTABLISHED));
    assertTrue(Arrays.stream(r16.states()).sum() >= 32);
  }

  @Test
  void quietStretch_isOneCarriedRow() {
    TimelineSink t = new TimelineSink(MS);
    t.accept(TraceEvent.state(0, 0, 0, 0, 0, 1, 1, 80, TcpState.CLOSED, TcpState.SYN_SENT));
    t.accept(TraceEvent.state(500 * MS, 0, 1, 0, 0, 1, 1, 80, TcpState.SYN_SENT, TcpState.CLOSED));
    String[] lines = t.csv().split("\n");
    assertEquals(List.of(TimelineSink.CSV_HEADER,
        "0,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
        "1,1,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
        "500,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0",
        "501,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0"), List.of(lines));
  }

  @Test
  void forDuration_picksARoundInterval() {
    assertEquals(200 * MS, TimelineSink.forDuration(60_000 * MS).intervalNs());
    assertEquals(100_000, TimelineSink.forDuration(30 * MS).intervalNs());
  }
}
