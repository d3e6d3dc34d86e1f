package tcpsim.report;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntPredicate;
import tcpsim.tcp.TcpOptions;

/**
 * Writes the segments of a run as a libpcap capture that Wireshark and tshark open and dissect.
 *
 * <p>Capture point: <em>at the sender</em>. Each {@code SEND} event of a selected connection
 * becomes one packet, as it left the sender's interface, at the event's virtual time. Nothing
 * else does: a {@code DROP} was still sent (it is the {@code SEND} that shows it), and
 * {@code RECV}, {@code DUP} and {@code STATE} happen elsewhere or are not segments. A
 * retransmission is just another {@code SEND} with an old {@code seq}, which is exactly what
 * Wireshark's {@code tcp.analysis.retransmission} looks for.
 *
 * <p>File format:
 * <ul>
 *   <li>Global header: magic {@code 0xa1b23c4d} (nanosecond timestamps — virtual time is exact,
 *       so no rounding to microseconds), written big-endian; version 2.4; thiszone 0; sigfigs 0;
 *       snaplen {@value #SNAPLEN}; link type {@value #LINKTYPE_RAW} ({@code LINKTYPE_RAW}: each
 *       packet starts at its IP header, no link-layer header).
 *   <li>Record header: ts_sec and ts_nsec from the event's {@code t}; captured length = original
 *       length (nothing is truncated).
 *   <li>IPv4 header, 20 bytes: IHL 5, DSCP/ECN 0, total length, identification = a running
 *       16-bit counter per source host (starting at 0, wrapping), DF set, TTL 64, protocol 6,
 *       valid header checksum, addresses from {@link #ipv4Of(int)}.
 *   <li>TCP header: ports, seq and ack as unsigned 32-bit, flags from {@link tcpsim.tcp.Flags},
 *       the segment's window field as sent (for events that do not know it, a fixed
 *       {@value #WINDOW}), valid checksum over the pseudo-header, header and payload, urgent
 *       pointer 0; then the segment's TCP options in Linux's byte layout ({@link
 *       TcpOptions#writeTo}; docs/linux-profile.md §1.1), the data offset 5 plus their length
 *       in 32-bit words (20 header bytes without options, 40 for a Linux SYN).
 *   <li>Payload: {@code len} zero bytes — the simulator moves byte counts, not bytes — so that
 *       lengths, checksums and Wireshark's sequence analysis are all right.
 * </ul>
 *
 * <p>Streaming: the global header is written when the writer is made and each packet when its
 * event arrives (events come in canonical order, so timestamps never go backwards); {@link
 * #close()} flushes and closes the stream. I/O errors surface as {@link UncheckedIOException},
 * since {@link TraceSink#accept} cannot throw checked exceptions.
 */
public final class PcapWriter implements TraceSink, AutoCloseable {
  /** pcap magic for nanosecond-resolution timestamps. */
  public static final int MAGIC_NANOS = 0xa1b23c4d;
  /** pcap magic for microsecond-resolution timestamps (only read, never written). */
  public static final int MAGIC_MICROS = 0xa1b2c3d4;
  /** {@code LINKTYPE_RAW}: the packet begins with an IPv4 or IPv6 header. */
  public static final int LINKTYPE_RAW = 101;
  /** The window field of a packet whose event does not record the window (window -1). */
  public static final int WINDOW = 65535;
  public static final int SNAPLEN = 65535;

  static final int IP_HEADER = 20;
  static final int TCP_HEADER = 20;
  /** Largest payload whose IPv4 total length still fits in 16 bits. */
  public static final int MAX_PAYLOAD = 65535 - IP_HEADER - TCP_HEADER;

  private static final int TTL = 64;
  private static final int PROTO_TCP = 6;
  private static final int FLAG_DF = 0x4000;
  private static final byte[] ZEROS = new byte[8192];

  private final OutputStream out;
  private final IntPredicate connections;
  private final Map<Integer, Integer> nextIpId = new HashMap<>();
  /** Room for the record header, IPv4, TCP and the most options a header holds (40 bytes). */
  private final ByteBuffer headers =
      ByteBuffer.allocate(16 + IP_HEADER + TCP_HEADER + 40).order(ByteOrder.BIG_ENDIAN);
  private long packets;
  private boolean closed;

  /**
   * Starts a capture on {@code out}, which the writer now owns and closes.
   *
   * @param connections which connection ids ({@link TraceEvent#conn()}) to capture — a sampling
   *     rule such as {@code c -> c % 100 == 0}; {@code c -> true} captures all
   */
  public PcapWriter(OutputStream out, IntPredicate connections) {
    this.out = new BufferedOutputStream(out, 1 << 16);
    this.connections = connections;
    ByteBuffer g = ByteBuffer.allocate(24).order(ByteOrder.BIG_ENDIAN);
    g.putInt(MAGIC_NANOS);
    g.putShort((short) 2).putShort((short) 4); // version 2.4
    g.putInt(0); // thiszone: timestamps are already "UTC" (virtual time from 0)
    g.putInt(0); // sigfigs
    g.putInt(SNAPLEN);
    g.putInt(LINKTYPE_RAW);
    write(g.array(), g.position());
  }

  /** Starts a capture in a new file (replacing any file already there). */
  public PcapWriter(Path file, IntPredicate connections) throws IOException {
    this(Files.newOutputStream(file), connections);
  }

  /**
   * The IPv4 address of simulated host {@code host} in the capture: host h is
   * {@code 10.0.0.0 + (h + 1)}, i.e. with {@code a = h + 1},
   * {@code 10.(a >> 16 & 255).(a >> 8 & 255).(a & 255)}. Host 0 is 10.0.0.1, host 1 is
   * 10.0.0.2, host 255 is 10.0.1.0. The offset keeps 10.0.0.0 unused; hosts 0 … 2^24 − 2 fit.
   */
  public static String ipv4Of(int host) {
    int a = addressOf(host);
    return (a >>> 24) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }

  /** {@link #ipv4Of(int)} as the 32-bit address in network order. */
  static int addressOf(int host) {
    if (host < 0 || host > 0xFFFFFE) {
      throw new IllegalArgumentException("host index out of the 10/8 mapping: " + host);
    }
    return 10 << 24 | (host + 1);
  }

  @Override
  public synchronized void accept(TraceEvent e) {
    if (e.kind() != TraceEvent.Kind.SEND || !connections.test(e.conn())) return;
    if (closed) throw new IllegalStateException("pcap writer is closed");
    TcpOptions options = e.options();
    int optionBytes = options == null ? 0 : options.length();
    if (e.len() < 0 || e.len() > MAX_PAYLOAD - optionBytes) {
      throw new IllegalArgumentException("payload does not fit an IPv4 packet: " + e.len());
    }
    if (e.t() < 0) throw new IllegalArgumentException("negative time: " + e.t());
    int src = addressOf(e.srcHost());
    int dst = addressOf(e.dstHost());
    int tcpHeader = TCP_HEADER + optionBytes;
    int tcpLength = tcpHeader + e.len();
    int totalLength = IP_HEADER + tcpLength;

    ByteBuffer b = headers.clear();
    // Record header.
    b.putInt((int) (e.t() / 1_000_000_000L));
    b.putInt((int) (e.t() % 1_000_000_000L));
    b.putInt(totalLength); // captured
    b.putInt(totalLength); // original

    // IPv4 header (RFC 791 §3.1).
    int ip = b.position();
    b.put((byte) 0x45); // version 4, IHL 5
    b.put((byte) 0);
    b.putShort((short) totalLength);
    b.putShort((short) nextIpId(e.srcHost()));
    b.putShort((short) FLAG_DF);
    b.put((byte) TTL);
    b.put((byte) PROTO_TCP);
    b.putShort((short) 0); // checksum, filled below
    b.putInt(src);
    b.putInt(dst);
    b.putShort(ip + 10, (short) checksum(b.array(), ip, IP_HEADER, 0));

    // TCP header (RFC 9293 §3.1).
    int tcp = b.position();
    b.putShort((short) port(e.srcPort()));
    b.putShort((short) port(e.dstPort()));
    b.putInt(e.seq());
    b.putInt(e.ack());
    b.put((byte) (TcpOptions.dataOffset(options) << 4));
    b.put((byte) (e.flags() & 0x3F));
    b.putShort((short) (e.window() < 0 ? WINDOW : e.window()));
    b.putShort((short) 0); // checksum, filled below
    b.putShort((short) 0); // urgent pointer
    if (options != null) options.writeTo(b);
    // RFC 9293 §3.1: the checksum covers the pseudo-header, the header and the data. The data
    // is all zeros, which add nothing to a one's-complement sum, so the header suffices.
    b.putShort(tcp + 16, (short) checksum(b.array(), tcp, tcpHeader,
        pseudoHeaderSum(src, dst, tcpLength)));

    write(b.array(), b.position());
    for (int left = e.len(); left > 0; left -= ZEROS.length) {
      write(ZEROS, Math.min(left, ZEROS.length));
    }
    packets++;
  }

  /** Packets written so far. */
  public synchronized long packets() {
    return packets;
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) return;
    closed = true;
    out.close(); // flushes the buffer first
  }

  private int nextIpId(int host) {
    int id = nextIpId.getOrDefault(host, 0);
    nextIpId.put(host, (id + 1) & 0xFFFF);
    return id;
  }

  private static int port(int port) {
    if (port < 0 || port > 0xFFFF) throw new IllegalArgumentException("port out of range: " + port);
    return port;
  }

  private void write(byte[] bytes, int length) {
    try {
      out.write(bytes, 0, length);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  /** The one's-complement sum of the TCP pseudo-header (RFC 9293 §3.1), unfolded. */
  static long pseudoHeaderSum(int src, int dst, int tcpLength) {
    return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + PROTO_TCP + tcpLength;
  }

  /**
   * The Internet checksum (RFC 1071) of {@code length} bytes from {@code offset}, starting from
   * the partial sum {@code initial}: the one's complement of the one's-complement sum of 16-bit
   * words, an odd last byte padded with zero. Over data that already holds a correct checksum the
   * result is 0.
   */
  static int checksum(byte[] data, int offset, int length, long initial) {
    long sum = initial;
    int i = offset;
    int end = offset + length;
    for (; i + 1 < end; i += 2) {
      sum += (data[i] & 0xFF) << 8 | (data[i + 1] & 0xFF);
    }
    if (i < end) sum += (data[i] & 0xFF) << 8;
    while ((sum >>> 16) != 0) sum = (sum & 0xFFFF) + (sum >>> 16);
    return (int) (~sum & 0xFFFF);
  }
}
