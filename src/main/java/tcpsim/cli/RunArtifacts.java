package tcpsim.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tcpsim.report.AtomicFiles;
import tcpsim.report.HtmlReport;
import tcpsim.report.PcapWriter;
import tcpsim.report.RunResult;
import tcpsim.report.SequenceSample;
import tcpsim.report.TimelineSink;
import tcpsim.report.TraceSink;
import tcpsim.scenario.Scenario;

/**
 * The per-run files beside report.json: timeline.csv (endpoints per state, segments, drops and
 * retransmissions per interval of simulated time) and report.html (charts and the sequence
 * diagram of connection 0), and with {@code --pcap} trace.pcap. Fresh for every run: the sinks
 * hold the run's state.
 */
final class RunArtifacts implements AutoCloseable {
  private final TimelineSink timeline = TimelineSink.adaptive();
  private final SequenceSample sample = new SequenceSample();
  private final PcapWriter pcap;
  private final Path pcapTemp;
  private final Path pcapFile;

  RunArtifacts() {
    this.pcap = null;
    this.pcapTemp = null;
    this.pcapFile = null;
  }

  /**
   * Also capture connections 0..{@code pcapConnections}-1 as {@code dir/trace.pcap} (written to
   * a temporary file during the run, renamed into place by {@link #write}).
   */
  RunArtifacts(Path dir, int pcapConnections) throws IOException {
    Files.createDirectories(dir);
    this.pcapFile = dir.resolve("trace.pcap");
    this.pcapTemp = AtomicFiles.createTemp(dir, ".pcap");
    this.pcap = new PcapWriter(pcapTemp, conn -> conn >= 0 && conn < pcapConnections);
  }

  /**
   * The artifacts of one run: with a pcap of the first {@code cliPcap} connections if the
   * command line says {@code --pcap}, else of the scenario's {@code pcap:} sample, else none.
   */
  static RunArtifacts forRun(Path dir, Integer cliPcap, Scenario scenario) throws IOException {
    int n = cliPcap != null ? cliPcap : scenario.pcap();
    return n > 0 ? new RunArtifacts(dir, n) : new RunArtifacts();
  }

  /** Feed this the run's trace. */
  TraceSink sink() {
    return e -> {
      timeline.accept(e);
      sample.accept(e);
      if (pcap != null) pcap.accept(e);
    };
  }

  @Override
  public void close() throws IOException {
    if (pcap != null) {
      pcap.close();
      Files.deleteIfExists(pcapTemp);
    }
  }

  /** Write timeline.csv and report.html into {@code dir}, each atomically. */
  void write(RunResult r, List<Map<String, Object>> checks, Path dir) throws IOException {
    if (pcap != null) {
      pcap.close();
      AtomicFiles.moveIntoPlace(pcapTemp, pcapFile);
    }
    AtomicFiles.write(dir.resolve("timeline.csv"), timeline.csv());
    List<String[]> expectations = new ArrayList<>();
    for (Map<String, Object> c : checks) {
      expectations.add(new String[] {String.valueOf(c.get("expect")),
          Boolean.TRUE.equals(c.get("passed")) ? "pass" : "fail", String.valueOf(c.get("detail"))});
    }
    HtmlReport.write(r, timeline, sample, expectations, dir.resolve("report.html"));
  }
}
