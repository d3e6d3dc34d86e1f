package tcpsim.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetShardRegionState;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tcpsim.cluster.ClusterSystem;
import tcpsim.cluster.HostSharding;

/**
 * A cluster node dies in the middle of a batch's run (docs/cluster.md, "When a node is lost"):
 * that run fails promptly with a message naming the node, the batch goes on with its other runs
 * on the nodes that are left, nothing is written for the failed run, and {@code batch --resume}
 * finishes it later.
 *
 * <p>Three nodes run in this JVM (a, b, c on loopback); the batch command joins them as a fourth
 * through {@code --seed-node}. Node c is stopped abruptly — its actor system ends without leaving
 * the cluster, so the others only learn it is gone from the failure detector, as after a crash.
 * Failure detection and the split brain resolver are shortened for the test (system properties,
 * which the command's own node reads too): 2 s of silence instead of 20 s.
 */
class NodeLossTest {
  /** Shorter failure detection for every node of the test, the batch command's included. */
  private static final Map<String, String> FAST_DETECTION = Map.of(
      "akka.cluster.failure-detector.acceptable-heartbeat-pause", "2s",
      "akka.cluster.split-brain-resolver.stable-after", "2s");

  @TempDir Path dir;
  private final List<ActorSystem<Void>> systems = new java.util.ArrayList<>();

  @AfterEach
  void stopCluster() {
    for (int i = systems.size() - 1; i >= 0; i--) ClusterSystem.terminate(systems.get(i));
    FAST_DETECTION.keySet().forEach(System::clearProperty);
    ConfigFactory.invalidateCaches();
  }

  private static String scenario(String name, int hosts, int count, String spread) {
    StringBuilder b = new StringBuilder("name: " + name + "\nseed: 11\ntcp:\n  profile: linux\n"
        + "hosts:\n");
    StringBuilder from = new StringBuilder();
    for (int h = 1; h <= hosts; h++) {
      b.append("  - name: c").append(h).append('\n');
      from.append(h > 1 ? ", " : "").append('c').append(h);
    }
    return b.append("  - name: server\nlisteners:\n  - host: server\n    port: 80\nclients:\n")
        .append("  - name: web\n    from: [").append(from).append("]\n    to: server:80\n")
        .append("    count: ").append(count).append("\n    spread: ").append(spread).append('\n')
        .append("    clientBytes: 2KiB\n    serverBytes: 16KiB\n    close: client\n")
        .append("network:\n  latency:\n    distribution: uniform\n    min: 1ms\n    max: 2ms\n")
        .append("expect:\n  - connections.closed == ").append(count).append('\n')
        .toString();
  }

  /** The host entities living on {@code system}'s node now. */
  private static int hostEntities(ActorSystem<?> system) throws Exception {
    ShardRegion.CurrentShardRegionState state = AskPattern.<
            akka.cluster.sharding.typed.ClusterShardingQuery, ShardRegion.CurrentShardRegionState>ask(
            ClusterSharding.get(system).shardState(),
            r -> new GetShardRegionState(HostSharding.HOST, r), Duration.ofSeconds(5),
            system.scheduler())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    return state.getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
  }

  private static JsonNode json(Path file) throws Exception {
    return new ObjectMapper().readTree(file.toFile());
  }

  private static JsonNode row(JsonNode summary, String name) {
    for (JsonNode r : summary.get("results")) {
      if (r.get("name").asText().equals(name)) return r;
    }
    throw new AssertionError("no row " + name + " in " + summary);
  }

  @Test
  void nodeLostMidRun_failsThatRunNamingTheNode_batchGoesOn_andResumeFinishesIt()
      throws Exception {
    FAST_DETECTION.forEach(System::setProperty);
    ConfigFactory.invalidateCaches();
    ActorSystem<Void> a = ClusterSystem.startSeed("127.0.0.1", 0, ConfigFactory.empty());
    systems.add(a);
    int seedPort = ClusterSystem.port(a);
    systems.add(ClusterSystem.startNode("127.0.0.1", 0, "127.0.0.1", seedPort,
        Duration.ofSeconds(30), ConfigFactory.empty()));
    // Terminating c's actor system skips coordinated shutdown: c does not leave, it vanishes.
    ActorSystem<Void> c = ClusterSystem.startNode("127.0.0.1", 0, "127.0.0.1", seedPort,
        Duration.ofSeconds(30), ConfigFactory.parseString(
            "akka.coordinated-shutdown.run-by-actor-system-terminate = off"));
    systems.add(c);
    String lost = "127.0.0.1:" + ClusterSystem.port(c);
    assertTrue(ClusterSystem.awaitMembers(a, 3, Duration.ofSeconds(30)), "three members Up");

    Path in = Files.createDirectories(dir.resolve("in"));
    Path out = dir.resolve("out");
    Files.writeString(in.resolve("1-before.yaml"), scenario("before", 3, 20, "100ms"));
    // Long enough (several seconds of wall time on four nodes) to be mid-run when c dies.
    Files.writeString(in.resolve("2-long.yaml"), scenario("long-haul", 6, 1500, "30s"));
    Files.writeString(in.resolve("3-after.yaml"), scenario("after", 3, 20, "100ms"));
    String seed = "127.0.0.1:" + seedPort;

    CompletableFuture<CliRunner.Outcome> batch = CompletableFuture.supplyAsync(() ->
        CliRunner.execute("batch", in.toString(), "--out", out.toString(),
            "--seed-node", seed, "--wait-nodes", "4"));
    // The long run is under way on c once c holds some of its hosts ("before"'s have stopped).
    Path before = out.resolve("before/report.json");
    assertTrue(ClusterSystem.pollUntil(() -> {
      try {
        return Files.exists(before) && hostEntities(c) > 0;
      } catch (Exception e) {
        return false;
      }
    }, Duration.ofSeconds(60)), "the long run started with hosts on node c");
    byte[] beforeReport = Files.readAllBytes(before);
    long killed = System.nanoTime();
    ClusterSystem.terminate(c);
    systems.remove(c);

    // Liveness bound, not a speed measurement: detection takes a few seconds here.
    CliRunner.Outcome o = batch.get(90, TimeUnit.SECONDS);
    System.err.printf("NodeLossTest: node %s stopped; the batch was over %.1f s later%n", lost,
        (System.nanoTime() - killed) / 1e9);
    assertEquals(Main.EXIT_FAILED, o.code(), o.err());
    JsonNode summary = json(out.resolve("summary.json"));
    assertEquals(3, summary.get("runs").asInt());
    assertEquals("passed", row(summary, "before").get("status").asText());
    assertEquals("passed", row(summary, "after").get("status").asText(), "the batch went on");
    JsonNode failed = row(summary, "long-haul");
    assertEquals("error", failed.get("status").asText());
    String reason = failed.get("reason").asText();
    assertTrue(reason.startsWith("run long-haul: cluster node " + lost + " was lost"), reason);
    assertTrue(reason.contains("at simulated time "), reason);
    assertTrue(reason.contains("rerun it, or use batch --resume"), reason);
    assertTrue(Files.readString(out.resolve("summary.csv")).contains(lost), "reason in the csv");
    assertTrue(Files.exists(out.resolve("after/report.json")), "after's report written");
    // Nothing of the failed run was written; what was written before is untouched.
    assertFalse(Files.exists(out.resolve("long-haul/report.json")));
    assertFalse(Files.exists(out.resolve("long-haul/input.sha256")));
    assertTrue(java.util.Arrays.equals(beforeReport, Files.readAllBytes(before)));

    // The rest later, on the nodes that are left: only the failed run is repeated.
    CliRunner.Outcome resumed = CliRunner.execute("batch", in.toString(), "--out",
        out.toString(), "--resume", "--seed-node", seed, "--wait-nodes", "3");
    assertEquals(Main.EXIT_OK, resumed.code(), resumed.err());
    JsonNode again = json(out.resolve("summary.json"));
    assertTrue(row(again, "before").get("resumed").asBoolean());
    assertTrue(row(again, "after").get("resumed").asBoolean());
    assertFalse(row(again, "long-haul").get("resumed").asBoolean());
    assertEquals("passed", row(again, "long-haul").get("status").asText());
    assertTrue(Files.exists(out.resolve("long-haul/report.json")));
  }
}
