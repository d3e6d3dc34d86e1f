package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import tcpsim.engine.Simulation;
import tcpsim.scenario.ScenarioLoader;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Seq;
import tcpsim.tcp.TcpOptions;
import tcpsim.tcp.TcpState;

/**
 * Pins what {@link PcapWriter} puts on the wire by reading it back with {@link PcapReader}.
 *
 * <p>The first test also leaves {@code target/pcap/handshake-retransmit.pcap}, and the Linux
 * handshake test {@code target/pcap/linux-handshake.pcap}, so CI can check that Wireshark's
 * dissector agrees (tshark is not needed by these tests).
 */
class PcapWriterTest {
  private static final int CLIENT = 0;
  private static final int SERVER = 1;
  private static final int CLIENT_PORT = 40000;
  private static final int SERVER_PORT = 80;
  // Client ISN close to 2^32, so the data segment wraps the sequence space.
  private static final int X = 0xFFFFFFF0;
  private static final int Y = 0x7FFFFFFF;

  private int index;

  /** A SEND event of connection {@code conn}, from client to server or back. */
  private TraceEvent send(long t, int conn, boolean fromClient, int flags, int seq, int ack,
      int len, boolean retransmit) {
    return segment(TraceEvent.Kind.SEND, t, conn, fromClient, flags, seq, ack, len, retransmit);
  }

  private TraceEvent segment(TraceEvent.Kind kind, long t, int conn, boolean fromClient,
      int flags, int seq, int ack, int len, boolean retransmit) {
    int srcHost = fromClient ? CLIENT : SERVER;
    int dstHost = fromClient ? SERVER : CLIENT;
    int srcPort = fromClient ? CLIENT_PORT + conn : SERVER_PORT;
    int dstPort = fromClient ? SERVER_PORT : CLIENT_PORT + conn;
    return new TraceEvent(t, srcHost, index++, 0, kind, conn, srcHost, srcPort, dstHost, dstPort,
        flags, seq, ack, len, retransmit, kind == TraceEvent.Kind.DROP ? DropReason.LOSS
            : null, null, null);
  }

  /**
   * Handshake, a 100-byte segment that is dropped and retransmitted, its ACK, and the FIN
   * exchange — with the non-SEND events a real trace interleaves, which must not become packets.
   */
  private List<TraceEvent> connection(int conn, long t0) {
    int ack = Flags.ACK;
    List<TraceEvent> e = new ArrayList<>();
    e.add(TraceEvent.state(t0, CLIENT, index++, conn, CLIENT, CLIENT_PORT + conn, SERVER,
        SERVER_PORT, TcpState.CLOSED, TcpState.SYN_SENT));
    e.add(send(t0, conn, true, Flags.SYN, X, 0, 0, false));
    e.add(segment(TraceEvent.Kind.RECV, t0 + 5_000_000, conn, true, Flags.SYN, X, 0, 0, false));
    e.add(send(t0 + 5_000_001, conn, false, Flags.SYN | ack, Y, Seq.add(X, 1), 0, false));
    e.add(send(t0 + 10_000_002, conn, true, ack, Seq.add(X, 1), Seq.add(Y, 1), 0, false));
    e.add(send(t0 + 10_000_003, conn, true, Flags.PSH | ack, Seq.add(X, 1), Seq.add(Y, 1), 100,
        false));
    e.add(segment(TraceEvent.Kind.DROP, t0 + 12_000_000, conn, true, Flags.PSH | ack,
        Seq.add(X, 1), Seq.add(Y, 1), 100, false));
    e.add(send(t0 + 1_210_000_003L, conn, true, Flags.PSH | ack, Seq.add(X, 1), Seq.add(Y, 1),
        100, true));
    e.add(send(t0 + 1_215_000_004L, conn, false, ack, Seq.add(Y, 1), Seq.add(X, 101), 0, false));
    e.add(send(t0 + 1_220_000_005L, conn, true, Flags.FIN | ack, Seq.add(X, 101), Seq.add(Y, 1),
        0, false));
    e.add(segment(TraceEvent.Kind.DUP, t0 + 1_225_000_005L, conn, true, Flags.FIN | ack,
        Seq.add(X, 101), Seq.add(Y, 1), 0, false));
    e.add(send(t0 + 1_225_000_006L, conn, false, Flags.FIN | ack, Seq.add(Y, 1), Seq.add(X, 102),
        0, false));
    e.add(send(t0 + 1_230_000_007L, conn, true, ack, Seq.add(X, 102), Seq.add(Y, 2), 0, false));
    return e;
  }

  private static byte[] capture(List<TraceEvent> events, IntPredicate connections)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, connections)) {
      events.forEach(w::accept);
    }
    return out.toByteArray();
  }

  @Test
  void sendEvents_readBack_withTheSameSeqAckFlagsLenAndTime_andValidChecksums()
      throws IOException {
    List<TraceEvent> events = connection(7, 3_000_000_017L);
    byte[] bytes = capture(events, c -> true);
    // Also leave the capture where CI can run tshark over it (see the class comment).
    Path dir = Files.createDirectories(Path.of("target", "pcap"));
    Files.write(dir.resolve("handshake-retransmit.pcap"), bytes);

    List<TraceEvent> sends = events.stream()
        .filter(e -> e.kind() == TraceEvent.Kind.SEND).toList();
    List<PcapReader.Packet> packets = PcapReader.read(bytes).packets();
    assertEquals(sends.size(), packets.size());
    for (int i = 0; i < sends.size(); i++) {
      TraceEvent e = sends.get(i);
      PcapReader.Packet p = packets.get(i);
      String at = "packet " + i;
      assertEquals(e.t(), p.tNanos(), at);
      assertEquals(PcapWriter.ipv4Of(e.srcHost()), p.srcIp(), at);
      assertEquals(PcapWriter.ipv4Of(e.dstHost()), p.dstIp(), at);
      assertEquals(e.srcPort(), p.srcPort(), at);
      assertEquals(e.dstPort(), p.dstPort(), at);
      assertEquals(e.seq(), p.seq(), at);
      assertEquals(e.ack(), p.ack(), at);
      assertEquals(e.flags(), p.flags(), at);
      assertEquals(e.len(), p.payloadLength(), at);
      assertEquals(PcapWriter.WINDOW, p.window(), at);
      assertEquals(64, p.ttl(), at);
      assertTrue(p.dontFragment(), at);
      assertTrue(p.ipChecksumOk(), at + ": IP checksum");
      assertTrue(p.tcpChecksumOk(), at + ": TCP checksum");
    }
    // Unsigned handling: the SYN's seq is 2^32 - 16, and the data wraps past zero.
    assertEquals(0xFFFFFFF0L, Integer.toUnsignedLong(packets.get(0).seq()));
    assertEquals(0x00000055L, Integer.toUnsignedLong(packets.get(5).ack())); // x + 101
    // The retransmission is a second packet with the original's seq.
    assertEquals(packets.get(3).seq(), packets.get(4).seq());
  }

  @Test
  void options_areWrittenInLinuxLayout_withTheDataOffset_andTheWindowAsSent() throws IOException {
    TcpOptions synOpts = TcpOptions.of(1460, true, true, 0x01020304, 0, 7);
    TcpOptions tsOpts = TcpOptions.timestamps(0x01020306, 0x0A0B0C0D);
    List<TraceEvent> events = List.of(
        withOptions(send(0, 1, true, Flags.SYN, X, 0, 0, false), 64240, synOpts),
        withOptions(send(2_000_000, 1, true, Flags.PSH | Flags.ACK, Seq.add(X, 1), Seq.add(Y, 1),
            100, false), 502, tsOpts),
        send(3_000_000, 1, false, Flags.RST, Seq.add(X, 1), 0, 0, false));
    List<PcapReader.Packet> p = PcapReader.read(capture(events, c -> true)).packets();
    assertEquals(3, p.size());
    assertEquals(10, p.get(0).dataOffset());
    assertEquals("020405b40402080a010203040000000001030307",
        HexFormat.of().formatHex(p.get(0).optionBytes()));
    assertEquals(synOpts, p.get(0).options());
    assertEquals(64240, p.get(0).window());
    assertEquals(8, p.get(1).dataOffset());
    assertEquals("0101080a010203060a0b0c0d", HexFormat.of().formatHex(p.get(1).optionBytes()));
    assertEquals(100, p.get(1).payloadLength(), "the options are header, not payload");
    assertEquals(502, p.get(1).window());
    assertEquals(5, p.get(2).dataOffset());
    assertEquals(0, p.get(2).optionBytes().length);
    assertEquals(null, p.get(2).options());
    assertEquals(PcapWriter.WINDOW, p.get(2).window(), "an event without a window");
    for (PcapReader.Packet q : p) assertTrue(q.ipChecksumOk() && q.tcpChecksumOk());
  }

  private static TraceEvent withOptions(TraceEvent e, int window, TcpOptions o) {
    return new TraceEvent(e.t(), e.origin(), e.index(), e.sub(), e.kind(), e.conn(), e.srcHost(),
        e.srcPort(), e.dstHost(), e.dstPort(), e.flags(), e.seq(), e.ack(), e.len(),
        e.retransmit(), e.reason(), e.from(), e.to(), window, o);
  }

  /**
   * A Linux handshake run through the engine (docs/linux-profile.md §8.1), captured and read
   * back: the exact option bytes of §1.1's table in the SYN and SYN,ACK, with the TSvals the trace
   * says, data offset 10; later segments the timestamp block, data offset 8; windows 64240, 65160,
   * then 502 and 509.
   */
  @Test
  void linuxHandshake_pcapHasTheExactOptionBytes() throws Exception {
    String yaml = String.join("\n",
        "name: linux-handshake", "seed: 7", "tcp: {profile: linux}",
        "hosts: [{name: client}, {name: server}]", "listeners: [{host: server, port: 80}]",
        "clients:", "  - {name: classic, from: client, to: server:80, count: 1,",
        "     clientBytes: 100, serverBytes: 100, close: client}",
        "network: {latency: 1ms}", "");
    List<TraceEvent> sends = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PcapWriter w = new PcapWriter(out, c -> true)) {
      Simulation.run(ScenarioLoader.loadString(yaml, "linux-handshake.yaml"), e -> {
        if (e.kind() == TraceEvent.Kind.SEND) sends.add(e);
        w.accept(e);
      });
    }
    byte[] bytes = out.toByteArray();
    Path dir = Files.createDirectories(Path.of("target", "pcap"));
    Files.write(dir.resolve("linux-handshake.pcap"), bytes);

    List<PcapReader.Packet> p = PcapReader.read(bytes).packets();
    assertEquals(sends.size(), p.size());
    HexFormat hex = HexFormat.of();
    String tvSyn = String.format("%08x", sends.get(0).options().tsVal());
    String tvSynAck = String.format("%08x", sends.get(1).options().tsVal());
    assertEquals("020405b4" + "0402080a" + tvSyn + "00000000" + "01030307",
        hex.formatHex(p.get(0).optionBytes()));
    assertEquals("020405b4" + "0402080a" + tvSynAck + tvSyn + "01030307",
        hex.formatHex(p.get(1).optionBytes()));
    assertEquals(List.of(10, 10), List.of(p.get(0).dataOffset(), p.get(1).dataOffset()));
    assertEquals(List.of(64240, 65160, 502), List.of(p.get(0).window(), p.get(1).window(),
        p.get(2).window()));
    for (int i = 2; i < p.size(); i++) {
      PcapReader.Packet q = p.get(i);
      TcpOptions o = sends.get(i).options();
      assertEquals(8, q.dataOffset(), "packet " + i);
      assertEquals("0101080a" + String.format("%08x%08x", o.tsVal(), o.tsEcr()),
          hex.formatHex(q.optionBytes()), "packet " + i);
      assertEquals(sends.get(i).window(), q.window(), "packet " + i);
      assertEquals(q.srcPort() == 80 ? 509 : 502, q.window(), "packet " + i);
      assertEquals(sends.get(i).len(), q.payloadLength(), "packet " + i);
    }
    for (PcapReader.Packet q : p) assertTrue(q.ipChecksumOk() && q.tcpChecksumOk());
  }

  @Test
  void ipIdentification_isARunningCounterPerSourceHost() throws IOException {
    List<PcapReader.Packet> packets =
        PcapReader.read(capture(connection(1, 0), c -> true)).packets();
    int[] client = packets.stream().filter(p -> p.srcIp().equals(PcapWriter.ipv4Of(CLIENT)))
        .mapToInt(PcapReader.Packet::ipId).toArray();
    int[] server = packets.stream().filter(p -> p.srcIp().equals(PcapWriter.ipv4Of(SERVER)))
        .mapToInt(PcapReader.Packet::ipId).toArray();
    assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5}, client);
    assertArrayEquals(new int[] {0, 1, 2}, server);
  }

  @Test
  void samplingPredicate_capturesOnlySelectedConnections() throws IOException {
    List<TraceEvent> events = new ArrayList<>();
    for (int conn = 0; conn < 10; conn++) events.addAll(connection(conn, conn * 1_000L));
    events.sort(TraceEvent::compare);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    long written;
    try (PcapWriter w = new PcapWriter(out, c -> c % 3 == 0)) {
      events.forEach(w::accept);
      written = w.packets();
    }
    List<PcapReader.Packet> packets = PcapReader.read(out.toByteArray()).packets();
    assertEquals(4 * 9, packets.size()); // connections 0, 3, 6, 9; nine SENDs each
    assertEquals(written, packets.size());
    for (PcapReader.Packet p : packets) {
      int clientPort = p.srcPort() == SERVER_PORT ? p.dstPort() : p.srcPort();
      assertEquals(0, (clientPort - CLIENT_PORT) % 3, "port " + clientPort);
    }
    long[] times = packets.stream().mapToLong(PcapReader.Packet::tNanos).toArray();
    long[] sorted = times.clone();
    Arrays.sort(sorted);
    assertArrayEquals(sorted, times, "timestamps never go backwards");

    assertEquals(0, PcapReader.read(capture(events, c -> false)).packets().size());
  }

  @Test
  void file_startsWithNanosecondMagic_version24_andLinktypeRaw() throws IOException {
    byte[] bytes = capture(List.of(), c -> true);
    assertEquals(24, bytes.length, "the global header is written even with no packets");
    assertArrayEquals(new byte[] {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d},
        Arrays.copyOfRange(bytes, 0, 4));
    ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.BIG_ENDIAN);
    assertEquals(2, b.getShort(4));
    assertEquals(4, b.getShort(6));
    assertEquals(PcapWriter.SNAPLEN, b.getInt(16));
    assertEquals(101, b.getInt(20));

    PcapReader.Header h = PcapReader.read(bytes).header();
    assertTrue(h.nanos());
    assertEquals(PcapWriter.LINKTYPE_RAW, h.linkType());
  }

  @Test
  void writerToPath_writesTheSameBytes(@org.junit.jupiter.api.io.TempDir Path dir)
      throws IOException {
    List<TraceEvent> events = connection(2, 42);
    Path file = dir.resolve("run.pcap");
    try (PcapWriter w = new PcapWriter(file, c -> true)) {
      events.forEach(w::accept);
    }
    assertArrayEquals(capture(events, c -> true), Files.readAllBytes(file));
  }

  @Test
  void reader_acceptsLittleEndianMicrosecondFiles() throws IOException {
    byte[] nanos = capture(connection(3, 1_234_567_000L), c -> true);
    byte[] micros = toLittleEndianMicros(nanos);
    PcapReader.Capture c = PcapReader.read(micros);
    assertFalse(c.header().nanos());
    assertEquals(ByteOrder.LITTLE_ENDIAN, c.header().order());
    List<PcapReader.Packet> expected = PcapReader.read(nanos).packets();
    assertEquals(expected.size(), c.packets().size());
    for (int i = 0; i < expected.size(); i++) {
      PcapReader.Packet p = c.packets().get(i);
      assertEquals(expected.get(i).tNanos() / 1000 * 1000, p.tNanos());
      assertEquals(expected.get(i).seq(), p.seq());
      assertTrue(p.ipChecksumOk() && p.tcpChecksumOk());
    }
  }

  @Test
  void ipv4Of_mapsHostIndexPlusOneInto10Slash8() {
    assertEquals("10.0.0.1", PcapWriter.ipv4Of(0));
    assertEquals("10.0.0.2", PcapWriter.ipv4Of(1));
    assertEquals("10.0.0.255", PcapWriter.ipv4Of(254));
    assertEquals("10.0.1.0", PcapWriter.ipv4Of(255));
    assertEquals("10.1.0.0", PcapWriter.ipv4Of(0xFFFF));
    assertEquals("10.255.255.255", PcapWriter.ipv4Of(0xFFFFFE));
    assertThrows(IllegalArgumentException.class, () -> PcapWriter.ipv4Of(-1));
    assertThrows(IllegalArgumentException.class, () -> PcapWriter.ipv4Of(0xFFFFFF));
  }

  @Test
  void checksum_matchesTheRfc1071Example() {
    // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement.
    byte[] d = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
    assertEquals(~0xddf2 & 0xFFFF, PcapWriter.checksum(d, 0, d.length, 0));
  }

  /** Rewrites a big-endian nanosecond capture as a little-endian microsecond one. */
  private static byte[] toLittleEndianMicros(byte[] nanos) {
    ByteBuffer in = ByteBuffer.wrap(nanos).order(ByteOrder.BIG_ENDIAN);
    ByteBuffer out = ByteBuffer.allocate(nanos.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(PcapWriter.MAGIC_MICROS);
    in.position(4);
    out.putShort(in.getShort()).putShort(in.getShort());
    out.putInt(in.getInt()).putInt(in.getInt()).putInt(in.getInt()).putInt(in.getInt());
    while (in.hasRemaining()) {
      out.putInt(in.getInt());
      out.putInt(in.getInt() / 1000);
      int caplen = in.getInt();
      out.putInt(caplen).putInt(in.getInt());
      byte[] packet = new byte[caplen];
      in.get(packet);
      out.put(packet);
    }
    return out.array();
  }
}
