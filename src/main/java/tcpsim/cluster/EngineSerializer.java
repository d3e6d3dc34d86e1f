package tcpsim.cluster;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tcpsim.engine.Coordinator;
import tcpsim.engine.HostMsg;
import tcpsim.engine.HostReply;
import tcpsim.engine.RunCollector;
import tcpsim.net.NetworkStats;
import tcpsim.report.DropReason;
import tcpsim.report.TraceEvent;
import tcpsim.tcp.Arrival;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.ListenerStats;
import tcpsim.tcp.Outbox;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpOptions;
import tcpsim.tcp.TcpState;

/**
 * A compact binary serializer for everything that crosses between cluster nodes: a window's
 * arrivals for a host, the host's answer (segments, trace events, results), and run preparation.
 * Fixed field layouts in a {@link DataOutputStream}: a segment is 51 bytes, a trace event 62, plus
 * its TCP options when it has any (1 to 12 more bytes), no field names, no reflection — a window
 * of a large run carries hundreds of thousands of them.
 */
public final class EngineSerializer extends SerializerWithStringManifest {
  private static final int IDENTIFIER = 7_311_001;
  private static final String WINDOW = "W";
  private static final String FINISH = "F";
  private static final String HOST_DONE = "D";
  private static final String HOST_FINISHED = "X";
  private static final String HOST_FAILED = "E";
  private static final String PREPARE = "P";
  private static final String PREPARED = "A";
  private static final String END_RUN = "R";
  private static final String RUN_HOSTS = "H";
  private static final String FINISH_HOSTS = "Z";
  private static final String NODE_BATCH = "B";
  private static final String BEGIN = "G";
  private static final String TRACE_BATCH = "T";
  private static final String FINISHED = "N";
  private static final String FAILED = "L";

  private final ActorRefResolver refs;

  public EngineSerializer(ExtendedActorSystem system) {
    this.refs = ActorRefResolver.get(Adapter.toTyped(system));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof HostMsg.Window) return WINDOW;
    if (o instanceof HostMsg.Finish) return FINISH;
    if (o instanceof HostReply.HostDone) return HOST_DONE;
    if (o instanceof HostReply.HostFinished) return HOST_FINISHED;
    if (o instanceof HostReply.HostFailed) return HOST_FAILED;
    if (o instanceof NodeAgent.PrepareRun) return PREPARE;
    if (o instanceof NodeAgent.Prepared) return PREPARED;
    if (o instanceof NodeAgent.EndRun) return END_RUN;
    if (o instanceof NodeRun.RunHosts) return RUN_HOSTS;
    if (o instanceof NodeRun.FinishHosts) return FINISH_HOSTS;
    if (o instanceof NodeRun.NodeBatch) return NODE_BATCH;
    if (o instanceof Coordinator.Begin) return BEGIN;
    if (o instanceof RunCollector.TraceBatch) return TRACE_BATCH;
    if (o instanceof RunCollector.Finished) return FINISHED;
    if (o instanceof RunCollector.Failed) return FAILED;
    throw new IllegalArgumentException("tcpsim cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      write(o, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return read(manifest, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void write(Object o, DataOutputStream out) throws IOException {
    if (o instanceof HostMsg.Window w) {
      out.writeLong(w.start());
      out.writeLong(w.end());
      writeArrivals(w.arrivals(), out);
      writeRef(w.replyTo(), out);
    } else if (o instanceof NodeRun.RunHosts r) {
      out.writeLong(r.start());
      out.writeLong(r.end());
      out.writeInt(r.windows().size());
      for (NodeRun.HostWindow w : r.windows()) {
        out.writeInt(w.host());
        writeArrivals(w.arrivals(), out);
      }
      writeRef(r.replyTo(), out);
    } else if (o instanceof NodeRun.FinishHosts f) {
      out.writeLong(f.now());
      out.writeInt(f.hosts().size());
      for (int h : f.hosts()) out.writeInt(h);
      writeRef(f.replyTo(), out);
    } else if (o instanceof NodeRun.NodeBatch b) {
      out.writeInt(b.replies().size());
      for (HostReply reply : b.replies()) {
        out.writeUTF(manifest(reply));
        write(reply, out);
      }
    } else if (o instanceof HostMsg.Finish f) {
      out.writeLong(f.now());
      writeRef(f.replyTo(), out);
    } else if (o instanceof HostReply.HostDone d) {
      out.writeInt(d.host());
      writeOutbox(d.out(), out);
      out.writeLong(d.nextTimer());
      out.writeUTF(d.node());
    } else if (o instanceof HostReply.HostFinished f) {
      out.writeInt(f.host());
      writeOutbox(f.out(), out);
      out.writeInt(f.listeners().size());
      for (ListenerStats l : f.listeners()) writeListener(l, out);
      out.writeUTF(f.node());
      out.writeLong(f.nodeHeapPeak());
    } else if (o instanceof HostReply.HostFailed f) {
      out.writeInt(f.host());
      out.writeUTF(f.message());
    } else if (o instanceof Coordinator.Begin b) {
      out.writeInt(b.nodes().size());
      for (NodeAgent.Prepared p : b.nodes()) write(p, out);
      writeRef(b.collector(), out);
    } else if (o instanceof RunCollector.TraceBatch t) {
      writeOutbox(t.out(), out);
      out.writeLong(t.windows());
    } else if (o instanceof RunCollector.Finished f) {
      out.writeLong(f.endTime());
      out.writeLong(f.windows());
      out.writeLong(f.inFlight());
      out.writeInt(f.listeners().size());
      for (ListenerStats l : f.listeners()) writeListener(l, out);
      out.writeBoolean(f.cutByDuration());
      out.writeInt(f.hostNodes().size());
      for (String n : f.hostNodes()) writeNullableString(n, out);
      out.writeInt(f.nodeHeapPeaks().size());
      for (var e : f.nodeHeapPeaks().entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(f.faultCounts().size());
      for (NetworkStats.FaultCounts c : f.faultCounts()) writeFaultCounts(c, out);
    } else if (o instanceof RunCollector.Failed f) {
      out.writeUTF(f.message() == null ? "" : f.message());
    } else if (o instanceof NodeAgent.PrepareRun p) {
      out.writeUTF(p.runId());
      writeSource(p.source(), out);
      writeRef(p.replyTo(), out);
    } else if (o instanceof NodeAgent.Prepared p) {
      out.writeUTF(p.runId());
      out.writeUTF(p.node());
      out.writeBoolean(p.run() != null);
      if (p.run() != null) writeRef(p.run(), out);
      writeNullableString(p.error(), out);
    } else if (o instanceof NodeAgent.EndRun e) {
      out.writeUTF(e.runId());
    } else {
      throw new IllegalArgumentException("tcpsim cannot serialize " + o.getClass());
    }
  }

  private Object read(String manifest, DataInputStream in) throws IOException {
    return switch (manifest) {
      case WINDOW -> new HostMsg.Window(in.readLong(), in.readLong(), readArrivals(in),
          readRef(in));
      case RUN_HOSTS -> {
        long start = in.readLong();
        long end = in.readLong();
        int n = in.readInt();
        List<NodeRun.HostWindow> windows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) windows.add(new NodeRun.HostWindow(in.readInt(), readArrivals(in)));
        yield new NodeRun.RunHosts(start, end, windows, readRef(in));
      }
      case FINISH_HOSTS -> {
        long now = in.readLong();
        int n = in.readInt();
        List<Integer> hosts = new ArrayList<>(n);
        for (int i = 0; i < n; i++) hosts.add(in.readInt());
        yield new NodeRun.FinishHosts(now, hosts, readRef(in));
      }
      case NODE_BATCH -> {
        int n = in.readInt();
        List<HostReply> replies = new ArrayList<>(n);
        for (int i = 0; i < n; i++) replies.add((HostReply) read(in.readUTF(), in));
        yield new NodeRun.NodeBatch(replies);
      }
      case FINISH -> new HostMsg.Finish(in.readLong(), readRef(in));
      case HOST_DONE -> new HostReply.HostDone(in.readInt(), readOutbox(in), in.readLong(),
          in.readUTF());
      case HOST_FINISHED -> {
        int host = in.readInt();
        Outbox out = readOutbox(in);
        int n = in.readInt();
        List<ListenerStats> listeners = new ArrayList<>(n);
        for (int i = 0; i < n; i++) listeners.add(readListener(in));
        yield new HostReply.HostFinished(host, out, listeners, in.readUTF(), in.readLong());
      }
      case HOST_FAILED -> new HostReply.HostFailed(in.readInt(), in.readUTF());
      case BEGIN -> {
        int n = in.readInt();
        List<NodeAgent.Prepared> nodes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) nodes.add((NodeAgent.Prepared) read(PREPARED, in));
        yield new Coordinator.Begin(nodes, readRef(in));
      }
      case TRACE_BATCH -> new RunCollector.TraceBatch(readOutbox(in), in.readLong());
      case FINISHED -> {
        long end = in.readLong();
        long windows = in.readLong();
        long inFlight = in.readLong();
        int n = in.readInt();
        List<ListenerStats> listeners = new ArrayList<>(n);
        for (int i = 0; i < n; i++) listeners.add(readListener(in));
        boolean cut = in.readBoolean();
        int h = in.readInt();
        List<String> hostNodes = new ArrayList<>(h);
        for (int i = 0; i < h; i++) hostNodes.add(readNullableString(in));
        int k = in.readInt();
        java.util.Map<String, Long> heaps = new java.util.TreeMap<>();
        for (int i = 0; i < k; i++) heaps.put(in.readUTF(), in.readLong());
        int f = in.readInt();
        List<NetworkStats.FaultCounts> faults = new ArrayList<>(f);
        for (int i = 0; i < f; i++) faults.add(readFaultCounts(in));
        yield new RunCollector.Finished(end, windows, inFlight, listeners, cut, hostNodes, heaps,
            faults);
      }
      case FAILED -> new RunCollector.Failed(in.readUTF());
      case PREPARE -> new NodeAgent.PrepareRun(in.readUTF(), readSource(in), readRef(in));
      case PREPARED -> {
        String runId = in.readUTF();
        String node = in.readUTF();
        ActorRef<NodeRun.Msg> run = in.readBoolean() ? readRef(in) : null;
        yield new NodeAgent.Prepared(runId, node, run, readNullableString(in));
      }
      case END_RUN -> new NodeAgent.EndRun(in.readUTF());
      default -> throw new NotSerializableException("unknown tcpsim manifest " + manifest);
    };
  }

  // ------------------------------------------------------------------ parts

  private static void writeArrivals(List<Arrival> arrivals, DataOutputStream out)
      throws IOException {
    out.writeInt(arrivals.size());
    for (Arrival a : arrivals) {
      out.writeLong(a.time());
      writeSegment(a.segment(), out);
      out.writeInt(a.copy());
      out.writeBoolean(a.corrupt());
    }
  }

  private static List<Arrival> readArrivals(DataInputStream in) throws IOException {
    int n = in.readInt();
    List<Arrival> arrivals = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      arrivals.add(new Arrival(in.readLong(), readSegment(in), in.readInt(), in.readBoolean()));
    }
    return arrivals;
  }

  private static void writeSegment(Segment s, DataOutputStream out) throws IOException {
    out.writeInt(s.srcHost());
    out.writeShort(s.srcPort());
    out.writeInt(s.dstHost());
    out.writeShort(s.dstPort());
    out.writeInt(s.seq());
    out.writeInt(s.ack());
    out.writeByte(s.flags());
    out.writeInt(s.window());
    out.writeInt(s.len());
    out.writeBoolean(s.retransmit());
    out.writeInt(s.conn());
    out.writeLong(s.origin());
    out.writeInt(s.emitIndex());
    out.writeLong(s.sentAt());
    writeOptions(s.options(), out);
  }

  private static Segment readSegment(DataInputStream in) throws IOException {
    return new Segment(in.readInt(), in.readUnsignedShort(), in.readInt(),
        in.readUnsignedShort(), in.readInt(), in.readInt(), in.readUnsignedByte(), in.readInt(),
        in.readInt(), in.readBoolean(), in.readInt(), in.readLong(), in.readInt(), in.readLong(),
        readOptions(in));
  }

  private static final int OPT_MSS = 1;
  private static final int OPT_SACK = 2;
  private static final int OPT_TS = 4;
  private static final int OPT_WSCALE = 8;

  /** One byte saying which options follow (0: none), then each present one's value. */
  private static void writeOptions(TcpOptions o, DataOutputStream out) throws IOException {
    if (o == null) {
      out.writeByte(0);
      return;
    }
    out.writeByte((o.hasMss() ? OPT_MSS : 0) | (o.sackPermitted() ? OPT_SACK : 0)
        | (o.hasTimestamps() ? OPT_TS : 0) | (o.hasWscale() ? OPT_WSCALE : 0));
    if (o.hasMss()) out.writeShort(o.mss());
    if (o.hasTimestamps()) {
      out.writeInt(o.tsVal());
      out.writeInt(o.tsEcr());
    }
    if (o.hasWscale()) out.writeByte(o.wscale());
  }

  private static TcpOptions readOptions(DataInputStream in) throws IOException {
    int present = in.readUnsignedByte();
    if (present == 0) return null;
    int mss = (present & OPT_MSS) != 0 ? in.readUnsignedShort() : TcpOptions.NO_MSS;
    boolean ts = (present & OPT_TS) != 0;
    int tsVal = ts ? in.readInt() : 0;
    int tsEcr = ts ? in.readInt() : 0;
    int wscale = (present & OPT_WSCALE) != 0 ? in.readUnsignedByte() : TcpOptions.NO_WSCALE;
    return TcpOptions.of(mss, (present & OPT_SACK) != 0, ts, tsVal, tsEcr, wscale);
  }

  private static void writeOutbox(Outbox o, DataOutputStream out) throws IOException {
    out.writeInt(o.segments.size());
    for (Segment s : o.segments) writeSegment(s, out);
    out.writeInt(o.trace.size());
    for (TraceEvent e : o.trace) writeEvent(e, out);
    out.writeInt(o.results.size());
    for (EndpointResult r : o.results) {
      out.writeInt(r.conn());
      out.writeBoolean(r.client());
      out.writeByte(r.outcome().ordinal());
      out.writeLong(r.openedAt());
      out.writeLong(r.establishedAt());
      out.writeLong(r.endedAt());
    }
  }

  private static Outbox readOutbox(DataInputStream in) throws IOException {
    Outbox o = new Outbox();
    int n = in.readInt();
    for (int i = 0; i < n; i++) o.segments.add(readSegment(in));
    n = in.readInt();
    for (int i = 0; i < n; i++) o.trace.add(readEvent(in));
    n = in.readInt();
    Outcome[] outcomes = Outcome.values();
    for (int i = 0; i < n; i++) {
      o.results.add(new EndpointResult(in.readInt(), in.readBoolean(),
          outcomes[in.readUnsignedByte()], in.readLong(), in.readLong(), in.readLong()));
    }
    return o;
  }

  private static void writeEvent(TraceEvent e, DataOutputStream out) throws IOException {
    out.writeLong(e.t());
    out.writeLong(e.origin());
    out.writeInt(e.index());
    out.writeByte(e.sub());
    out.writeByte(e.kind().ordinal());
    out.writeInt(e.conn());
    out.writeInt(e.srcHost());
    out.writeShort(e.srcPort());
    out.writeInt(e.dstHost());
    out.writeShort(e.dstPort());
    out.writeByte(e.flags());
    out.writeInt(e.seq());
    out.writeInt(e.ack());
    out.writeInt(e.len());
    out.writeBoolean(e.retransmit());
    out.writeByte(e.reason() == null ? -1 : e.reason().ordinal());
    out.writeByte(e.from() == null ? -1 : e.from().ordinal());
    out.writeByte(e.to() == null ? -1 : e.to().ordinal());
    out.writeInt(e.window());
    writeOptions(e.options(), out);
  }

  private static TraceEvent readEvent(DataInputStream in) throws IOException {
    long t = in.readLong();
    long origin = in.readLong();
    int index = in.readInt();
    int sub = in.readUnsignedByte();
    TraceEvent.Kind kind = TraceEvent.Kind.values()[in.readUnsignedByte()];
    int conn = in.readInt();
    int srcHost = in.readInt();
    int srcPort = in.readUnsignedShort();
    int dstHost = in.readInt();
    int dstPort = in.readUnsignedShort();
    int flags = in.readUnsignedByte();
    int seq = in.readInt();
    int ack = in.readInt();
    int len = in.readInt();
    boolean retransmit = in.readBoolean();
    int reason = in.readByte();
    int from = in.readByte();
    int to = in.readByte();
    int window = in.readInt();
    TcpOptions options = readOptions(in);
    return new TraceEvent(t, origin, index, sub, kind, conn, srcHost, srcPort, dstHost, dstPort,
        flags, seq, ack, len, retransmit, reason < 0 ? null : DropReason.values()[reason],
        from < 0 ? null : TcpState.values()[from], to < 0 ? null : TcpState.values()[to], window,
        options);
  }

  private static void writeListener(ListenerStats l, DataOutputStream out) throws IOException {
    out.writeInt(l.host);
    out.writeInt(l.port);
    out.writeInt(l.synBacklogPeak);
    out.writeLong(l.synDropped);
    out.writeInt(l.acceptQueue);
    out.writeInt(l.acceptQueuePeak);
    out.writeLong(l.accepted);
    out.writeLong(l.synAckRetransmits);
    out.writeLong(l.resetsSent);
    out.writeLong(l.cookiesSent);
    out.writeLong(l.cookiesAccepted);
    out.writeLong(l.cookiesRejected);
    out.writeLong(l.listenDrops);
    out.writeLong(l.listenOverflows);
  }

  private static ListenerStats readListener(DataInputStream in) throws IOException {
    ListenerStats l = new ListenerStats(in.readInt(), in.readInt());
    l.synBacklogPeak = in.readInt();
    l.synDropped = in.readLong();
    l.acceptQueue = in.readInt();
    l.acceptQueuePeak = in.readInt();
    l.accepted = in.readLong();
    l.synAckRetransmits = in.readLong();
    l.resetsSent = in.readLong();
    l.cookiesSent = in.readLong();
    l.cookiesAccepted = in.readLong();
    l.cookiesRejected = in.readLong();
    l.listenDrops = in.readLong();
    l.listenOverflows = in.readLong();
    return l;
  }

  private static void writeFaultCounts(NetworkStats.FaultCounts c, DataOutputStream out)
      throws IOException {
    out.writeLong(c.matched());
    out.writeLong(c.dropped());
    out.writeLong(c.delayed());
    out.writeLong(c.duplicated());
    out.writeLong(c.corrupted());
    out.writeLong(c.resetsInjected());
  }

  private static NetworkStats.FaultCounts readFaultCounts(DataInputStream in) throws IOException {
    return new NetworkStats.FaultCounts(in.readLong(), in.readLong(), in.readLong(), in.readLong(),
        in.readLong(), in.readLong());
  }

  private static void writeSource(ScenarioSource source, DataOutputStream out) throws IOException {
    if (source instanceof ScenarioSource.Yaml y) {
      out.writeByte(1);
      writeLongString(y.text(), out);
      out.writeUTF(y.file());
      out.writeBoolean(y.seed() != null);
      if (y.seed() != null) out.writeLong(y.seed());
    } else if (source instanceof ScenarioSource.SweepVariant v) {
      out.writeByte(3);
      writeLongString(v.text(), out);
      out.writeUTF(v.file());
      out.writeUTF(v.variant());
    } else if (source instanceof ScenarioSource.Bench b) {
      out.writeByte(2);
      out.writeInt(b.connections());
      out.writeLong(b.seed());
    } else {
      throw new NotSerializableException(
          "a scenario built in code cannot be sent to another node; run it from a YAML file");
    }
  }

  private static ScenarioSource readSource(DataInputStream in) throws IOException {
    int kind = in.readUnsignedByte();
    if (kind == 1) {
      String text = readLongString(in);
      String file = in.readUTF();
      Long seed = in.readBoolean() ? in.readLong() : null;
      return new ScenarioSource.Yaml(text, file, seed);
    }
    if (kind == 2) return new ScenarioSource.Bench(in.readInt(), in.readLong());
    if (kind == 3) {
      return new ScenarioSource.SweepVariant(readLongString(in), in.readUTF(), in.readUTF());
    }
    throw new NotSerializableException("unknown scenario source " + kind);
  }

  /** writeUTF stops at 64 KiB; a scenario file may be longer. */
  private static void writeLongString(String s, DataOutputStream out) throws IOException {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static String readLongString(DataInputStream in) throws IOException {
    byte[] b = new byte[in.readInt()];
    in.readFully(b);
    return new String(b, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void writeNullableString(String s, DataOutputStream out) throws IOException {
    out.writeBoolean(s != null);
    if (s != null) out.writeUTF(s);
  }

  private static String readNullableString(DataInputStream in) throws IOException {
    return in.readBoolean() ? in.readUTF() : null;
  }

  private void writeRef(ActorRef<?> ref, DataOutputStream out) throws IOException {
    out.writeUTF(refs.toSerializationFormat(ref));
  }

  private <T> ActorRef<T> readRef(DataInputStream in) throws IOException {
    return refs.resolveActorRef(in.readUTF());
  }
}
