package tcpsim.cluster;

import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import java.util.ArrayList;
import java.util.List;
import tcpsim.engine.HostMsg;
import tcpsim.engine.HostReply;
import tcpsim.tcp.Arrival;

/**
 * One node's part of one run: it receives the windows of all hosts living on this node in one
 * message per time window, hands each to its host entity (a local delivery), gathers the hosts'
 * answers and sends them back to the run's scheduler in one message. So segments between nodes
 * travel batched per destination node per window, in both directions.
 */
public final class NodeRun {
  private NodeRun() {}

  public sealed interface Msg extends ClusterMessage {}

  /** One host's share of a window. */
  public record HostWindow(int host, List<Arrival> arrivals) {}

  /** Run the window [start, end) on these hosts; answer one {@link NodeBatch}. */
  public record RunHosts(long start, long end, List<HostWindow> windows,
      ActorRef<NodeBatch> replyTo) implements Msg {}

  /** The run is over at {@code now}: finish these hosts; answer one {@link NodeBatch}. */
  public record FinishHosts(long now, List<Integer> hosts, ActorRef<NodeBatch> replyTo)
      implements Msg {}

  /** The answers of all hosts of one {@link RunHosts} or {@link FinishHosts}. */
  public record NodeBatch(List<HostReply> replies) implements ClusterMessage {}

  private record FromHost(HostReply reply) implements Msg {}

  static Behavior<Msg> create(String runId) {
    return Behaviors.setup(ctx -> {
      ActorRef<HostReply> adapter = ctx.messageAdapter(HostReply.class, FromHost::new);
      return idle(ctx.getSystem(), runId, adapter);
    });
  }

  private static Behavior<Msg> idle(ActorSystem<?> system, String runId,
      ActorRef<HostReply> adapter) {
    return Behaviors.receive(Msg.class)
        .onMessage(RunHosts.class, m -> {
          for (HostWindow w : m.windows()) {
            HostSharding.host(system, runId, w.host())
                .tell(new HostMsg.Window(m.start(), m.end(), w.arrivals(), adapter));
          }
          return collecting(system, runId, adapter, m.windows().size(), new ArrayList<>(),
              m.replyTo());
        })
        .onMessage(FinishHosts.class, m -> {
          for (int host : m.hosts()) {
            HostSharding.host(system, runId, host)
                .tell(new HostMsg.Finish(m.now(), adapter));
          }
          return collecting(system, runId, adapter, m.hosts().size(), new ArrayList<>(),
              m.replyTo());
        })
        .build();
  }

  private static Behavior<Msg> collecting(ActorSystem<?> system, String runId,
      ActorRef<HostReply> adapter, int pending, List<HostReply> replies,
      ActorRef<NodeBatch> replyTo) {
    if (pending == 0) {
      replyTo.tell(new NodeBatch(replies));
      return idle(system, runId, adapter);
    }
    return Behaviors.receive(Msg.class)
        .onMessage(FromHost.class, m -> {
          replies.add(m.reply());
          return collecting(system, runId, adapter, pending - 1, replies, replyTo);
        })
        .build();
  }
}
