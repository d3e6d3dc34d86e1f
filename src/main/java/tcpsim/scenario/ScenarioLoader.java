package tcpsim.scenario;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tcpsim.net.Fault;
import tcpsim.net.LatencyModel;
import tcpsim.net.LinkConfig;
import tcpsim.net.LossModel;
import tcpsim.scenario.Scenario.ArrivalProcess;
import tcpsim.scenario.Scenario.Attacker;
import tcpsim.scenario.Scenario.FloodSource;
import tcpsim.scenario.Scenario.ClientGroup;
import tcpsim.scenario.Scenario.Closer;
import tcpsim.scenario.Scenario.HostSpec;
import tcpsim.scenario.Scenario.ListenerSpec;
import tcpsim.scenario.Scenario.NetworkSpec;
import tcpsim.scenario.Scenario.PairOverride;
import tcpsim.tcp.AppScript;
import tcpsim.tcp.LinuxKnobs;
import tcpsim.tcp.TcpParams;

/**
 * Reads a scenario YAML file into a validated {@link Scenario}.
 *
 * <p>The file format is documented key by key in {@code docs/scenarios.md}; this class is its
 * implementation, one method per section, in the order of that document. In short:
 *
 * <pre>
 * name: handshake            # required, [A-Za-z0-9._-]+
 * seed: 42                   # default 1
 * duration: 10m              # virtual-time cap, default 1h
 * tcp: {profile: linux, msl: 30s, ...}      # defaults of every host
 * hosts: [{name: client}, {name: server, tcp: {...}}]
 * listeners: [{host: server, port: 80}]
 * clients: [{from: client, to: server:80, count: 1, clientBytes: 100, ...}]
 * network: {latency: 10ms, loss: 1%, links: [{from: client, to: server, latency: 50ms}]}
 * faults: [{kind: partition, at: 5s, for: 2s, target: {between: [client, server]}}]
 * sweep: {network.loss: [0, 1%, 5%]}         # loadVariants only: one run per combination
 * expect: ["connections.established >= 99%"] # loadVariants only: checks of report.json
 * </pre>
 *
 * <p>Why so strict: a scenario is an experiment, and a silently ignored typo ({@code lose: 5%})
 * produces a plausible but wrong result, which is worse than no result. So every unknown key,
 * wrong type, out-of-range value or dangling host name is an error that names file, line, column
 * and key (see {@link ScenarioException}); the first error stops loading.
 *
 * <p>Nothing else escapes: snakeyaml's exceptions become {@code ScenarioException}s with the
 * mark's position, and an unexpected runtime exception (a bug here) is wrapped too, so that a
 * batch run can report the file and go on.
 */
public final class ScenarioLoader {

  private ScenarioLoader() {}

  static final long DEFAULT_SEED = 1;
  static final long DEFAULT_DURATION = Units.HOUR;
  static final long DEFAULT_LATENCY = 10 * Units.MS;
  static final long DEFAULT_REORDER_DELAY = 5 * Units.MS;
  static final long DEFAULT_QUEUE = 64 * 1024;
  static final int MAX_BACKLOG = 10_000_000;
  static final int MAX_RETRIES = 50;
  /** {@code synCookies:} values, in the order of {@link TcpParams.SynCookies}. */
  static final List<String> SYN_COOKIE_WORDS = List.of("off", "on-overflow", "always");
  /** Linux sysctls that are also keys of every profile: {sysctl, key}. */
  static final String[][] SYSCTL_ALIASES = {{"tcp_syn_retries", "synRetries"},
      {"tcp_synack_retries", "synAckRetries"}, {"tcp_retries2", "dataRetries"},
      {"tcp_syncookies", "synCookies"}};
  /** A timeline of faults is written by hand; thousands are a generated file gone wrong. */
  static final int MAX_FAULTS = 10_000;
  /** The kinds of {@code faults:} entries, in the order of docs/scenarios.md. */
  static final List<String> FAULT_KINDS = List.of("partition", "blackhole", "loss", "latency",
      "jitter", "duplicate", "reorder", "corrupt", "bandwidth", "reset", "crash", "filter");
  /** Each fault kind's own keys (besides kind, at, for, until, target); the first is required. */
  private static final Map<String, List<String>> FAULT_KEYS = Map.ofEntries(
      Map.entry("partition", List.of()), Map.entry("blackhole", List.of()),
      Map.entry("crash", List.of()), Map.entry("loss", List.of("loss")),
      Map.entry("latency", List.of("latency")), Map.entry("jitter", List.of("jitter")),
      Map.entry("duplicate", List.of("duplicate")),
      Map.entry("reorder", List.of("reorder", "reorderDelay")),
      Map.entry("corrupt", List.of("corrupt")),
      Map.entry("bandwidth", List.of("bandwidth", "queue")), Map.entry("reset", List.of("seq")),
      Map.entry("filter", List.of("flags", "length")));
  /** A capture is for looking at connections in Wireshark, not for archiving a whole run. */
  static final int MAX_PCAP_CONNECTIONS = 100_000;
  /** Forged addresses a spoofed flood draws from unless told: a /16. */
  static final int DEFAULT_SPOOFED_ADDRESSES = 65_536;
  static final int MAX_SPOOFED_ADDRESSES = 1 << 24;
  /** A SYN every microsecond is beyond any real flood against one listener. */
  static final double MAX_ATTACK_RATE = 1e6;
  /** Each attack SYN is a connection id (an int) beside the clients' ones. */
  static final long MAX_ATTACK_SYNS = 500_000_000L;

  /** The link every pair of hosts gets unless the scenario says otherwise. */
  static final LinkConfig DEFAULT_LINK =
      new LinkConfig(LatencyModel.constant(DEFAULT_LATENCY), LossModel.none(), 0, 0,
          DEFAULT_REORDER_DELAY, 0, 0, DEFAULT_QUEUE);

  /**
   * Loads and validates a scenario file.
   *
   * @throws ScenarioException if the file cannot be read, is not valid YAML or not a valid
   *     scenario; the message names file, line, column and key
   */
  public static Scenario load(Path file) throws ScenarioException {
    String name = file.toString();
    return loadString(read(file), name);
  }

  /**
   * Loads and validates a scenario from text; {@code fileName} is only used in messages and as
   * {@link Scenario#file()}. The keys {@code sweep} and {@code expect} are allowed and ignored
   * here: the result is the base scenario (see {@link #loadVariantsString}).
   */
  public static Scenario loadString(String text, String fileName) throws ScenarioException {
    String file = fileName == null ? "<string>" : fileName;
    try {
      return scenario(root(text, file), file);
    } catch (ScenarioException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new ScenarioException(file, 0, 0, null, "internal error while loading: " + e, e);
    }
  }

  /**
   * Loads a scenario file with its {@code sweep} and {@code expect} keys: one {@link Variant}
   * per combination of swept values (cartesian product, in the order the keys are written, the
   * last key varying fastest), each validated like a scenario of its own; without a
   * {@code sweep}, exactly one variant, the base scenario with its own name and seed.
   *
   * @throws ScenarioException as {@link #load}, and for a bad {@code sweep} or {@code expect}
   *     entry (with the entry's line and column)
   */
  public static List<Variant> loadVariants(Path file) throws ScenarioException {
    return loadVariantsString(read(file), file.toString());
  }

  /** {@link #loadVariants} from text; {@code fileName} as in {@link #loadString}. */
  public static List<Variant> loadVariantsString(String text, String fileName)
      throws ScenarioException {
    String file = fileName == null ? "<string>" : fileName;
    try {
      YamlValue root = root(text, file);
      Scenario base = scenario(root, file); // the base's own errors first, at their own place
      YamlMap doc = root.asMap();
      YamlValue sweepNode = doc.getCollection("sweep");
      YamlValue expectNode = doc.getCollection("expect");
      List<Expectation> expectations = Expectation.parseAll(expectNode);
      Expectation.checkNames(expectations, base, file);
      YamlValue variantsNode = doc.getCollection("variants");
      if (variantsNode != null) {
        return NamedVariants.expand(root, variantsNode, sweepNode, base, expectations);
      }
      return Sweep.expand(root, sweepNode, base, expectations);
    } catch (ScenarioException e) {
      throw e;
    } catch (RuntimeException | StackOverflowError e) {
      throw new ScenarioException(file, 0, 0, null, "internal error while loading: " + e, e);
    }
  }

  private static String read(Path file) throws ScenarioException {
    String name = file.toString();
    byte[] bytes;
    try {
      if (Files.size(file) > 4L * SafeYaml.MAX_CODE_POINTS) { // UTF-8: at most 4 bytes a char
        throw new ScenarioException(name, 0, 0, null,
            "file too large (more than " + SafeYaml.MAX_CODE_POINTS + " characters)");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ScenarioException(name, 0, 0, null, "no such file", e);
    } catch (IOException e) {
      throw new ScenarioException(name, 0, 0, null, "cannot read: " + e, e);
    }
    return decodeUtf8(bytes, name);
  }

  /** The document's root mapping node (checked to be a mapping). */
  private static YamlValue root(String text, String file) throws ScenarioException {
    if (text.startsWith("\uFEFF")) text = text.substring(1); // a byte-order mark is no content
    YamlValue root = SafeYaml.compose(text, file);
    if (root == null) {
      throw new ScenarioException(file, 1, 1, null,
          "the file holds no YAML document; a scenario is a mapping with at least 'name' and"
              + " 'hosts'");
    }
    if (!root.isMap()) {
      throw root.invalid("the document must be a mapping (key: value lines, at least 'name'"
          + " and 'hosts')");
    }
    return root;
  }

  /** Reads a (possibly substituted) root mapping node; used for the base and every variant. */
  static Scenario scenario(YamlValue root, String file) throws ScenarioException {
    return new ScenarioLoader.Reader(file).scenario(root.asMap());
  }

  /** Strict UTF-8 decoding: a bad byte is reported with its line instead of becoming U+FFFD. */
  private static String decodeUtf8(byte[] bytes, String file) throws ScenarioException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
    CoderResult r = decoder.decode(in, out, true);
    if (!r.isError()) r = decoder.flush(out);
    if (r.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) if (bytes[i] == '\n') line++;
      throw new ScenarioException(file, line, 0, null,
          "the file is not valid UTF-8 text (bad byte at offset " + in.position() + ")");
    }
    return out.flip().toString();
  }

  /** The reading of one document; holds what later sections refer to (the host names). */
  private static final class Reader {
    private final String file;
    /** Host name → index, in the order of {@code hosts}. */
    private final Map<String, Integer> hostIndex = new LinkedHashMap<>();
    /** Each client group's {@code network:} node (null if absent), read after the defaults. */
    private final List<YamlValue> groupNetworkNodes = new ArrayList<>();

    Reader(String file) {
      this.file = file;
    }

    Scenario scenario(YamlMap doc) throws ScenarioException {
      long seed = doc.integer("seed", DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
      long duration = doc.duration("duration", DEFAULT_DURATION, 1);

      YamlValue tcpNode = doc.getCollection("tcp");
      YamlValue listenersNode = doc.getCollection("listeners");
      YamlValue clientsNode = doc.getCollection("clients");
      YamlValue attackersNode = doc.getCollection("attackers");
      YamlValue networkNode = doc.getCollection("network");
      YamlValue faultsNode = doc.getCollection("faults");
      YamlValue nameNode = doc.get("name");
      int pcap = doc.integer32("pcap", 0, 0, MAX_PCAP_CONNECTIONS);
      YamlValue hostsNode = doc.get("hosts");
      doc.get("sweep"); // read by loadVariants (Sweep, Expectation); known keys here
      doc.get("expect");
      doc.get("variants");
      doc.finish();

      String name = doc.required(nameNode, "name").asName();
      TcpParams baseTcp = tcpNode == null ? TcpParams.rfc() : tcp(tcpNode, TcpParams.rfc());
      List<HostSpec> hosts = hosts(doc.required(hostsNode, "hosts"), baseTcp);

      List<ListenerSpec> listeners =
          listenersNode == null ? List.of() : listeners(listenersNode);
      List<ClientGroup> groups = clientsNode == null ? List.of() : clients(clientsNode);
      NetworkSpec network =
          networkNode == null ? new NetworkSpec(DEFAULT_LINK, List.of()) : network(networkNode);
      network = withGroupLinks(network);
      List<Attacker> attackers =
          attackersNode == null ? List.of() : attackers(attackersNode);
      long ids = (long) groups.stream().mapToInt(ClientGroup::count).sum();
      for (Attacker a : attackers) ids += a.synCount();
      if (ids > Integer.MAX_VALUE) {
        throw attackersNode.error("client connections and attack SYNs together exceed "
            + Integer.MAX_VALUE + " (each needs a connection id)");
      }
      List<Fault> faults = faultsNode == null ? List.of() : faults(faultsNode);
      return new Scenario(name, seed, duration, List.copyOf(hosts), List.copyOf(listeners),
          List.copyOf(groups), network, faults, pcap, List.copyOf(attackers), file);
    }

    // --- tcp ---------------------------------------------------------------------------------

    /**
     * A {@code tcp:} mapping applied on top of {@code base}. A {@code profile} key replaces the
     * base by that profile first, so {@code {profile: linux, msl: 60s}} means "Linux, but with
     * a 60 s MSL" whatever the top level says.
     */
    TcpParams tcp(YamlValue node, TcpParams base) throws ScenarioException {
      YamlMap m = node.asMap();
      YamlValue profile = m.get("profile");
      TcpParams p = base;
      if (profile != null) {
        p = profile.asChoice(List.of("rfc", "linux")).equals("linux")
            ? TcpParams.linux() : TcpParams.rfc();
      }
      int mss = m.integer32("mss", p.mss(), 1, 65495);
      int rcvWindow = (int) m.size("rcvWindow", p.rcvWindow(), 1, 65535);
      long rtoInitial = m.duration("rtoInitial", p.rtoInitial(), 1);
      long rtoMin = m.duration("rtoMin", p.rtoMin(), 1);
      long rtoMax = m.duration("rtoMax", p.rtoMax(), 1);
      int synRetries = m.integer32("synRetries", p.synRetries(), 0, MAX_RETRIES);
      int synAckRetries = m.integer32("synAckRetries", p.synAckRetries(), 0, MAX_RETRIES);
      int dataRetries = m.integer32("dataRetries", p.dataRetries(), 0, MAX_RETRIES);
      long msl = m.duration("msl", p.msl(), 1);
      int synBacklog = m.integer32("synBacklog", p.synBacklog(), 1, MAX_BACKLOG);
      int acceptBacklog = m.integer32("acceptBacklog", p.acceptBacklog(), 1, MAX_BACKLOG);
      String synCookies = m.choice("synCookies", SYN_COOKIE_WORDS.get(p.synCookies().ordinal()),
          SYN_COOKIE_WORDS);
      YamlValue sysctlNode = m.getCollection("sysctl");
      m.finish();
      LinuxKnobs knobs = p.linuxKnobs();
      if (sysctlNode != null) {
        if (knobs == null) {
          throw sysctlNode.error("Linux sysctls apply to profile: linux only (this one is rfc)");
        }
        YamlMap k = sysctlNode.asMap();
        // The sysctls that name parameters every profile has: one spelling per mapping.
        for (String[] alias : SYSCTL_ALIASES) {
          YamlValue sys = k.get(alias[0]);
          YamlValue own = m.get(alias[1]);
          if (sys != null && own != null) {
            throw sys.error("'" + alias[0] + "' and '" + alias[1] + "' are the same knob; give"
                + " one of them");
          }
        }
        synRetries = k.integer32("tcp_syn_retries", synRetries, 0, MAX_RETRIES);
        synAckRetries = k.integer32("tcp_synack_retries", synAckRetries, 0, MAX_RETRIES);
        dataRetries = k.integer32("tcp_retries2", dataRetries, 0, MAX_RETRIES);
        YamlValue cookies = k.get("tcp_syncookies");
        if (cookies != null) synCookies = SYN_COOKIE_WORDS.get(cookies.asInt(0, 2));
        YamlValue rmem = k.getCollection("tcp_rmem");
        int rmemDefault = knobs.rmemDefault();
        int rmemMax = knobs.rmemMax();
        if (rmem != null) {
          List<YamlValue> three = rmem.asList();
          if (three.size() != 3) throw rmem.invalid("must be three sizes: min, default, max");
          rmemDefault = (int) three.get(1).asSize(1, Integer.MAX_VALUE);
          rmemMax = (int) three.get(2).asSize(rmemDefault, Integer.MAX_VALUE);
        }
        knobs = new LinuxKnobs(
            k.integer32("tcp_syn_linear_timeouts", knobs.synLinearTimeouts(), 0, MAX_RETRIES),
            k.duration("tcp_fin_timeout", knobs.finTimeout(), 1),
            k.integer32("tcp_timestamps", knobs.timestamps(), 0, 2),
            k.bool("tcp_sack", knobs.sack()),
            k.bool("tcp_window_scaling", knobs.windowScaling()),
            rmemDefault,
            rmemMax,
            k.integer32("tcp_pingpong_thresh", knobs.pingpongThresh(), 1, 255),
            k.integer32("tcp_orphan_retries", knobs.orphanRetries(), 0, MAX_RETRIES),
            k.duration("tcp_invalid_ratelimit", knobs.invalidRateLimit(), 0),
            k.bool("tcp_abort_on_overflow", knobs.abortOnOverflow()),
            k.integer32("tcp_max_syn_backlog", knobs.maxSynBacklog(), 1, MAX_BACKLOG),
            k.integer32("somaxconn", knobs.somaxconn(), 1, MAX_BACKLOG),
            k.choice("tcp_reqsk_full", knobs.reqskFullAtBacklog() ? "ge" : "gt",
                List.of("gt", "ge")).equals("ge"));
        k.finish();
      }
      // TcpParams checks these too, but its message has no position; the values may come from
      // different mappings (a host's rtoMax against the top level's rtoMin), so name them all.
      if (rtoMin > rtoMax || rtoInitial < rtoMin || rtoInitial > rtoMax) {
        throw node.error("need rtoMin <= rtoInitial <= rtoMax, got rtoMin "
            + Units.formatDuration(rtoMin) + ", rtoInitial " + Units.formatDuration(rtoInitial)
            + ", rtoMax " + Units.formatDuration(rtoMax));
      }
      try {
        return new TcpParams(mss, rcvWindow, rtoInitial, rtoMin, rtoMax, synRetries,
            synAckRetries, dataRetries, msl, synBacklog, acceptBacklog,
            TcpParams.SynCookies.values()[SYN_COOKIE_WORDS.indexOf(synCookies)], knobs);
      } catch (IllegalArgumentException e) {
        throw node.error("invalid TCP parameters: " + e.getMessage());
      }
    }

    // --- hosts -------------------------------------------------------------------------------

    List<HostSpec> hosts(YamlValue node, TcpParams baseTcp) throws ScenarioException {
      List<YamlValue> items = node.asList();
      if (items.isEmpty()) throw node.invalid("must be a non-empty list of hosts");
      List<HostSpec> hosts = new ArrayList<>();
      Map<String, YamlValue> seen = new HashMap<>();
      for (YamlValue item : items) {
        YamlMap m = item.asMap();
        YamlValue tcpNode = m.getCollection("tcp");
        TcpParams tcp = tcpNode == null ? baseTcp : tcp(tcpNode, baseTcp);
        YamlValue nameNode = m.get("name");
        m.finish();
        String name = m.required(nameNode, "name").asName();
        YamlValue first = seen.putIfAbsent(name, nameNode);
        if (first != null) {
          throw nameNode.error("duplicate host name \"" + name + "\" (first defined at line "
              + first.line() + ")");
        }
        hostIndex.put(name, hosts.size());
        hosts.add(new HostSpec(name, tcp));
      }
      return hosts;
    }

    /** The index of the host a scalar names, with a suggestion for a near miss. */
    int host(YamlValue v) throws ScenarioException {
      return hostNamed(v.text("a host name"), v);
    }

    /** The index of host {@code name}, written at {@code v}. */
    private int hostNamed(String name, YamlValue v) throws ScenarioException {
      Integer i = hostIndex.get(name);
      if (i == null) {
        String hint = YamlValue.suggestion(name, hostIndex.keySet());
        if (hint.isEmpty()) hint = " (hosts: " + String.join(", ", hostIndex.keySet()) + ")";
        throw v.error("unknown host \"" + name + "\"" + hint);
      }
      return i;
    }

    // --- listeners ---------------------------------------------------------------------------

    List<ListenerSpec> listeners(YamlValue node) throws ScenarioException {
      List<ListenerSpec> out = new ArrayList<>();
      Map<ListenerSpec, YamlValue> seen = new HashMap<>(); // by host and port only
      for (YamlValue item : node.asList()) {
        YamlMap m = item.asMap();
        YamlValue hostNode = m.get("host");
        YamlValue portNode = m.get("port");
        int backlog = m.integer32("backlog", 0, 1, MAX_BACKLOG);
        m.finish();
        int host = host(m.required(hostNode, "host"));
        int port = m.required(portNode, "port").asInt(1, 65535);
        ListenerSpec l = new ListenerSpec(host, port, backlog);
        YamlValue first = seen.putIfAbsent(new ListenerSpec(host, port), item);
        if (first != null) {
          throw item.error("duplicate listener on " + hostName(host) + ":" + port
              + " (first defined at line " + first.line() + ")");
        }
        out.add(l);
      }
      return out;
    }

    String hostName(int index) {
      for (Map.Entry<String, Integer> e : hostIndex.entrySet()) {
        if (e.getValue() == index) return e.getKey();
      }
      return "#" + index;
    }

    // --- clients -----------------------------------------------------------------------------

    List<ClientGroup> clients(YamlValue node) throws ScenarioException {
      List<ClientGroup> out = new ArrayList<>();
      Map<String, YamlValue> names = new HashMap<>();
      long total = 0;
      List<YamlValue> items = node.asList();
      for (int i = 0; i < items.size(); i++) {
        YamlValue item = items.get(i);
        YamlMap m = item.asMap();
        YamlValue nameNode = m.get("name");
        String name = nameNode == null ? "group" + (i + 1) : nameNode.asName();
        int count = m.integer32("count", 1, 1, Integer.MAX_VALUE);
        long start = m.duration("start", 0, 0);
        long every = m.duration("every", 0, 0);
        long spread = m.duration("spread", 0, 0);
        long clientBytes = m.size("clientBytes", 0, 0, Long.MAX_VALUE);
        long serverBytes = m.size("serverBytes", 0, 0, Long.MAX_VALUE);
        String close = m.choice("close", "client", List.of("client", "server", "simultaneous"));
        long hold = m.duration("hold", 0, 0);
        long lastBytes = m.size("lastBytes", 0, 0, Long.MAX_VALUE);
        long lastDelay = m.duration("lastDelay", 0, 0);
        YamlValue arrivalNode = m.getCollection("arrival");
        groupNetworkNodes.add(m.getCollection("network"));
        double abort = m.probability("abort", 0);
        YamlValue fromNode = m.get("from");
        YamlValue toNode = m.get("to");
        YamlValue clientNode = m.get("client");
        YamlValue serverNode = m.get("server");
        m.finish();
        AppScript clientSteps = null;
        AppScript serverSteps = null;
        if (clientNode != null || serverNode != null) {
          for (String key : List.of("clientBytes", "serverBytes", "close", "hold", "lastBytes",
              "lastDelay", "abort")) {
            YamlValue other = m.get(key);
            if (other != null) {
              throw other.error("'" + key + "' and the steps of 'client'/'server' exclude each"
                  + " other: with steps, say every write, read and close in them");
            }
          }
          clientSteps = steps(m.required(clientNode, "client"));
          serverSteps = steps(m.required(serverNode, "server"));
        }
        List<Integer> from = fromHosts(m.required(fromNode, "from"));
        m.required(toNode, "to");

        int[] target = hostPort(toNode);
        int toHost = target[0];
        int toPort = target[1];

        if (every > 0 && spread > 0) {
          throw m.get("spread").error("'every' and 'spread' exclude each other: use 'every' for"
              + " evenly spaced connects or 'spread' for random ones, not both");
        }
        ArrivalProcess arrival = null;
        if (arrivalNode != null) {
          for (String key : List.of("every", "spread")) {
            YamlValue other = m.get(key);
            if (other != null) {
              throw other.error("'" + key + "' and 'arrival' exclude each other: 'arrival' says"
                  + " when the connects happen, remove '" + key + "'");
            }
          }
          arrival = arrival(arrivalNode);
        }
        YamlValue first = names.putIfAbsent(name, nameNode == null ? item : nameNode);
        if (first != null) {
          throw (nameNode == null ? item : nameNode).error("duplicate client group name \""
              + name + "\" (first at line " + first.line() + "; unnamed groups are called"
              + " group1, group2, ... by position)");
        }
        total += count;
        if (total > Integer.MAX_VALUE) {
          YamlValue countNode = m.get("count");
          throw (countNode == null ? item : countNode).error("too many connections in total (more than "
              + Integer.MAX_VALUE + ")");
        }
        Closer closer = Closer.valueOf(close.toUpperCase(Locale.ROOT));
        out.add(new ClientGroup(name, List.copyOf(from), toHost, toPort, count, start, every,
            spread, clientBytes, serverBytes, closer, hold, lastBytes, lastDelay, arrival,
            abort, clientSteps, serverSteps));
      }
      return out;
    }

    /**
     * {@code client:} or {@code server:} — an application as a list of steps: the words
     * {@code shutdown}, {@code close}, {@code abort}, or one-key mappings {@code write: SIZE},
     * {@code read: SIZE | eof}, {@code pause: DURATION}, {@code until: DURATION} (since the
     * connection's connect).
     */
    AppScript steps(YamlValue node) throws ScenarioException {
      if (!node.isList()) {
        throw node.invalid("must be a list of steps, such as [{write: 100}, {read: 100}, close]");
      }
      List<AppScript.Step> out = new ArrayList<>();
      for (YamlValue item : node.asList()) {
        if (item.isScalar()) {
          String call = item.asChoice(List.of("shutdown", "close", "abort"));
          out.add(AppScript.Call.valueOf(call.toUpperCase(Locale.ROOT)));
          continue;
        }
        String oneStep = "must be one step: shutdown, close, abort, or one of {write: SIZE},"
            + " {read: SIZE or eof}, {pause: DURATION}, {until: DURATION}";
        if (!item.isMap()) throw item.invalid(oneStep);
        YamlMap m = item.asMap();
        YamlValue write = m.get("write");
        YamlValue read = m.get("read");
        YamlValue pause = m.get("pause");
        YamlValue until = m.get("until");
        m.finish();
        long given = java.util.stream.Stream.of(write, read, pause, until)
            .filter(Objects::nonNull).count();
        if (given != 1) throw item.invalid(oneStep);
        if (write != null) {
          out.add(new AppScript.Write(write.asSize(0, Long.MAX_VALUE)));
        } else if (read != null) {
          boolean eof = read.isScalar() && "eof".equals(read.text("a size or eof"));
          out.add(new AppScript.Read(eof ? AppScript.Read.EOF : read.asSize(1, Long.MAX_VALUE)));
        } else if (pause != null) {
          out.add(new AppScript.Pause(pause.asDuration(0)));
        } else {
          out.add(new AppScript.Until(until.asDuration(0)));
        }
      }
      return new AppScript(out);
    }

    /** A {@code "host:port"} value: the host's index and the port. */
    int[] hostPort(YamlValue toNode) throws ScenarioException {
      String to = toNode.text("\"host:port\"");
      int colon = to.lastIndexOf(':');
      if (colon <= 0 || !to.substring(colon + 1).matches("[0-9]{1,5}")) {
        throw toNode.invalid("must be \"host:port\", such as server:80");
      }
      int toHost = hostNamed(to.substring(0, colon), toNode);
      int toPort = Integer.parseInt(to.substring(colon + 1));
      if (toPort < 1 || toPort > 65535) throw toNode.invalid("port must be in 1..65535");
      return new int[] {toHost, toPort};
    }

    // --- attackers ---------------------------------------------------------------------------

    /**
     * {@code attackers:} SYN floods. {@code for} and {@code until} say when the attack ends;
     * exactly one of them is required.
     */
    List<Attacker> attackers(YamlValue node) throws ScenarioException {
      List<Attacker> out = new ArrayList<>();
      Map<String, YamlValue> names = new HashMap<>();
      List<YamlValue> items = node.asList();
      for (int i = 0; i < items.size(); i++) {
        YamlValue item = items.get(i);
        YamlMap m = item.asMap();
        YamlValue nameNode = m.get("name");
        String name = nameNode == null ? "attacker" + (i + 1) : nameNode.asName();
        YamlValue fromNode = m.get("from");
        YamlValue toNode = m.get("to");
        YamlValue rateNode = m.get("rate");
        long start = m.duration("start", 0, 0);
        YamlValue forNode = m.get("for");
        YamlValue untilNode = m.get("until");
        String source = m.choice("source", "spoofed", List.of("spoofed", "fixed"));
        YamlValue addressesNode = m.get("addresses");
        int addresses = m.integer32("addresses", DEFAULT_SPOOFED_ADDRESSES, 1, MAX_SPOOFED_ADDRESSES);
        m.finish();
        int from = host(m.required(fromNode, "from"));
        int[] target = hostPort(m.required(toNode, "to"));
        double rate = m.required(rateNode, "rate").asEventRate();
        if (rate > MAX_ATTACK_RATE) {
          throw rateNode.invalid("must be at most " + (long) MAX_ATTACK_RATE + "/s");
        }
        long duration;
        if (forNode != null && untilNode != null) {
          throw untilNode.error("'for' and 'until' exclude each other: give how long the attack"
              + " lasts ('for') or when it ends ('until'), not both");
        } else if (forNode != null) {
          duration = forNode.asDuration(1);
        } else if (untilNode != null) {
          long until = untilNode.asDuration(0);
          if (until <= start) {
            throw untilNode.invalid("must be after start (" + Units.formatDuration(start) + ")");
          }
          duration = until - start;
        } else {
          throw m.self().error("missing required key 'for' (how long the attack lasts, such as"
              + " 25s) or 'until' (when it ends)");
        }
        if (addressesNode != null && source.equals("fixed")) {
          throw addressesNode.error("'addresses' applies only to source: spoofed (a fixed source"
              + " is the attacker's own host)");
        }
        YamlValue first = names.putIfAbsent(name, nameNode == null ? item : nameNode);
        if (first != null) {
          throw (nameNode == null ? item : nameNode).error("duplicate attacker name \"" + name
              + "\" (first at line " + first.line() + ")");
        }
        Attacker a = new Attacker(name, from, target[0], target[1], rate, start, duration,
            FloodSource.valueOf(source.toUpperCase(Locale.ROOT)), addresses);
        if (a.synCount() > MAX_ATTACK_SYNS) {
          throw rateNode.error("the attack would send " + a.synCount() + " SYNs; at most "
              + MAX_ATTACK_SYNS + " per attacker are allowed (lower the rate or the duration)");
        }
        out.add(a);
      }
      return out;
    }

    /**
     * {@code arrival:} {@code {process: poisson, rate: 500/s}} or
     * {@code {process: ramp, from: 10/s, to: 1000/s, over: 10s}}.
     */
    ArrivalProcess arrival(YamlValue v) throws ScenarioException {
      if (!v.isMap()) {
        throw v.invalid("must be a mapping with a process, such as {process: poisson, rate:"
            + " 500/s} or {process: ramp, from: 10/s, to: 1000/s, over: 10s}");
      }
      YamlMap m = v.asMap();
      String process = m.require("process").asChoice(List.of("poisson", "ramp"));
      if (process.equals("poisson")) {
        YamlValue rate = m.get("rate");
        m.finish();
        return ArrivalProcess.poisson(m.required(rate, "rate").asEventRate());
      }
      YamlValue from = m.get("from");
      YamlValue to = m.get("to");
      YamlValue over = m.get("over");
      m.finish();
      double lo = m.required(from, "from").asEventRate();
      double hi = m.required(to, "to").asEventRate();
      long length = m.required(over, "over").asDuration(1);
      return ArrivalProcess.ramp(lo, hi, length);
    }

    /** {@code from:} one host name, or a non-empty list of them. */
    List<Integer> fromHosts(YamlValue v) throws ScenarioException {
      List<Integer> out = new ArrayList<>();
      if (v.isList()) {
        List<YamlValue> items = v.asList();
        if (items.isEmpty()) throw v.invalid("must be a host name or a non-empty list of them");
        for (YamlValue item : items) out.add(host(item));
      } else {
        out.add(host(v));
      }
      return out;
    }

    // --- network -----------------------------------------------------------------------------

    NetworkSpec network(YamlValue node) throws ScenarioException {
      YamlMap m = node.asMap();
      LinkConfig defaults = link(m, DEFAULT_LINK);
      YamlValue linksNode = m.getCollection("links");
      m.finish();
      List<PairOverride> overrides = new ArrayList<>();
      Map<Long, YamlValue> seen = new HashMap<>();
      if (linksNode != null) {
        for (YamlValue item : linksNode.asList()) {
          YamlMap lm = item.asMap();
          LinkConfig link = link(lm, defaults);
          boolean both = lm.bool("both", false);
          YamlValue fromNode = lm.get("from");
          YamlValue toNode = lm.get("to");
          lm.finish();
          int from = host(lm.required(fromNode, "from"));
          int to = host(lm.required(toNode, "to"));
          addOverride(overrides, seen, item, from, to, link);
          if (both && from != to) addOverride(overrides, seen, item, to, from, link);
        }
      }
      return new NetworkSpec(defaults, List.copyOf(overrides));
    }

    /**
     * Adds each group's {@code network:} (the link keys, on top of the network defaults) to
     * {@code network}. Read here rather than in {@link #clients} because the defaults must be
     * known first.
     */
    NetworkSpec withGroupLinks(NetworkSpec network) throws ScenarioException {
      if (groupNetworkNodes.stream().allMatch(Objects::isNull)) return network;
      List<LinkConfig> links = new ArrayList<>();
      for (YamlValue node : groupNetworkNodes) {
        if (node == null) {
          links.add(null);
          continue;
        }
        YamlMap m = node.asMap();
        LinkConfig link = link(m, network.defaults());
        m.finish();
        links.add(link);
      }
      return new NetworkSpec(network.defaults(), network.overrides(),
          Collections.unmodifiableList(links));
    }

    private void addOverride(List<PairOverride> out, Map<Long, YamlValue> seen, YamlValue item,
        int from, int to, LinkConfig link) throws ScenarioException {
      YamlValue first = seen.putIfAbsent(((long) from << 32) | to, item);
      if (first != null) {
        throw item.error("the link " + hostName(from) + " -> " + hostName(to)
            + " is already set at line " + first.line());
      }
      out.add(new PairOverride(from, to, link));
    }

    /** The link keys of {@code m} (network defaults or one link entry) on top of {@code base}. */
    LinkConfig link(YamlMap m, LinkConfig base) throws ScenarioException {
      YamlValue latencyNode = m.get("latency");
      LatencyModel latency = latencyNode == null ? base.latency() : latency(latencyNode);
      YamlValue lossNode = m.get("loss");
      LossModel loss = lossNode == null ? base.loss() : loss(lossNode);
      double duplicate = m.probability("duplicate", base.duplicateProbability());
      double reorder = m.probability("reorder", base.reorderProbability());
      long reorderDelay = m.duration("reorderDelay", base.reorderDelay(), 0);
      double corrupt = m.probability("corrupt", base.corruptProbability());
      long bandwidth = m.bitRate("bandwidth", base.bandwidthBps());
      long queue = m.size("queue", base.queueLimitBytes(), 0, Long.MAX_VALUE);
      try {
        return new LinkConfig(latency, loss, duplicate, reorder, reorderDelay, corrupt,
            bandwidth, queue);
      } catch (IllegalArgumentException e) {
        throw m.self().error("invalid link: " + e.getMessage());
      }
    }

    /**
     * {@code latency:} a duration (constant) or a mapping with a {@code distribution}. Zero is
     * rejected everywhere: the smallest latency is the engine's lookahead (DESIGN.md).
     */
    LatencyModel latency(YamlValue v) throws ScenarioException {
      if (!v.isMap()) {
        if (!v.isScalar()) {
          throw v.invalid("must be a duration such as 10ms, or a mapping with a distribution");
        }
        return LatencyModel.constant(positiveLatency(v));
      }
      YamlMap m = v.asMap();
      String dist = m.require("distribution")
          .asChoice(List.of("constant", "uniform", "normal", "pareto"));
      LatencyModel model;
      switch (dist) {
        case "constant" -> {
          YamlValue value = m.get("value");
          m.finish();
          model = LatencyModel.constant(positiveLatency(m.required(value, "value")));
        }
        case "uniform" -> {
          YamlValue min = m.get("min");
          YamlValue max = m.get("max");
          m.finish();
          long lo = positiveLatency(m.required(min, "min"));
          long hi = m.required(max, "max").asDuration(1);
          if (hi < lo) throw max.invalid("must be >= min (" + Units.formatDuration(lo) + ")");
          model = LatencyModel.uniform(lo, hi);
        }
        case "normal" -> {
          YamlValue mean = m.get("mean");
          YamlValue stddev = m.get("stddev");
          YamlValue min = m.get("min");
          m.finish();
          long mu = m.required(mean, "mean").asDuration(1);
          long sigma = m.required(stddev, "stddev").asDuration(0);
          long lo = positiveLatency(m.required(min, "min"));
          if (mu < lo) throw mean.invalid("must be >= min (" + Units.formatDuration(lo) + ")");
          model = LatencyModel.normal(mu, sigma, lo);
        }
        default -> { // pareto
          YamlValue min = m.get("min");
          YamlValue alpha = m.get("alpha");
          YamlValue cap = m.get("cap");
          m.finish();
          long lo = positiveLatency(m.required(min, "min"));
          double a = m.required(alpha, "alpha").asPositiveNumber();
          long hi = m.required(cap, "cap").asDuration(1);
          if (hi < lo) throw cap.invalid("must be >= min (" + Units.formatDuration(lo) + ")");
          model = LatencyModel.pareto(lo, a, hi);
        }
      }
      return model;
    }

    private static long positiveLatency(YamlValue v) throws ScenarioException {
      String s = v.text(Units.DURATION_HELP);
      long d;
      try {
        d = Units.parseDuration(s);
      } catch (IllegalArgumentException e) {
        throw v.invalid(e.getMessage());
      }
      if (d <= 0) {
        throw v.invalid("must be greater than 0: the smallest latency is the simulation's"
            + " lookahead (time advances in windows of that length)");
      }
      return d;
    }

    /** {@code loss:} a probability (independent loss), or a mapping with a {@code model}. */
    LossModel loss(YamlValue v) throws ScenarioException {
      if (!v.isMap()) {
        double p = v.asProbability();
        return p == 0 ? LossModel.none() : LossModel.bernoulli(p);
      }
      YamlMap m = v.asMap();
      String model = m.require("model").asChoice(List.of("bernoulli", "gilbert-elliott"));
      if (model.equals("bernoulli")) {
        YamlValue p = m.get("p");
        m.finish();
        double prob = m.required(p, "p").asProbability();
        return prob == 0 ? LossModel.none() : LossModel.bernoulli(prob);
      }
      double lossGood = m.probability("lossGood", 0);
      double lossBad = m.probability("lossBad", 1);
      YamlValue gb = m.get("pGoodToBad");
      YamlValue bg = m.get("pBadToGood");
      m.finish();
      double pGoodToBad = m.required(gb, "pGoodToBad").asProbability();
      double pBadToGood = m.required(bg, "pBadToGood").asProbability();
      return LossModel.gilbertElliott(pGoodToBad, pBadToGood, lossGood, lossBad);
    }

    // --- faults ------------------------------------------------------------------------------

    /**
     * {@code faults:} a list of scheduled faults, each {@code {kind, at, for | until, target,
     * <the kind's keys>}}; see docs/scenarios.md#faults. Two crashes of one host may not
     * overlap (a host that is down cannot go down again).
     */
    List<Fault> faults(YamlValue node) throws ScenarioException {
      List<YamlValue> items = node.asList();
      if (items.size() > MAX_FAULTS) {
        throw node.error("too many faults (" + items.size() + "; at most " + MAX_FAULTS + ")");
      }
      List<Fault> out = new ArrayList<>();
      List<YamlValue> atNodes = new ArrayList<>();
      for (YamlValue item : items) {
        YamlMap m = item.asMap();
        String kind = m.require("kind").asChoice(FAULT_KINDS);
        YamlValue atNode = m.get("at");
        YamlValue forNode = m.get("for");
        YamlValue untilNode = m.get("until");
        YamlValue targetNode = m.get("target");
        for (String key : FAULT_KEYS.get(kind)) m.get(key);
        m.finish();
        Fault.Effect effect = faultEffect(kind, m);
        long at = m.required(atNode, "at").asDuration(0);
        long until;
        if (effect instanceof Fault.Reset) {
          YamlValue extra = forNode != null ? forNode : untilNode;
          if (extra != null) {
            throw extra.error("a reset acts at one instant, 'at'; it takes no 'for' or 'until'");
          }
          until = at;
        } else if (forNode != null && untilNode != null) {
          throw untilNode.error("'for' and 'until' exclude each other: give how long the fault"
              + " lasts or when it ends, not both");
        } else if (forNode != null) {
          long length = forNode.asDuration(1);
          if (length > Long.MAX_VALUE - at) throw forNode.invalid("too long: at + for overflows");
          until = at + length;
        } else if (untilNode != null) {
          until = untilNode.asDuration(0);
          if (until <= at) {
            throw untilNode.invalid("must be later than 'at' (" + Units.formatDuration(at) + ")");
          }
        } else if (effect instanceof Fault.Filter) {
          until = Long.MAX_VALUE; // a firewall rule stays until the end of the run
        } else {
          throw m.self().error("a " + kind + " fault needs 'for' (how long it lasts) or 'until'"
              + " (when it ends)");
        }
        Fault.Target target = faultTarget(m.required(targetNode, "target"));
        if (effect instanceof Fault.Crash && !(target instanceof Fault.Host)) {
          throw targetNode.error("a crash needs a {host: X} target: the host that goes down");
        }
        if (effect instanceof Fault.Blackhole && !(target instanceof Fault.FromTo)) {
          throw targetNode.error("a blackhole drops one direction: its target must be {from: A,"
              + " to: B} (a partition cuts both directions)");
        }
        if (effect instanceof Fault.Partition && target instanceof Fault.FromTo) {
          throw targetNode.error("a partition cuts both directions: use {between: [A, B]},"
              + " {host: X} or all (a blackhole drops one direction, from -> to)");
        }
        Fault fault;
        try {
          fault = new Fault(at, until, target, effect);
        } catch (IllegalArgumentException e) {
          throw item.error("invalid fault: " + e.getMessage());
        }
        if (effect instanceof Fault.Crash) {
          for (int k = 0; k < out.size(); k++) {
            Fault other = out.get(k);
            if (other.effect() instanceof Fault.Crash && other.target().equals(target)
                && other.at() < until && at < other.until()) {
              throw atNode.error("this crash of host \"" + hostName(((Fault.Host) target).host())
                  + "\" [" + Units.formatDuration(at) + ", " + Units.formatDuration(until)
                  + ") overlaps its crash at line " + atNodes.get(k).line() + " ["
                  + Units.formatDuration(other.at()) + ", " + Units.formatDuration(other.until())
                  + "): a host that is down cannot crash again");
            }
          }
        }
        out.add(fault);
        atNodes.add(atNode);
      }
      return List.copyOf(out);
    }

    /**
     * {@code flags: ACK}, {@code flags: "SYN,ACK"} or {@code flags: [SYN, ACK]}: the exact set
     * of TCP control bits.
     */
    private static int controlBits(YamlValue v) throws ScenarioException {
      List<YamlValue> items = v.isList() ? v.asList() : List.of(v);
      if (items.isEmpty()) throw v.invalid("must name at least one control bit, such as ACK");
      List<String> names = List.of("FIN", "SYN", "RST", "PSH", "ACK");
      int bits = 0;
      for (YamlValue item : items) {
        for (String part : item.text("control bits such as ACK or SYN,ACK").split(",")) {
          String name = part.strip().toUpperCase(Locale.ROOT);
          int i = names.indexOf(name);
          if (i < 0) {
            throw item.invalid("must be TCP control bits (" + String.join(", ", names)
                + "), such as ACK or [SYN, ACK]; \"" + part.strip() + "\" is none"
                + YamlValue.suggestion(name, names));
          }
          bits |= 1 << i; // FIN 0x01, SYN 0x02, RST 0x04, PSH 0x08, ACK 0x10 (RFC 9293 §3.1)
        }
      }
      return bits;
    }

    /** What a fault of {@code kind} does, from its own keys (see {@link #FAULT_KEYS}). */
    private Fault.Effect faultEffect(String kind, YamlMap m) throws ScenarioException {
      switch (kind) {
        case "partition":
          return new Fault.Partition();
        case "blackhole":
          return new Fault.Blackhole();
        case "crash":
          return new Fault.Crash();
        case "filter": {
          YamlValue flags = m.get("flags");
          YamlValue length = m.get("length");
          return new Fault.Filter(flags == null ? -1 : controlBits(flags),
              length == null ? -1 : (int) length.asSize(0, 65535));
        }
        case "loss":
          return new Fault.Loss(requiredKey(m, "loss").asProbability());
        case "latency":
          return new Fault.Latency(requiredKey(m, "latency").asDuration(1));
        case "jitter":
          return new Fault.Jitter(requiredKey(m, "jitter").asDuration(1));
        case "duplicate":
          return new Fault.Duplicate(requiredKey(m, "duplicate").asProbability());
        case "reorder": {
          long delay = m.duration("reorderDelay", DEFAULT_REORDER_DELAY, 0);
          return new Fault.Reorder(requiredKey(m, "reorder").asProbability(), delay);
        }
        case "corrupt":
          return new Fault.Corrupt(requiredKey(m, "corrupt").asProbability());
        case "bandwidth": {
          long queue = m.size("queue", Fault.Bandwidth.LINK_QUEUE, 0, Long.MAX_VALUE);
          YamlValue rateNode = requiredKey(m, "bandwidth");
          long rate = rateNode.asBitRate();
          if (rate <= 0) {
            throw rateNode.invalid("must be a bit rate greater than 0 (the rate during the cut)");
          }
          return new Fault.Bandwidth(rate, queue);
        }
        case "reset": {
          String seq = m.choice("seq", "exact", List.of("exact", "in-window"));
          return new Fault.Reset(seq.equals("exact")
              ? Fault.ResetSeq.EXACT : Fault.ResetSeq.IN_WINDOW);
        }
        default:
          throw new IllegalStateException("fault kind " + kind + " is listed but not read");
      }
    }

    /** The value of a kind's own required key ({@code loss: 30%} in a loss fault). */
    private static YamlValue requiredKey(YamlMap m, String key) throws ScenarioException {
      return m.required(m.get(key), key);
    }

    /** {@code target:} all, {host: X}, {between: [A, B]} or {from: A, to: B}. */
    private Fault.Target faultTarget(YamlValue v) throws ScenarioException {
      String help = "all, {host: X}, {between: [A, B]} or {from: A, to: B}";
      if (!v.isMap()) {
        if (v.isScalar() && v.text(help).equals("all")) return new Fault.All();
        throw v.invalid("must be " + help);
      }
      YamlMap m = v.asMap();
      YamlValue hostNode = m.get("host");
      YamlValue betweenNode = m.get("between");
      YamlValue fromNode = m.get("from");
      YamlValue toNode = m.get("to");
      m.finish();
      int forms = (hostNode != null ? 1 : 0) + (betweenNode != null ? 1 : 0)
          + (fromNode != null || toNode != null ? 1 : 0);
      if (forms != 1) {
        throw v.error("must be " + help + ": exactly one of 'host', 'between', or 'from' with"
            + " 'to'");
      }
      if (hostNode != null) return new Fault.Host(host(hostNode));
      if (betweenNode != null) {
        List<YamlValue> ends = betweenNode.isList() ? betweenNode.asList() : List.of();
        if (ends.size() != 2) throw betweenNode.invalid("must be a list of two host names");
        return new Fault.Between(host(ends.get(0)), host(ends.get(1)));
      }
      int from = host(m.required(fromNode, "from"));
      int to = host(m.required(toNode, "to"));
      return new Fault.FromTo(from, to);
    }
  }
}
