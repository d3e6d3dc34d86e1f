package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tcpsim batch`: keeps going past failures, summarises every run, resumes what is done. */
class BatchCommandTest {
  @TempDir Path dir;

  private static String scenario(String name, String expect) {
    return "name: " + name + "\nseed: 3\nhosts:\n  - name: c\n  - name: s\nlisteners:\n"
        + "  - {host: s, port: 80}\nclients:\n  - {from: c, to: 's:80', count: 5, clientBytes: 100, "
        + "serverBytes: 100}\nnetwork:\n  latency: 5ms\n  loss: 0\nexpect:\n  - " + expect + "\n";
  }

  private JsonNode summary(Path out) throws Exception {
    return new ObjectMapper().readTree(out.resolve("summary.json").toFile());
  }

  private static String statusOf(JsonNode summary, String name) {
    for (JsonNode r : summary.get("results")) {
      if (r.get("name").asText().equals(name) || r.get("file").asText().endsWith(name)) {
        return r.get("status").asText();
      }
    }
    return "absent";
  }

  @Test
  void failingAndInvalidScenarios_doNotStopTheOthers_andAreSummarised() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a-good.yaml"), scenario("good", "connections.closed == 5"));
    Files.writeString(in.resolve("b-missed.yaml"), scenario("missed", "connections.closed == 6"));
    Files.writeString(in.resolve("c-invalid.yaml"), scenario("bad", "connections.closed == 5")
        .replace("count: 5", "cuont: 5"));
    Files.writeString(in.resolve("d-sweep.yaml"), scenario("swept", "connections.closed == 5")
        + "sweep:\n  network.loss: [0, 1%]\n");
    Path out = dir.resolve("out");
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString());
    assertEquals(2, o.code(), "an invalid scenario makes the batch exit 2: " + o.err());
    assertTrue(o.err().contains("c-invalid.yaml:"), o.err());
    assertTrue(o.err().contains("did you mean 'count'"), o.err());
    JsonNode s = summary(out);
    assertEquals(5, s.get("runs").asInt());
    assertEquals("passed", statusOf(s, "good"));
    assertEquals("failed", statusOf(s, "missed"));
    assertEquals("invalid", statusOf(s, "c-invalid.yaml"));
    assertEquals("passed", statusOf(s, "swept--network.loss=0"));
    assertEquals("passed", statusOf(s, "swept--network.loss=1_"));
    JsonNode missed = new ObjectMapper().readTree(out.resolve("missed/report.json").toFile());
    assertEquals("failed", missed.get("status").asText());
    assertFalse(missed.get("expectations").get(0).get("passed").asBoolean());
    for (String f : new String[] {"index.html", "summary.csv", "good/report.html",
        "good/timeline.csv"}) {
      assertTrue(Files.exists(out.resolve(f)), f);
    }
    try (Stream<Path> all = Files.walk(out)) {
      assertTrue(all.noneMatch(p -> p.getFileName().toString().startsWith(".tmp-")),
          "no temporary files left behind");
    }
  }

  @Test
  void resume_skipsFinishedRuns_andRerunsChangedOnes() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("one.yaml"), scenario("one", "connections.closed == 5"));
    Files.writeString(in.resolve("two.yaml"), scenario("two", "connections.closed == 5"));
    Path out = dir.resolve("out");
    assertEquals(0, CliRunner.execute("batch", in.toString(), "--out", out.toString()).code());
    Files.writeString(in.resolve("two.yaml"), scenario("two", "connections.closed == 5")
        .replace("seed: 3", "seed: 4"));
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString(),
        "--resume");
    assertEquals(0, o.code(), o.err());
    JsonNode s = summary(out);
    for (JsonNode r : s.get("results")) {
      boolean resumed = r.get("resumed").asBoolean();
      if (r.get("name").asText().equals("one")) assertTrue(resumed, "one is unchanged");
      else assertFalse(resumed, "two changed and must run again");
    }
    JsonNode two = new ObjectMapper().readTree(out.resolve("two/report.json").toFile());
    assertEquals(4, two.get("seed").asLong());
  }

  @Test
  void nextBatch_deletesTemporaryFilesAKilledBatchLeftBehind_andNothingElse() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("one.yaml"), scenario("one", "connections.closed == 5"));
    Files.writeString(in.resolve("two.yaml"), scenario("two", "connections.closed == 5"));
    Path out = dir.resolve("out");
    assertEquals(0, CliRunner.execute("batch", in.toString(), "--out", out.toString()).code());
    // What a SIGKILL during a write leaves: AtomicFiles' temporary files, in a finished run's
    // folder (kept by --resume), in a run's folder and beside the summary.
    Path[] leftovers = {out.resolve("one/.tmp-1.part"), out.resolve("two/.tmp-2.pcap"),
        out.resolve(".tmp-3.part")};
    for (Path p : leftovers) Files.writeString(p, "{\"half\": ");
    Path notOurs = Files.writeString(out.resolve("one/notes.tmp"), "a user's file");
    CliRunner.Outcome o = CliRunner.execute("batch", in.toString(), "--out", out.toString(),
        "--resume");
    assertEquals(0, o.code(), o.err());
    for (Path p : leftovers) assertFalse(Files.exists(p), p + " is deleted");
    assertTrue(Files.exists(notOurs), "files not named like AtomicFiles' temporaries stay");
  }
}
