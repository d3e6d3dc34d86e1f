package tcpsim.engine;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.typed.Cluster;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.function.Supplier;
import tcpsim.cluster.HeapWatch;
import tcpsim.net.RandomStream;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.ClosedPort;
import tcpsim.tcp.EndpointMsg;
import tcpsim.tcp.Endpoints;
import tcpsim.tcp.Listener;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Segment;
import tcpsim.tcp.Tcb;
import tcpsim.tcp.TcpParams;
import tcpsim.net.FaultSchedule;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Outcome;
import tcpsim.workload.SynFlood;
import tcpsim.workload.Workload;

/**
 * One simulated host: the parent of its endpoint actors, owner of its listeners, and the place
 * where arriving segments are matched to sockets (RFC 9293 §3.10.7: connection, else listener,
 * else a reset from a closed port).
 *
 * <p>Everything that happens inside a host without network delay — a SYN creating a half-open
 * entry, an ACK turning it into an endpoint, a connect — is done here, in time order, within the
 * window. Each endpoint then gets its whole share of the window in one message and answers once;
 * when all have answered, the host answers its scheduler.
 */
public final class HostActor extends AbstractBehavior<HostMsg> {
  private static final int FIRST_EPHEMERAL_PORT = 32768; // Linux ip_local_port_range
  private static final int LAST_EPHEMERAL_PORT = 60999;
  private static final long ISS_STREAM = 0x4953_53L; // "ISS"

  private final int host;
  private final String hostName;
  /** The cluster node this host lives on. */
  private final String node;
  private final TcpParams params;
  private final Workload workload;
  private final long seed;
  private final long hostOrigin;
  private final TreeMap<Integer, Listener> listeners = new TreeMap<>();
  private final int[] clientConns;
  private int nextClient;
  /** SYN floods sent from this host, and the index of each one's next SYN. */
  private final SynFlood[] floods;
  private final long[] nextFloodSyn;
  /** A host flooding from its own address ignores the SYN-ACKs instead of resetting them. */
  private final boolean ignoresUnexpected;
  /** When this host is down (crash faults), in time order; which comes next; whether down now. */
  private final List<FaultSchedule.Interval> crashes;
  private int crashIndex;
  private boolean down;
  /** Endpoints the crash at the start of this window takes away, told after the host events. */
  private final List<ActorRef<EndpointMsg>> crashing = new ArrayList<>();
  private long crashedAt;
  private int nextEphemeral = FIRST_EPHEMERAL_PORT;
  private int hostIndex;

  // endpoint slots
  private final LongIntMap connections = new LongIntMap();
  @SuppressWarnings("unchecked")
  private ActorRef<EndpointMsg>[] refs = new ActorRef[16];
  private long[] slotKey = new long[16];
  private long[] slotTimer = new long[16];
  private boolean[] active = new boolean[16];
  /** Arrivals for each slot in the window being built (null when none). */
  @SuppressWarnings("unchecked")
  private List<Arrival>[] batchOf = new List[16];
  private int slotCount;
  private final ArrayList<Integer> freeSlots = new ArrayList<>();
  /** Set by {@link #nextFloodSynAt}: the flood whose SYN is next, or -1. */
  private int dueFlood = -1;
  private final TimerHeap endpointTimers = new TimerHeap();
  private final ActorRef<EndpointMsg.EndpointDone> doneAdapter;

  // the window in progress
  private ActorRef<HostReply> replyTo;
  private boolean finishing;
  private Outbox windowOut;
  private int pending;

  /** Host {@code host} of a scenario, as the sharded entity factory creates it on any node. */
  public static Behavior<HostMsg> create(int host, Scenario scenario, Workload workload) {
    List<Scenario.ListenerSpec> ports = scenario.listeners().stream()
        .filter(l -> l.host() == host).toList();
    Scenario.HostSpec spec = scenario.hosts().get(host);
    List<FaultSchedule.Interval> crashes = scenario.faultSchedule().crashesOf(host);
    return Behaviors.setup(ctx -> new HostActor(ctx, host, spec.name(), spec.tcp(), ports,
        workload, scenario.seed(), crashes));
  }

  private HostActor(ActorContext<HostMsg> ctx, int host, String hostName, TcpParams params,
      List<Scenario.ListenerSpec> listenPorts, Workload workload, long seed,
      List<FaultSchedule.Interval> crashes) {
    super(ctx);
    this.crashes = crashes;
    this.host = host;
    this.hostName = hostName;
    this.node = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.params = params;
    this.workload = workload;
    this.seed = seed;
    this.hostOrigin = Long.MIN_VALUE + host;
    this.clientConns = workload.connectionsOf(host);
    this.floods = workload.floodsFrom(host).toArray(new SynFlood[0]);
    this.nextFloodSyn = new long[floods.length];
    this.ignoresUnexpected = workload.ignoresUnexpectedSegments(host);
    for (Scenario.ListenerSpec l : listenPorts) {
      TcpParams listenParams = l.backlog() > 0 ? params.withListenBacklog(l.backlog()) : params;
      listeners.put(l.port(), new Listener(host, l.port(), listenParams, this::iss,
          this::tsOffset));
    }
    this.doneAdapter = ctx.messageAdapter(EndpointMsg.EndpointDone.class, HostMsg.FromEndpoint::new);
  }

  /** The ISS of an endpoint, from its own stream (seed, endpoint id): RFC 9293 §3.4.1 asks
   * for unpredictable ISNs; here they are also reproducible. */
  private int iss(long origin) {
    return (int) new RandomStream(seed, RandomStream.mix(ISS_STREAM, origin)).nextLong();
  }

  /**
   * The number an endpoint's timestamp offset is made of (profile: linux, RFC 7323 §5.4; Linux
   * draws ISN and offset together in secure_tcp_seq_and_ts_off): the second value of the stream
   * whose first is its ISS.
   */
  private int tsOffset(long origin) {
    RandomStream r = new RandomStream(seed, RandomStream.mix(ISS_STREAM, origin));
    r.nextLong();
    return (int) r.nextLong();
  }

  /**
   * The earliest thing this host has to do: a connect, a flood SYN, a listener timer, an
   * endpoint timer.
   */
  long nextTimer() {
    long t = nextClient < clientConns.length ? workload.startAt(clientConns[nextClient]) : Tcb.NEVER_TIME;
    t = Math.min(t, nextFloodSynAt());
    t = Math.min(t, nextCrashBoundary());
    for (Listener l : listeners.values()) t = Math.min(t, l.nextTimer());
    return Math.min(t, peekEndpointTimer());
  }

  /** When this host next goes down, or, while down, when it comes back. */
  private long nextCrashBoundary() {
    if (crashIndex >= crashes.size()) return Tcb.NEVER_TIME;
    FaultSchedule.Interval c = crashes.get(crashIndex);
    return down ? c.until() : c.at();
  }

  /** When the next flood SYN of this host goes out, and {@code dueFlood} is whose it is. */
  private long nextFloodSynAt() {
    long t = Tcb.NEVER_TIME;
    dueFlood = -1;
    for (int f = 0; f < floods.length; f++) {
      long at = floods[f].sendTime(nextFloodSyn[f]);
      if (at < t) {
        t = at;
        dueFlood = f;
      }
    }
    return t;
  }

  private long peekEndpointTimer() {
    while (!endpointTimers.isEmpty()) {
      int slot = endpointTimers.peekId();
      if (refs[slot] != null && slotTimer[slot] == endpointTimers.peekTime()) {
        return endpointTimers.peekTime();
      }
      endpointTimers.pop(); // stale: rescheduled or gone
    }
    return Tcb.NEVER_TIME;
  }

  @Override
  public Receive<HostMsg> createReceive() {
    return newReceiveBuilder()
        .onMessage(HostMsg.Window.class, m -> guarded(() -> onWindow(m)))
        .onMessage(HostMsg.FromEndpoint.class, m -> guarded(() -> onEndpointDone(m.done())))
        .onMessage(HostMsg.Finish.class, m -> guarded(() -> onFinish(m)))
        .build();
  }

  /**
   * A host that cannot go on tells its scheduler why and stops: the scheduler may be on another
   * node, where a crash here would only show as silence.
   */
  private Behavior<HostMsg> guarded(Supplier<Behavior<HostMsg>> step) {
    try {
      return step.get();
    } catch (RuntimeException e) {
      String why = e instanceof SimulationException ? e.getMessage() : "host " + hostName
          + " failed: " + e;
      if (replyTo != null) replyTo.tell(new HostReply.HostFailed(host, why));
      return Behaviors.stopped();
    }
  }

  // ------------------------------------------------------------------ one window

  private Behavior<HostMsg> onWindow(HostMsg.Window w) {
    windowOut = new Outbox();
    replyTo = w.replyTo();
    List<Integer> activated = new ArrayList<>();
    List<Arrival> arrivals = w.arrivals();
    int i = 0;
    while (true) {
      // Host events due at or before the next arrival come first (a timer due at the same
      // instant as an arrival fires first, as inside endpoints).
      long limit = i < arrivals.size() ? arrivals.get(i).time() + 1 : w.end();
      fireHostEventsBefore(limit, activated);
      if (i >= arrivals.size()) break;
      deliver(arrivals.get(i++), activated);
    }
    while (peekEndpointTimer() < w.end()) {
      activate(endpointTimers.peekId(), activated);
      endpointTimers.pop();
    }
    pending = activated.size() + crashing.size();
    for (ActorRef<EndpointMsg> endpoint : crashing) {
      endpoint.tell(new EndpointMsg.Crash(crashedAt, doneAdapter));
    }
    crashing.clear();
    for (int slot : activated) {
      List<Arrival> batch = batchOf[slot];
      batchOf[slot] = null;
      refs[slot].tell(new EndpointMsg.RunWindow(w.end(), batch == null ? List.of() : batch,
          doneAdapter));
    }
    if (pending == 0) replyWindow();
    return this;
  }

  private void fireHostEventsBefore(long limit, List<Integer> activated) {
    while (true) {
      long connectAt = nextClient < clientConns.length
          ? workload.startAt(clientConns[nextClient]) : Tcb.NEVER_TIME;
      Listener due = null;
      long listenerAt = Tcb.NEVER_TIME;
      for (Listener l : listeners.values()) {
        long t = l.nextTimer();
        if (t < listenerAt) {
          listenerAt = t;
          due = l;
        }
      }
      long floodAt = nextFloodSynAt();
      long crashAt = nextCrashBoundary();
      if (Math.min(Math.min(connectAt, listenerAt), Math.min(floodAt, crashAt)) >= limit) return;
      // At equal times: a crash or restart, connects, listener timers, flood SYNs (fixed order).
      if (crashAt <= connectAt && crashAt <= listenerAt && crashAt <= floodAt) {
        if (down) restart(); else crash(crashAt);
      } else if (connectAt <= listenerAt && connectAt <= floodAt) {
        connect(clientConns[nextClient++], connectAt, activated);
      } else if (listenerAt <= floodAt) {
        due.fireTimer(listenerAt, windowOut);
      } else if (down) {
        nextFloodSyn[dueFlood]++; // a crashed attacker sends nothing
      } else {
        floods[dueFlood].emit(nextFloodSyn[dueFlood]++, windowOut);
      }
    }
  }

  /**
   * The host crashes (a crash fault; the engine starts a window at every crash time, so this is
   * the window's first event): every endpoint and half-open entry vanishes without a word, and
   * until the restart nothing arrives and nothing is sent.
   */
  private void crash(long now) {
    down = true;
    crashedAt = now;
    for (Listener l : listeners.values()) l.crash(now, windowOut);
    for (int slot = 0; slot < slotCount; slot++) {
      if (refs[slot] == null) continue;
      crashing.add(refs[slot]);
      slotTimer[slot] = Tcb.NEVER_TIME; // its timers die with it
    }
  }

  /**
   * The host is back with fresh state: no connections (a peer's segment for an old one now
   * gets an RST, RFC 9293 §3.10.7.1), its listeners open again, ports counted from the start.
   */
  private void restart() {
    down = false;
    crashIndex++;
    nextEphemeral = FIRST_EPHEMERAL_PORT;
  }

  /** The application calls connect(): a new client endpoint, CLOSED until its OPEN fires. */
  private void connect(int conn, long at, List<Integer> activated) {
    if (down) { // the application is down with its host: the connection never starts
      windowOut.results.add(new EndpointResult(conn, true, Outcome.CRASHED, at, -1, at));
      return;
    }
    var group = workload.group(conn);
    int localPort = allocateEphemeralPort(group.toHost(), group.toPort());
    long origin = (long) conn << 1;
    Tcb tcb = new Tcb(conn, true, origin, host, localPort, group.toHost(), group.toPort(), params,
        workload.clientApp(conn));
    tcb.iss = iss(origin);
    tcb.setTsOffset(tsOffset(origin));
    int slot = spawn(Endpoints.activeOpen(tcb, at), tcb);
    activate(slot, activated);
  }

  private int allocateEphemeralPort(int remoteHost, int remotePort) {
    for (int tries = 0; tries <= LAST_EPHEMERAL_PORT - FIRST_EPHEMERAL_PORT; tries++) {
      int port = nextEphemeral;
      nextEphemeral = port == LAST_EPHEMERAL_PORT ? FIRST_EPHEMERAL_PORT : port + 1;
      if (!connections.containsKey(connKey(port, remoteHost, remotePort))) return port;
    }
    throw new SimulationException(String.format(
        "host %s ran out of ephemeral ports: all %d ports (%d-%d) towards %s:%d are in use "
            + "or in TIME-WAIT; spread the connections over more client hosts or over time",
        hostName, LAST_EPHEMERAL_PORT - FIRST_EPHEMERAL_PORT + 1, FIRST_EPHEMERAL_PORT,
        LAST_EPHEMERAL_PORT, workload.hostName(remoteHost), remotePort));
  }

  /** Match an arriving segment to a socket (RFC 9293 §3.10.7). */
  private void deliver(Arrival a, List<Integer> activated) {
    Segment s = a.segment();
    if (down) { // sent before the crash, arriving while the host is down: nobody receives it
      windowOut.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, a.time(), hostOrigin,
          hostIndex++, 0, s, DropReason.HOST_DOWN));
      return;
    }
    if (a.corrupt()) {
      windowOut.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, a.time(), hostOrigin,
          hostIndex++, 0, s, DropReason.CHECKSUM));
      return;
    }
    int slot = connections.get(connKey(s.dstPort(), s.srcHost(), s.srcPort()));
    if (slot != LongIntMap.MISSING) {
      addToBatch(slot, a);
      activate(slot, activated);
      return;
    }
    Listener listener = listeners.get(s.dstPort());
    if (listener != null) {
      Listener.Handoff handoff =
          listener.onSegment(s, a.time(), windowOut, workload.serverApp(s.conn()));
      if (handoff != null) {
        int newSlot = spawn(Endpoints.passiveOpen(handoff.tcb()), handoff.tcb());
        addToBatch(newSlot, a);
        activate(newSlot, activated);
      }
      return;
    }
    if (ignoresUnexpected) { // a flooding host: the SYN-ACKs its SYNs provoke go unanswered
      windowOut.trace.add(TraceEvent.segment(TraceEvent.Kind.DROP, a.time(), hostOrigin,
          hostIndex++, 0, s, DropReason.IGNORED));
      return;
    }
    windowOut.trace.add(TraceEvent.segment(TraceEvent.Kind.RECV, a.time(), hostOrigin,
        hostIndex++, 0, s, null));
    hostIndex = ClosedPort.answer(windowOut, a.time(), hostOrigin, hostIndex, s);
  }

  private int spawn(Behavior<EndpointMsg> behavior, Tcb tcb) {
    int slot = freeSlots.isEmpty() ? slotCount++ : freeSlots.remove(freeSlots.size() - 1);
    if (slot >= refs.length) {
      int n = refs.length * 2;
      refs = Arrays.copyOf(refs, n);
      slotKey = Arrays.copyOf(slotKey, n);
      slotTimer = Arrays.copyOf(slotTimer, n);
      active = Arrays.copyOf(active, n);
      batchOf = Arrays.copyOf(batchOf, n);
    }
    tcb.slot = slot;
    long key = connKey(tcb.localPort, tcb.remoteHost, tcb.remotePort);
    refs[slot] = getContext().spawnAnonymous(behavior);
    slotKey[slot] = key;
    slotTimer[slot] = Tcb.NEVER_TIME;
    connections.put(key, slot);
    return slot;
  }

  private void addToBatch(int slot, Arrival a) {
    List<Arrival> batch = batchOf[slot];
    if (batch == null) batchOf[slot] = batch = new ArrayList<>(4);
    batch.add(a);
  }

  private void activate(int slot, List<Integer> activated) {
    if (!active[slot]) {
      active[slot] = true;
      activated.add(slot);
    }
  }

  private Behavior<HostMsg> onEndpointDone(EndpointMsg.EndpointDone done) {
    if (done.failure() != null) {
      throw new SimulationException("an endpoint on host " + hostName + " failed: "
          + done.failure(), done.failure());
    }
    int slot = done.slot();
    windowOut.addAll(done.out());
    active[slot] = false;
    if (done.closed()) {
      connections.remove(slotKey[slot]);
      refs[slot] = null;
      freeSlots.add(slot);
    } else if (done.nextTimer() != slotTimer[slot]) {
      slotTimer[slot] = done.nextTimer();
      if (done.nextTimer() != Tcb.NEVER_TIME) endpointTimers.push(done.nextTimer(), slot);
    }
    if (--pending == 0) {
      if (finishing) return replyFinish();
      replyWindow();
    }
    return this;
  }

  private void replyWindow() {
    Outbox out = windowOut;
    windowOut = null;
    replyTo.tell(new HostReply.HostDone(host, out, nextTimer(), node));
  }

  // ------------------------------------------------------------------ end of run

  private Behavior<HostMsg> onFinish(HostMsg.Finish f) {
    replyTo = f.replyTo();
    finishing = true;
    windowOut = new Outbox();
    for (Listener l : listeners.values()) l.finish(f.now(), windowOut);
    pending = 0;
    for (int slot = 0; slot < slotCount; slot++) {
      if (refs[slot] != null) {
        pending++;
        refs[slot].tell(new EndpointMsg.Finish(f.now(), doneAdapter));
      }
    }
    if (pending == 0) return replyFinish();
    return this;
  }

  private Behavior<HostMsg> replyFinish() {
    List<ListenerStats> stats = listeners.values().stream().map(Listener::stats).toList();
    replyTo.tell(new HostReply.HostFinished(host, windowOut, stats, node,
        HeapWatch.peakLiveBytes()));
    return Behaviors.stopped(); // the run is over; the entity goes with it
  }

  /** The key of a connection on this host: local port, remote host, remote port. */
  private static long connKey(int localPort, int remoteHost, int remotePort) {
    return ((long) localPort << 48) | ((long) remoteHost << 16) | remotePort;
  }
}
