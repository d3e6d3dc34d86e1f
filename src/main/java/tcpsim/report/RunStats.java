package tcpsim.report;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tcpsim.scenario.Scenario;
import tcpsim.tcp.EndpointResult;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Outcome;
import tcpsim.tcp.TcpState;

/**
 * The figures of a run, built from the canonical trace and the endpoints' results. Segment
 * counts come from the trace itself, so they balance by construction only if every segment is
 * really accounted for: sent + duplicated = delivered + dropped + in flight.
 */
public final class RunStats implements TraceSink {
  /** What a retransmitted segment carried, for report.json's {@code retransmissionsByKind}. */
  public enum SegmentKind {
    /** SYN without ACK. */
    SYN("syn"),
    /** SYN with ACK. */
    SYN_ACK("syn-ack"),
    /** Payload (len &gt; 0), no SYN; a FIN riding on data counts here. */
    DATA("data"),
    /** FIN without payload. */
    FIN("fin"),
    /** RST. */
    RST("rst"),
    /** Anything else: a bare acknowledgement (or window probe without payload). */
    ACK("ack");

    private final String label;

    SegmentKind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    /** The kind of a segment with these flags and this payload length. */
    public static SegmentKind of(int flags, int len) {
      boolean syn = (flags & Flags.SYN) != 0;
      if (syn) return (flags & Flags.ACK) != 0 ? SYN_ACK : SYN;
      if (len > 0) return DATA;
      if ((flags & Flags.FIN) != 0) return FIN;
      if ((flags & Flags.RST) != 0) return RST;
      return ACK;
    }
  }

  /**
   * When a connection was attempted relative to the attack: before its first SYN, while any
   * attacker sends, or after the last one stopped (RFC 4987's question: do legitimate clients
   * still get in?).
   */
  public enum Phase {
    BEFORE("before"), DURING("during"), AFTER("after");

    private final String label;

    Phase(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** One client group's figures for the connections attempted in one phase of the attack. */
  public record PhaseFigures(Phase phase, long attempted, long established, long failed,
      Histogram handshake) {}

  /**
   * One client group's connection figures (same rules as the global ones).
   *
   * @param phases the same figures split by {@link Phase}, in phase order; empty when the run
   *     has no attack
   */
  public record GroupFigures(String name, long attempted, long established,
      Map<Outcome.Category, Long> categories, Histogram handshake, List<PhaseFigures> phases) {}

  private long sent;
  private long delivered;
  private long dropped;
  private long duplicated;
  private long retransmitted;
  private final EnumMap<DropReason, Long> dropsByReason = new EnumMap<>(DropReason.class);
  private final long[] retransmittedByKind = new long[SegmentKind.values().length];
  private final int[] stateCount = new int[TcpState.values().length];
  private final int[] statePeak = new int[TcpState.values().length];
  private long lastEventTime;
  private long establishedConnections;
  private long peakEstablishedConnections;
  private long events;

  private final int connections;
  private final Outcome[] clientOutcome;
  private final Outcome[] serverOutcome;
  private final boolean[] established;
  // Microseconds with four significant digits: 20 ms is recorded exactly, an hour still fits.
  private final Histogram handshake = new Histogram(4);
  private final Histogram lifecycle = new Histogram(4);
  /** Each connection's client group, or null when the groups are not known. */
  private final int[] groupOf;
  private final List<String> groupNames;
  private final Histogram[] groupHandshake;
  /** The attack's span [start, end) in virtual time, or null without attackers. */
  private final long[] attack;
  /** Each connection's phase (ordinal), known once its client reported; null without attack. */
  private final byte[] phaseOf;
  /** Handshake times per group and phase; null without attack. */
  private final Histogram[][] phaseHandshake;
  /** What each scheduled fault did to hosts and connections; null until {@link #trackFaults}. */
  private FaultEffects faultEffects;
  /**
   * When each connection's client and server side ended (the server side: the endpoint whose
   * outcome {@link #connectionOutcome} may take), for {@link #connectionEndedAt}; null until
   * {@link #trackFaults}, so that runs without faults do not pay for them.
   */
  private long[] clientEndedAt;
  private long[] serverEndedAt;

  /** Figures without per-group breakdown ({@link #groups()} is empty). */
  public RunStats(int connections, int listeners) {
    this(connections, listeners, null, List.of());
  }

  /**
   * @param groupOf each connection's client group (index into {@code groupNames}), or null
   * @param groupNames the client groups' names, in scenario order
   */
  public RunStats(int connections, int listeners, int[] groupOf, List<String> groupNames) {
    this(connections, listeners, groupOf, groupNames, null);
  }

  /**
   * @param attack the span [start, end) during which attackers send, or null: then the group
   *     figures are not split by phase
   */
  public RunStats(int connections, int listeners, int[] groupOf, List<String> groupNames,
      long[] attack) {
    if (groupOf != null && groupOf.length != connections) {
      throw new IllegalArgumentException(
          "groupOf has " + groupOf.length + " entries for " + connections + " connections");
    }
    this.groupOf = groupOf == null ? null : groupOf.clone();
    this.groupNames = List.copyOf(groupNames);
    this.groupHandshake = new Histogram[this.groupNames.size()];
    for (int g = 0; g < groupHandshake.length; g++) groupHandshake[g] = new Histogram(4);
    if (groupOf != null) {
      for (int g : groupOf) {
        if (g < 0 || g >= groupHandshake.length) {
          throw new IllegalArgumentException("group " + g + " of " + groupHandshake.length);
        }
      }
    }
    this.attack = attack == null || groupOf == null ? null : attack.clone();
    this.phaseOf = this.attack == null ? null : new byte[connections];
    this.phaseHandshake = this.attack == null ? null
        : new Histogram[this.groupNames.size()][Phase.values().length];
    if (phaseHandshake != null) {
      for (Histogram[] row : phaseHandshake) {
        for (int p = 0; p < row.length; p++) row[p] = new Histogram(4);
      }
    }
    this.connections = connections;
    this.clientOutcome = new Outcome[connections];
    this.serverOutcome = new Outcome[connections];
    this.established = new boolean[connections];
    stateCount[TcpState.LISTEN.ordinal()] = listeners;
    statePeak[TcpState.LISTEN.ordinal()] = listeners;
  }

  /**
   * Also work out what each of {@code scenario}'s scheduled faults did ({@link #faultEffects});
   * call before the first event. Does nothing for a scenario without faults.
   */
  public RunStats trackFaults(Scenario scenario) {
    if (scenario.faults().isEmpty()) return this;
    faultEffects = new FaultEffects(scenario);
    clientEndedAt = new long[connections];
    serverEndedAt = new long[connections];
    return this;
  }

  /** The faults' effects on hosts and connections, or null when faults are not tracked. */
  public FaultEffects faultEffects() {
    return faultEffects;
  }

  @Override
  public void accept(TraceEvent e) {
    if (faultEffects != null) faultEffects.accept(e);
    events++;
    lastEventTime = Math.max(lastEventTime, e.t());
    switch (e.kind()) {
      case SEND -> {
        sent++;
        if (e.retransmit()) {
          retransmitted++;
          retransmittedByKind[SegmentKind.of(e.flags(), e.len()).ordinal()]++;
        }
      }
      case RECV -> delivered++;
      case DUP -> duplicated++;
      case DROP -> {
        dropped++;
        dropsByReason.merge(e.reason(), 1L, Long::sum);
      }
      case STATE -> {
        if (e.origin() >= 0 && (e.origin() & 1) == 0) countClientEstablished(e); // client side
        if (e.from() != TcpState.LISTEN && e.from() != TcpState.CLOSED) stateCount[e.from().ordinal()]--;
        if (e.to() != TcpState.CLOSED) {
          int i = e.to().ordinal();
          if (++stateCount[i] > statePeak[i]) statePeak[i] = stateCount[i];
        }
      }
    }
  }

  /** Connections whose client endpoint is ESTABLISHED, and the most there were at once. */
  private void countClientEstablished(TraceEvent e) {
    if (e.to() == TcpState.ESTABLISHED) {
      peakEstablishedConnections = Math.max(peakEstablishedConnections, ++establishedConnections);
    } else if (e.from() == TcpState.ESTABLISHED) {
      establishedConnections--;
    }
  }

  public long peakEstablishedConnections() {
    return peakEstablishedConnections;
  }

  /** An endpoint's life ended (or the run ended with it still open). */
  public void result(EndpointResult r) {
    if (faultEffects != null) faultEffects.result(r); // attack SYNs' half-open entries too
    if (r.conn() < 0 || r.conn() >= connections) return; // not one of the scenario's clients
    if (r.client()) {
      clientOutcome[r.conn()] = r.outcome();
      if (clientEndedAt != null) clientEndedAt[r.conn()] = r.endedAt();
      Phase phase = attack == null ? null : phaseAt(r.openedAt());
      if (phase != null) phaseOf[r.conn()] = (byte) phase.ordinal();
      if (r.establishedAt() >= 0) {
        established[r.conn()] = true;
        long micros = (r.establishedAt() - r.openedAt()) / 1000;
        handshake.recordValue(micros);
        if (groupOf != null) groupHandshake[groupOf[r.conn()]].recordValue(micros);
        if (phase != null) phaseHandshake[groupOf[r.conn()]][phase.ordinal()].recordValue(micros);
      }
      if (r.outcome() == Outcome.CLOSED) lifecycle.recordValue((r.endedAt() - r.openedAt()) / 1000);
    } else {
      if (serverEndedAt != null && (serverOutcome[r.conn()] == null
          || r.outcome() != Outcome.CLOSED)) {
        serverEndedAt[r.conn()] = r.endedAt(); // the result worse() keeps
      }
      serverOutcome[r.conn()] = worse(serverOutcome[r.conn()], r.outcome());
    }
  }

  private Phase phaseAt(long openedAt) {
    return openedAt < attack[0] ? Phase.BEFORE : openedAt < attack[1] ? Phase.DURING : Phase.AFTER;
  }

  private static Outcome worse(Outcome a, Outcome b) {
    if (a == null) return b;
    return b == Outcome.CLOSED ? a : b;
  }

  /**
   * A connection's outcome: the client's, unless the client closed cleanly while the server
   * side ended badly or is still open.
   */
  public Outcome connectionOutcome(int conn) {
    Outcome c = clientOutcome[conn];
    if (c == null) return null; // never attempted
    Outcome s = serverOutcome[conn];
    if (c == Outcome.CLOSED && s != null && s != Outcome.CLOSED) return s;
    return c;
  }

  /**
   * When the endpoint whose outcome is connection {@code conn}'s ({@link #connectionOutcome})
   * ended, ns; -1 if the connection was never attempted.
   *
   * @throws IllegalStateException unless faults are tracked ({@link #trackFaults})
   */
  public long connectionEndedAt(int conn) {
    if (clientEndedAt == null) throw new IllegalStateException("end times are kept with faults");
    Outcome c = clientOutcome[conn];
    if (c == null) return -1;
    Outcome s = serverOutcome[conn];
    return c == Outcome.CLOSED && s != null && s != Outcome.CLOSED
        ? serverEndedAt[conn] : clientEndedAt[conn];
  }

  /** How many client connections the figures are for. */
  public int connectionCount() {
    return connections;
  }

  public long lastEventTime() {
    return lastEventTime;
  }

  public long events() {
    return events;
  }

  public long sent() {
    return sent;
  }

  public long delivered() {
    return delivered;
  }

  public long dropped() {
    return dropped;
  }

  public long duplicated() {
    return duplicated;
  }

  public long retransmitted() {
    return retransmitted;
  }

  public Map<DropReason, Long> dropsByReason() {
    return dropsByReason;
  }

  /** Retransmitted segments by kind, every kind present (zero if none), in enum order. */
  public Map<SegmentKind, Long> retransmissionsByKind() {
    EnumMap<SegmentKind, Long> m = new EnumMap<>(SegmentKind.class);
    for (SegmentKind k : SegmentKind.values()) m.put(k, retransmittedByKind[k.ordinal()]);
    return m;
  }

  /**
   * Per client group, in scenario order: attempted, established, the outcome categories and
   * the handshake times of its connections. Empty when the groups are not known.
   */
  public List<GroupFigures> groups() {
    int n = groupNames.size();
    if (groupOf == null || n == 0) return List.of();
    long[] attempted = new long[n];
    long[] est = new long[n];
    long[][] cat = new long[n][Outcome.Category.values().length];
    for (int c = 0; c < connections; c++) {
      int g = groupOf[c];
      if (clientOutcome[c] != null) attempted[g]++;
      if (established[c]) est[g]++;
      Outcome o = connectionOutcome(c);
      if (o != null) cat[g][o.category().ordinal()]++;
    }
    int phases = Phase.values().length;
    long[][][] byPhase = new long[n][phases][3]; // attempted, established, failed
    if (attack != null) {
      for (int c = 0; c < connections; c++) {
        if (clientOutcome[c] == null) continue;
        long[] f = byPhase[groupOf[c]][phaseOf[c]];
        f[0]++;
        if (established[c]) f[1]++;
        if (connectionOutcome(c).category() == Outcome.Category.FAILED) f[2]++;
      }
    }
    List<GroupFigures> out = new ArrayList<>(n);
    for (int g = 0; g < n; g++) {
      EnumMap<Outcome.Category, Long> m = new EnumMap<>(Outcome.Category.class);
      for (Outcome.Category k : Outcome.Category.values()) m.put(k, cat[g][k.ordinal()]);
      List<PhaseFigures> split = new ArrayList<>();
      if (attack != null) {
        for (Phase p : Phase.values()) {
          long[] f = byPhase[g][p.ordinal()];
          split.add(new PhaseFigures(p, f[0], f[1], f[2], phaseHandshake[g][p.ordinal()]));
        }
      }
      out.add(new GroupFigures(groupNames.get(g), attempted[g], est[g], m, groupHandshake[g],
          List.copyOf(split)));
    }
    return out;
  }

  public int statePeak(TcpState s) {
    return statePeak[s.ordinal()];
  }

  public Histogram handshake() {
    return handshake;
  }

  public Histogram lifecycle() {
    return lifecycle;
  }

  /** Connection outcomes, counted. */
  public Map<Outcome, Long> outcomes() {
    EnumMap<Outcome, Long> m = new EnumMap<>(Outcome.class);
    for (int c = 0; c < connections; c++) {
      Outcome o = connectionOutcome(c);
      if (o != null) m.merge(o, 1L, Long::sum);
    }
    return m;
  }

  public long attempted() {
    long n = 0;
    for (Outcome o : clientOutcome) if (o != null) n++;
    return n;
  }

  public long established() {
    long n = 0;
    for (boolean b : established) if (b) n++;
    return n;
  }

  /** Milliseconds, to the microsecond, from a histogram value in microseconds. */
  public static double msFromMicros(long micros) {
    return micros / 1000.0;
  }
}
