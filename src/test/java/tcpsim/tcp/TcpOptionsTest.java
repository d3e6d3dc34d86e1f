package tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The wire layout of docs/linux-profile.md §1.1's table, row by row (Linux's tcp_options_write),
 * how tcpdump prints it, and parsing it back.
 */
class TcpOptionsTest {
  private static final int TV = 0x01020304;
  private static final int TE = 0xA0B0C0D0;
  private static final int NO_WS = TcpOptions.NO_WSCALE;

  private static String hex(TcpOptions o) {
    return HexFormat.of().formatHex(o.toBytes());
  }

  @Test
  void linuxDefault_mssSackTsWs_is20Bytes_sackReplacingTheTimestampsNops() {
    TcpOptions o = TcpOptions.of(1460, true, true, TV, TE, 7);
    assertEquals("020405b4" + "0402080a" + "01020304" + "a0b0c0d0" + "01030307", hex(o));
    assertEquals(20, o.length());
    assertEquals(10, TcpOptions.dataOffset(o));
    assertEquals("mss 1460,sackOK,TS val 16909060 ecr 2695938256,nop,wscale 7", o.tcpdump());
  }

  @Test
  void noSack_mssTsWs_padsTheTimestampsWithTwoNops() {
    TcpOptions o = TcpOptions.of(1460, false, true, TV, TE, 7);
    assertEquals("020405b4" + "0101080a" + "01020304" + "a0b0c0d0" + "01030307", hex(o));
    assertEquals(10, TcpOptions.dataOffset(o));
    assertEquals("mss 1460,nop,nop,TS val 16909060 ecr 2695938256,nop,wscale 7", o.tcpdump());
  }

  @Test
  void noTimestamps_mssSackWs_is12Bytes() {
    TcpOptions o = TcpOptions.of(1460, true, false, 0, 0, 7);
    assertEquals("020405b4" + "01010402" + "01030307", hex(o));
    assertEquals(8, TcpOptions.dataOffset(o));
    assertEquals("mss 1460,nop,nop,sackOK,nop,wscale 7", o.tcpdump());
  }

  @Test
  void mssAndWs_is8Bytes() {
    TcpOptions o = TcpOptions.of(1460, false, false, 0, 0, 7);
    assertEquals("020405b4" + "01030307", hex(o));
    assertEquals(7, TcpOptions.dataOffset(o));
  }

  @Test
  void mssOnly_is4Bytes() { // a cookie SYN,ACK to a SYN without timestamps (§5)
    TcpOptions o = TcpOptions.of(1460, false, false, 0, 0, NO_WS);
    assertEquals("020405b4", hex(o));
    assertEquals(6, TcpOptions.dataOffset(o));
    assertEquals("mss 1460", o.tcpdump());
  }

  @Test
  void establishedSegment_timestampsOnly_is12Bytes() {
    TcpOptions o = TcpOptions.timestamps(TV, TE);
    assertEquals("0101080a" + "01020304" + "a0b0c0d0", hex(o));
    assertEquals(8, TcpOptions.dataOffset(o));
    assertEquals("nop,nop,TS val 16909060 ecr 2695938256", o.tcpdump());
  }

  @Test
  void nothingPresent_isNull_andDataOffset5() {
    assertNull(TcpOptions.of(TcpOptions.NO_MSS, false, false, 0, 0, NO_WS));
    assertEquals(5, TcpOptions.dataOffset(null));
  }

  @Test
  void parse_readsEveryLayoutBack() {
    for (TcpOptions o : new TcpOptions[] {
        TcpOptions.of(1460, true, true, TV, TE, 7), TcpOptions.of(1460, false, true, TV, TE, 7),
        TcpOptions.of(1460, true, false, 0, 0, 7), TcpOptions.of(536, false, false, 0, 0, 0),
        TcpOptions.of(1460, false, false, 0, 0, NO_WS), TcpOptions.timestamps(-1, 0)}) {
      byte[] b = o.toBytes();
      assertEquals(o, TcpOptions.parse(b, 0, b.length), o.tcpdump());
    }
  }

  @Test
  void parse_skipsUnknownOptionsAndEol_andStopsAtAMalformedOne() {
    byte[] b = HexFormat.of().parseHex("1e0400000204058c00ffff");
    assertEquals(TcpOptions.of(1420, false, false, 0, 0, NO_WS), TcpOptions.parse(b, 0, b.length));
    byte[] bad = HexFormat.of().parseHex("020405b40801");
    assertEquals(TcpOptions.of(1460, false, false, 0, 0, NO_WS), TcpOptions.parse(bad, 0, 6));
  }

  @Test
  void json_listsThePresentOptions() {
    assertEquals("{\"mss\":1460,\"sackOK\":true,\"tsval\":5,\"tsecr\":0,\"wscale\":7}",
        TcpOptions.of(1460, true, true, 5, 0, 7).json());
    assertEquals("{\"tsval\":4294967295,\"tsecr\":1}", TcpOptions.timestamps(-1, 1).json());
  }

  @Test
  void writeTo_equalsToBytes() {
    TcpOptions o = TcpOptions.of(1460, true, true, TV, TE, 7);
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(20);
    o.writeTo(b);
    assertArrayEquals(o.toBytes(), b.array());
  }
}
