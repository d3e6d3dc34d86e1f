package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.ChildFailed;
import akka.actor.typed.SupervisorStrategy;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.Consumer;
import java.util.function.Predicate;
import tcpsim.cluster.NodeAgent;
import tcpsim.cluster.NodeRun;
import tcpsim.net.FaultSchedule;
import tcpsim.net.NetworkModel;
import tcpsim.net.NetworkStats;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Segment;
import tcpsim.tcp.Tcb;
import tcpsim.workload.Workload;

/**
 * The event queue of one cluster node: segment arrivals for its hosts, and when each host next
 * needs to run. For every window the coordinator announces, it hands each host the arrivals of
 * the window in canonical order, waits until every host has answered, passes what they sent to
 * the network, queues the resulting arrivals and reports back when it is next busy.
 */
final class NodeScheduler extends AbstractBehavior<NodeScheduler.Msg> {

  sealed interface Msg {}

  /** Report when the node is first busy. */
  record Start(ActorRef<WindowDone> replyTo) implements Msg {}

  /** Run the window [start, end). */
  record RunWindow(long start, long end, ActorRef<WindowDone> replyTo) implements Msg {}

  /** The run ended at {@code now}: collect what is still open and what is still in flight. */
  record FinishRun(long now, ActorRef<RunFinished> replyTo) implements Msg {}

  private record FromNodes(NodeRun.NodeBatch batch) implements Msg {}

  private record FromNetwork(NetworkActor.Transmitted transmitted) implements Msg {}

  /** A window is done on this node: its trace and results, and its next event time. */
  record WindowDone(long nextEventTime, Outbox out) {}

  /**
   * @param hostNodes the cluster node each host lived on, by host index
   * @param faultCounts what each scheduled fault did in the network, by fault index (one entry
   *     per fault of the scenario; empty without faults)
   */
  record RunFinished(Outbox out, long inFlight, List<ListenerStats> listeners,
      List<String> hostNodes, Map<String, Long> nodeHeapPeaks,
      List<NetworkStats.FaultCounts> faultCounts) {}

  /** Each node's part of this run: where the windows of the hosts living there go. */
  private final List<ActorRef<NodeRun.Msg>> nodeRuns;
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  /** The node each host lives on (index into nodeRuns), or -1 until its first answer says. */
  private final int[] nodeOf;
  /** Where hosts of unknown location go: this node's part (sharding forwards them). */
  private final int localNode;
  private final long[] hostWake;
  private final TimerHeap wakeups = new TimerHeap();
  /**
   * Times at which the network acts on its own (a reset fault injects RSTs), ascending: a
   * window must contain each even if no host is busy then. Faults are static, so known upfront.
   */
  private final long[] networkWakes;
  private int nextNetworkWake;
  private long windowStart;
  private long windowEnd;
  private final PriorityQueue<Arrival> arrivals = new PriorityQueue<>(Arrival::compare);
  private final ActorRef<NetworkActor.Msg> network;
  /**
   * The network actor's model, read here only for its fault counters once the run is over:
   * the network has answered its last window by then (that answer's message orders its writes
   * before this read) and gets no further work.
   */
  private final NetworkModel model;
  private final ActorRef<NodeRun.NodeBatch> batchAdapter;
  private final String[] hostNodes;
  private final Map<String, Long> nodeHeapPeaks = new java.util.TreeMap<>();
  private final ActorRef<NetworkActor.Transmitted> networkAdapter;

  private ActorRef<WindowDone> windowReplyTo;
  private ActorRef<RunFinished> finishReplyTo;
  private Outbox windowOut;
  private List<Segment> windowSent;
  private final List<ListenerStats> listenerStats = new ArrayList<>();
  private int pending;
  private final Consumer<Throwable> onFailure;

  /**
   * @param nodes every node's part of the run, which hands windows to the hosts living there
   * @param onFailure told when a host or the network fails: the run cannot finish, and must
   *     not hang waiting for an answer that will never come
   */
  static Behavior<Msg> create(Scenario scenario, Workload workload,
      List<NodeAgent.Prepared> nodes, NetworkModel network, Predicate<Segment> dropRule,
      Consumer<Throwable> onFailure) {
    return Behaviors.setup(ctx ->
        new NodeScheduler(ctx, scenario, workload, nodes, network, dropRule, onFailure));
  }

  private NodeScheduler(ActorContext<Msg> ctx, Scenario scenario, Workload workload,
      List<NodeAgent.Prepared> nodes, NetworkModel model, Predicate<Segment> dropRule,
      Consumer<Throwable> onFailure) {
    super(ctx);
    this.onFailure = onFailure;
    this.nodeRuns = nodes.stream().map(NodeAgent.Prepared::run).toList();
    for (int i = 0; i < nodes.size(); i++) nodeIndex.put(nodes.get(i).node(), i);
    this.localNode = nodeIndex.getOrDefault(
        Cluster.get(ctx.getSystem()).selfMember().address().toString(), 0);
    int hostCount = scenario.hosts().size();
    nodeOf = new int[hostCount];
    Arrays.fill(nodeOf, -1);
    hostWake = new long[hostCount];
    hostNodes = new String[hostCount];
    for (int h = 0; h < hostCount; h++) {
      hostWake[h] = workload.firstEventAt(h);
      for (FaultSchedule.Interval c : scenario.faultSchedule().crashesOf(h)) {
        hostWake[h] = Math.min(hostWake[h], c.at()); // a host idle until it crashes
      }
      if (hostWake[h] != Tcb.NEVER_TIME) wakeups.push(hostWake[h], h);
    }
    networkWakes = model.faults().wakeTimes();
    this.model = model;
    // A failing network stops (and the run fails with its message) without Akka logging a
    // stack trace: the message is for the user, who sees it once, from the command.
    network = ctx.spawn(Behaviors.supervise(NetworkActor.create(model, dropRule, hostCount))
        .onFailure(SupervisorStrategy.stop().withLoggingEnabled(false)), "network");
    ctx.watch(network);
    batchAdapter = ctx.messageAdapter(NodeRun.NodeBatch.class, FromNodes::new);
    networkAdapter = ctx.messageAdapter(NetworkActor.Transmitted.class, FromNetwork::new);
  }

  @Override
  public Receive<Msg> createReceive() {
    return newReceiveBuilder()
        .onMessage(Start.class, m -> {
          m.replyTo().tell(new WindowDone(nextEventTime(), new Outbox()));
          return this;
        })
        .onMessage(RunWindow.class, this::onRunWindow)
        .onMessage(FromNodes.class, m -> onNodeBatch(m.batch()))
        .onMessage(FromNetwork.class, m -> onTransmitted(m.transmitted()))
        .onMessage(FinishRun.class, this::onFinish)
        .onSignal(ChildFailed.class, f -> {
          onFailure.accept(f.cause());
          return Behaviors.stopped();
        })
        .build();
  }

  private long nextEventTime() {
    long next = arrivals.isEmpty() ? Tcb.NEVER_TIME : arrivals.peek().time();
    if (nextNetworkWake < networkWakes.length) next = Math.min(next, networkWakes[nextNetworkWake]);
    return Math.min(next, peekWake());
  }

  private long peekWake() {
    while (!wakeups.isEmpty() && hostWake[wakeups.peekId()] != wakeups.peekTime()) wakeups.pop();
    return wakeups.peekTime();
  }

  private Behavior<Msg> onRunWindow(RunWindow w) {
    windowReplyTo = w.replyTo();
    windowStart = w.start();
    windowEnd = w.end();
    while (nextNetworkWake < networkWakes.length && networkWakes[nextNetworkWake] < w.end()) {
      nextNetworkWake++; // the network handles it when it transmits this window
    }
    windowOut = new Outbox();
    windowSent = new ArrayList<>();
    @SuppressWarnings("unchecked")
    List<Arrival>[] perHost = new List[hostWake.length];
    while (!arrivals.isEmpty() && arrivals.peek().time() < w.end()) {
      Arrival a = arrivals.poll();
      int h = a.segment().dstHost();
      if (perHost[h] == null) perHost[h] = new ArrayList<>();
      perHost[h].add(a);
    }
    while (peekWake() < w.end()) {
      int h = wakeups.peekId();
      wakeups.pop();
      if (perHost[h] == null) perHost[h] = new ArrayList<>();
    }
    // One message per node per window, carrying the windows of all its active hosts.
    List<List<NodeRun.HostWindow>> perNode = new ArrayList<>();
    for (int n = 0; n < nodeRuns.size(); n++) perNode.add(new ArrayList<>());
    for (int h = 0; h < perHost.length; h++) {
      if (perHost[h] != null) perNode.get(nodeFor(h)).add(new NodeRun.HostWindow(h, perHost[h]));
    }
    pending = 0;
    for (int n = 0; n < nodeRuns.size(); n++) {
      if (perNode.get(n).isEmpty()) continue;
      pending++;
      nodeRuns.get(n).tell(new NodeRun.RunHosts(w.start(), w.end(), perNode.get(n),
          batchAdapter));
    }
    if (pending == 0) transmit();
    return this;
  }

  private int nodeFor(int host) {
    return nodeOf[host] >= 0 ? nodeOf[host] : localNode;
  }

  /** One node's answers for the window (or for the end of the run). */
  private Behavior<Msg> onNodeBatch(NodeRun.NodeBatch batch) {
    for (HostReply reply : batch.replies()) {
      if (reply instanceof HostReply.HostFailed failed) {
        onFailure.accept(new SimulationException(failed.message()));
        return Behaviors.stopped();
      }
      if (reply instanceof HostReply.HostFinished finished) {
        onHostFinished(finished);
      } else {
        onHostDone((HostReply.HostDone) reply);
      }
    }
    if (--pending > 0) return this;
    if (finishReplyTo == null) {
      transmit();
      return this;
    }
    listenerStats.sort((a, b) -> a.host != b.host
        ? Integer.compare(a.host, b.host) : Integer.compare(a.port, b.port));
    finishReplyTo.tell(new RunFinished(windowOut, arrivals.size(), listenerStats,
        List.of(hostNodes), nodeHeapPeaks, faultCounts()));
    return Behaviors.stopped(); // the run is over (the hosts stopped after finishing)
  }

  private void onHostDone(HostReply.HostDone done) {
    Integer node = nodeIndex.get(done.node());
    if (node != null) nodeOf[done.host()] = node;
    windowSent.addAll(done.out().segments);
    windowOut.trace.addAll(done.out().trace);
    windowOut.results.addAll(done.out().results);
    int h = done.host();
    if (done.nextTimer() != hostWake[h]) {
      hostWake[h] = done.nextTimer();
      if (done.nextTimer() != Tcb.NEVER_TIME) wakeups.push(done.nextTimer(), h);
    }
  }

  private void transmit() {
    network.tell(new NetworkActor.Transmit(windowSent, windowStart, windowEnd, networkAdapter));
  }

  private Behavior<Msg> onTransmitted(NetworkActor.Transmitted t) {
    arrivals.addAll(t.arrivals());
    windowOut.trace.addAll(t.trace());
    Outbox out = windowOut;
    windowOut = null;
    windowSent = null;
    windowReplyTo.tell(new WindowDone(nextEventTime(), out));
    return this;
  }

  private Behavior<Msg> onFinish(FinishRun f) {
    finishReplyTo = f.replyTo();
    windowOut = new Outbox();
    List<List<Integer>> perNode = new ArrayList<>();
    for (int n = 0; n < nodeRuns.size(); n++) perNode.add(new ArrayList<>());
    for (int h = 0; h < hostWake.length; h++) perNode.get(nodeFor(h)).add(h);
    pending = 0;
    for (int n = 0; n < nodeRuns.size(); n++) {
      if (perNode.get(n).isEmpty()) continue;
      pending++;
      nodeRuns.get(n).tell(new NodeRun.FinishHosts(f.now(), perNode.get(n), batchAdapter));
    }
    if (pending == 0) {
      finishReplyTo.tell(new RunFinished(windowOut, arrivals.size(), listenerStats, List.of(),
          Map.of(), faultCounts()));
      return Behaviors.stopped();
    }
    return this;
  }

  /** A snapshot of what each scheduled fault did in the network (report.json's faults). */
  private List<NetworkStats.FaultCounts> faultCounts() {
    return model.stats().faultCounts(model.faults().size());
  }

  private void onHostFinished(HostReply.HostFinished finished) {
    windowOut.addAll(finished.out());
    listenerStats.addAll(finished.listeners());
    hostNodes[finished.host()] = finished.node();
    nodeHeapPeaks.merge(finished.node(), finished.nodeHeapPeak(), Math::max);
  }
}
