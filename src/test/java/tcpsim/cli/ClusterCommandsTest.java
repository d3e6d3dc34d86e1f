package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The multi-node commands as a user runs them: real worker JVMs on loopback, the same result as
 * one node, nothing left running; a worker that cannot join fails with a message.
 */
class ClusterCommandsTest {
  @TempDir Path dir;

  private static JsonNode json(Path file) throws IOException {
    return new ObjectMapper().readTree(file.toFile());
  }

  private static List<ProcessHandle> workerProcesses() {
    return ProcessHandle.current().descendants()
        .filter(p -> p.info().commandLine().orElse("").contains("tcpsim.cli.Main node"))
        .filter(ProcessHandle::isAlive).toList();
  }

  @Test
  void runOnThreeNodes_givesTheSingleNodeDigest_andLeavesNoWorkerBehind() throws Exception {
    CliRunner.Outcome one = CliRunner.execute("run", "scenarios/lossy.yaml", "--out",
        dir.resolve("one").toString());
    assertEquals(0, one.code(), one.err());
    CliRunner.Outcome three = CliRunner.execute("run", "scenarios/lossy.yaml", "--nodes", "3",
        "--out", dir.resolve("three").toString());
    assertEquals(0, three.code(), three.err());
    JsonNode r1 = json(dir.resolve("one/lossy/report.json"));
    JsonNode r3 = json(dir.resolve("three/lossy/report.json"));
    assertEquals(1, r1.get("nodes").asInt());
    assertEquals(3, r3.get("nodes").asInt());
    assertEquals(r1.get("traceDigest").asText(), r3.get("traceDigest").asText());
    assertEquals(r1.get("segments"), r3.get("segments"));
    assertEquals(r1.get("connections"), r3.get("connections"));
    assertEquals(List.of(), workerProcesses(), "worker JVMs still running");
  }

  @Test
  void workerThatCannotReachItsSeed_failsWithAMessage_notAHang() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort(); // free once closed: nobody listens there
    }
    CliRunner.Outcome o = CliRunner.execute("node", "--join", "127.0.0.1:" + closedPort,
        "--join-timeout", "3");
    assertEquals(1, o.code());
    assertTrue(o.err().contains("could not join the cluster through 127.0.0.1:" + closedPort),
        o.err());
  }

  @Test
  void badClusterOptions_exitWith2() {
    assertEquals(2, CliRunner.execute("run", "scenarios/handshake.yaml", "--nodes", "0").code());
    assertEquals(2, CliRunner.execute("node", "--join", "nowhere").code());
  }

  @Test
  void bench_smallRun_hasConsistentFigures() throws Exception {
    CliRunner.Outcome o = CliRunner.execute("bench", "--connections", "3000", "--out",
        dir.resolve("bench").toString());
    assertEquals(0, o.code(), o.err());
    JsonNode bench = json(dir.resolve("bench/bench.json"));
    JsonNode report = json(dir.resolve("bench/report.json"));
    assertEquals(3000, bench.get("connections").asLong());
    assertEquals(3000, bench.get("closed").asLong(), "every connection closed");
    assertEquals(3000, bench.get("peakConcurrentEstablished").asLong(),
        "all connections ESTABLISHED at the same simulated moment");
    JsonNode seg = report.get("segments");
    assertEquals(seg.get("sent").asLong() + seg.get("duplicated").asLong(),
        seg.get("delivered").asLong() + seg.get("dropped").asLong() + seg.get("inFlight").asLong());
    assertEquals(bench.get("segments").asLong(), seg.get("sent").asLong());
    assertEquals(report.get("traceDigest").asText(), bench.get("traceDigest").asText());
    assertTrue(bench.get("peakHeapBytes").asLong() > 0);
    // 1 KiB each way in 1460-byte segments: SYN, SYN-ACK, ACK, 2 data, 2 ACKs, FIN, ACK, FIN, ACK.
    assertEquals(3000L * 10, seg.get("sent").asLong());
  }
}
