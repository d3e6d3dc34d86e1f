package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.report.PcapReader;

/** The commands as a user meets them: exit codes, files written, messages. */
class CommandLineTest {
  @TempDir Path dir;

  private static CliRunner.Outcome execute(String... args) {
    return CliRunner.execute(args);
  }

  @Test
  void run_writesReportJson_withTheRequiredFields() throws Exception {
    CliRunner.Outcome o = execute("run", "scenarios/handshake.yaml", "--out", dir.toString(), "--seed", "9");
    assertEquals(0, o.code(), o.err());
    JsonNode report = new ObjectMapper().readTree(dir.resolve("handshake/report.json").toFile());
    assertEquals("handshake", report.get("scenario").asText());
    assertEquals(9, report.get("seed").asLong());
    for (String key : new String[] {"simulatedNs", "wallMs", "connections", "outcomes", "segments",
        "dropsByReason", "handshakeMs", "lifecycleMs", "statePeaks", "traceDigest"}) {
      assertTrue(report.has(key), key);
    }
    assertEquals(1, report.get("connections").get("closed").asLong());
    assertEquals(12, report.get("segments").get("sent").asLong());
    assertEquals(64, report.get("traceDigest").asText().length());
    assertTrue(o.out().contains("handshake (seed 9)"), o.out());
  }

  @Test
  void pcapKeyInTheScenario_capturesItsSample_andPcapOnTheCommandLineOverridesIt()
      throws Exception {
    Path file = dir.resolve("two.yaml");
    Files.writeString(file, """
        name: two
        pcap: 1
        hosts: [{name: client}, {name: server}]
        listeners: [{host: server, port: 80}]
        clients: [{from: client, to: server:80, count: 2, every: 1s}]
        """);
    CliRunner.Outcome o = execute("run", file.toString(), "--out", dir.toString(), "--quiet");
    assertEquals(0, o.code(), o.err());
    java.util.Set<Integer> ports = new java.util.TreeSet<>();
    for (PcapReader.Packet p : PcapReader.read(dir.resolve("two/trace.pcap")).packets()) {
      ports.add(p.srcPort() == 80 ? p.dstPort() : p.srcPort());
    }
    assertEquals(1, ports.size(), "one connection (one client port) captured: " + ports);

    o = execute("run", file.toString(), "--out", dir.toString(), "--quiet", "--pcap", "2");
    assertEquals(0, o.code(), o.err());
    ports.clear();
    for (PcapReader.Packet p : PcapReader.read(dir.resolve("two/trace.pcap")).packets()) {
      ports.add(p.srcPort() == 80 ? p.dstPort() : p.srcPort());
    }
    assertEquals(2, ports.size(), "both connections captured: " + ports);
  }

  @Test
  void badScenario_exitsWith2_namesFileLineAndKey_andKeepsExistingReports() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: bad\nhosts:\n  - name: a\n    tcp: {msl: -3s}\n");
    Path existing = dir.resolve("out/bad/report.json");
    Files.createDirectories(existing.getParent());
    Files.writeString(existing, "{\"kept\": true}\n");
    CliRunner.Outcome o = execute("run", bad.toString(), "--out", dir.resolve("out").toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains(bad + ":4:"), o.err());
    assertTrue(o.err().contains("msl"), o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    assertEquals("{\"kept\": true}\n", Files.readString(existing));
  }

  @Test
  void emptyFile_binaryFile_andYamlThatIsNotAScenario_eachExitWith2() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "");
    Path binary = Files.write(dir.resolve("binary.yaml"), new byte[] {0, 1, 2, (byte) 0xff, 0x7f});
    Path list = Files.writeString(dir.resolve("list.yaml"), "- just\n- a list\n");
    for (Path p : new Path[] {empty, binary, list}) {
      CliRunner.Outcome o = execute("validate", p.toString());
      assertEquals(2, o.code(), p + ": " + o.err());
      assertTrue(o.err().contains(p.toString()), o.err());
      assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }
  }

  @Test
  void missingFile_exitsWith2() {
    CliRunner.Outcome o = execute("run", dir.resolve("nope.yaml").toString());
    assertEquals(2, o.code());
    assertTrue(o.err().contains("nope.yaml"), o.err());
  }

  @Test
  void trace_text_tellsTheClassicStory() {
    CliRunner.Outcome o = execute("trace", "scenarios/handshake.yaml");
    assertEquals(0, o.code(), o.err());
    String[] expectedInOrder = {
        "client  send  SYN         seq=x len=0",
        "server  send  SYN,ACK     seq=y ack=x+1 len=0",
        "client  send  ACK         seq=x+1 ack=y+1 len=0",
        "client  send  FIN,ACK     seq=x+101 ack=y+301",
        "server  state ESTABLISHED -> CLOSE_WAIT",
        "server  send  FIN,ACK     seq=y+351 ack=x+102",
        "client  send  ACK         seq=x+102 ack=y+352",
        "client  state TIME_WAIT -> CLOSED"};
    int from = 0;
    for (String line : expectedInOrder) {
      int at = o.out().indexOf(line, from);
      assertTrue(at >= 0, "missing, or out of order: " + line + "\n" + o.out());
      from = at;
    }
  }

  @Test
  void trace_jsonl_hasOneObjectPerEvent_withTheDocumentedFields() throws Exception {
    CliRunner.Outcome o = execute("trace", "scenarios/handshake.yaml", "--format", "jsonl");
    assertEquals(0, o.code(), o.err());
    ObjectMapper json = new ObjectMapper();
    String[] lines = o.out().strip().split("\n");
    assertEquals(35, lines.length);
    JsonNode syn = json.readTree(lines[1]);
    assertEquals("send", syn.get("ev").asText());
    assertEquals("SYN", syn.get("flags").asText());
    assertEquals(0, syn.get("len").asInt());
    assertFalse(syn.get("retransmit").asBoolean());
    assertEquals("client:32768", syn.get("src").asText());
    JsonNode state = json.readTree(lines[0]);
    assertEquals("state", state.get("ev").asText());
    assertEquals("CLOSED", state.get("from").asText());
    assertEquals("SYN_SENT", state.get("to").asText());
    assertEquals("client:32768", state.get("endpoint").asText());
  }

  @Test
  void trace_unknownConnection_exitsWith2() {
    CliRunner.Outcome o = execute("trace", "scenarios/handshake.yaml", "--conn", "5");
    assertEquals(2, o.code());
    assertTrue(o.err().contains("0..0"), o.err());
  }
}
