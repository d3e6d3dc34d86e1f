package tcpsim.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tcpsim.tcp.TcpOptions;

/**
 * Reads back a libpcap capture of IPv4/TCP packets — small, for tests and tools that check what
 * {@link PcapWriter} wrote.
 *
 * <p>Accepts both magics (microsecond {@code 0xa1b2c3d4} and nanosecond {@code 0xa1b23c4d}) in
 * either byte order, and link types {@code LINKTYPE_RAW} (101), {@code LINKTYPE_IPV4} (228) and
 * Ethernet (1, IPv4 frames only). Packets that are not IPv4/TCP are skipped.
 */
public final class PcapReader {
  private PcapReader() {}

  /** The global header of a capture. */
  public record Header(int magic, boolean nanos, ByteOrder order, int versionMajor,
      int versionMinor, int snaplen, int linkType) {}

  /**
   * One IPv4/TCP packet; {@code seq} and {@code ack} are the raw 32-bit values, {@code
   * dataOffset} the TCP header's length in 32-bit words, {@code optionBytes} the header's options
   * as captured and {@code options} what they say (null: none).
   */
  public record Packet(
      long tNanos,
      String srcIp,
      String dstIp,
      int ipId,
      int ttl,
      boolean dontFragment,
      int srcPort,
      int dstPort,
      int seq,
      int ack,
      int flags,
      int window,
      int payloadLength,
      boolean ipChecksumOk,
      boolean tcpChecksumOk,
      int dataOffset,
      byte[] optionBytes,
      TcpOptions options) {}

  /** A whole capture. */
  public record Capture(Header header, List<Packet> packets) {}

  public static Capture read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  public static Capture read(InputStream in) throws IOException {
    return read(in.readAllBytes());
  }

  public static Capture read(byte[] bytes) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.remaining() < 24) throw new IllegalArgumentException("too short for a pcap header");
    int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(0);
    if (magic != PcapWriter.MAGIC_NANOS && magic != PcapWriter.MAGIC_MICROS) {
      b.order(ByteOrder.LITTLE_ENDIAN);
      magic = b.getInt(0);
      if (magic != PcapWriter.MAGIC_NANOS && magic != PcapWriter.MAGIC_MICROS) {
        throw new IllegalArgumentException(String.format("not a pcap file (magic %08x)", magic));
      }
    }
    b.position(4);
    int major = b.getShort() & 0xFFFF;
    int minor = b.getShort() & 0xFFFF;
    b.getInt(); // thiszone
    b.getInt(); // sigfigs
    int snaplen = b.getInt();
    int linkType = b.getInt() & 0x0FFFFFFF; // the top bits may carry FCS information
    boolean nanos = magic == PcapWriter.MAGIC_NANOS;
    Header header = new Header(magic, nanos, b.order(), major, minor, snaplen, linkType);

    List<Packet> packets = new ArrayList<>();
    while (b.remaining() >= 16) {
      long sec = b.getInt() & 0xFFFFFFFFL;
      long frac = b.getInt() & 0xFFFFFFFFL;
      int caplen = b.getInt();
      int origLen = b.getInt();
      if (caplen < 0 || caplen > b.remaining()) {
        throw new IllegalArgumentException("truncated packet record at " + (b.position() - 16));
      }
      int start = b.position();
      b.position(start + caplen);
      long t = sec * 1_000_000_000L + (nanos ? frac : frac * 1000);
      Packet p = parse(bytes, start, caplen, caplen == origLen, linkType, t);
      if (p != null) packets.add(p);
    }
    return new Capture(header, List.copyOf(packets));
  }

  private static Packet parse(byte[] d, int start, int caplen, boolean whole, int linkType,
      long t) {
    int ip = start;
    int end = start + caplen;
    if (linkType == 1) {
      if (caplen < 14 || u16(d, start + 12) != 0x0800) return null;
      ip += 14;
    } else if (linkType != PcapWriter.LINKTYPE_RAW && linkType != 228) {
      throw new IllegalArgumentException("unsupported link type " + linkType);
    }
    if (end - ip < 20 || (d[ip] & 0xF0) != 0x40) return null;
    int ihl = (d[ip] & 0x0F) * 4;
    int totalLength = u16(d, ip + 2);
    if (ihl < 20 || end - ip < ihl || (d[ip + 9] & 0xFF) != 6) return null;
    boolean ipOk = PcapWriter.checksum(d, ip, ihl, 0) == 0;
    int src = s32(d, ip + 12);
    int dst = s32(d, ip + 16);

    int tcp = ip + ihl;
    int tcpLength = totalLength - ihl;
    if (end - tcp < 20 || tcpLength < 20) return null;
    int dataOffset = (d[tcp + 12] >> 4 & 0x0F) * 4;
    int optionEnd = Math.min(tcp + Math.max(dataOffset, 20), end);
    byte[] optionBytes = java.util.Arrays.copyOfRange(d, tcp + 20, optionEnd);
    // The TCP checksum can be checked only when the whole segment was captured.
    boolean tcpOk = whole && end - tcp >= tcpLength
        && PcapWriter.checksum(d, tcp, tcpLength,
            PcapWriter.pseudoHeaderSum(src, dst, tcpLength)) == 0;
    return new Packet(t, dotted(src), dotted(dst), u16(d, ip + 4), d[ip + 8] & 0xFF,
        (u16(d, ip + 6) & 0x4000) != 0, u16(d, tcp), u16(d, tcp + 2), s32(d, tcp + 4),
        s32(d, tcp + 8), d[tcp + 13] & 0x3F, u16(d, tcp + 14), tcpLength - dataOffset, ipOk,
        tcpOk, dataOffset / 4, optionBytes, TcpOptions.parse(optionBytes, 0, optionBytes.length));
  }

  private static int u16(byte[] d, int i) {
    return (d[i] & 0xFF) << 8 | (d[i + 1] & 0xFF);
  }

  private static int s32(byte[] d, int i) {
    return u16(d, i) << 16 | u16(d, i + 2);
  }

  private static String dotted(int a) {
    return (a >>> 24) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }
}
