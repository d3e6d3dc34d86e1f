package tcpsim.tcp;

import java.nio.ByteBuffer;

/**
 * The TCP options a segment carries (RFC 9293 §3.1 "Options"): MSS (RFC 9293 §3.7.1),
 * SACK-permitted (RFC 2018 §2), timestamps TSval/TSecr and window scale (RFC 7323 §2.2, §3.2).
 * Immutable and small: a segment without options carries {@code null}, never an empty instance
 * ({@link #of} returns null when nothing is present).
 *
 * <p>The wire layout is Linux's ({@code tcp_options_write()}, docs/linux-profile.md §1.1): MSS,
 * then timestamps — preceded by SACK-permitted in place of the two padding NOPs when both are
 * present, else by two NOPs —, SACK-permitted alone after two NOPs, and window scale after one
 * NOP. {@link #parse} reads any well-formed option list back (NOPs, EOL and unknown kinds are
 * skipped).
 */
public final class TcpOptions {
  /** Option kinds (IANA "TCP Option Kind Numbers"). */
  static final int EOL = 0;
  static final int NOP = 1;
  static final int KIND_MSS = 2;
  static final int KIND_WSCALE = 3;
  static final int KIND_SACK_PERMITTED = 4;
  static final int KIND_TIMESTAMPS = 8;
  /** Bytes the timestamp option takes with its padding (TCPOLEN_TSTAMP_ALIGNED). */
  public static final int TIMESTAMP_BYTES = 12;
  /** Absent fields. */
  public static final int NO_MSS = 0;
  public static final int NO_WSCALE = -1;

  private final short mss;
  private final byte wscale;
  private final boolean sackPermitted;
  private final boolean timestamps;
  private final int tsVal;
  private final int tsEcr;

  private TcpOptions(int mss, boolean sackPermitted, boolean timestamps, int tsVal, int tsEcr,
      int wscale) {
    if (mss < 0 || mss > 0xFFFF) throw new IllegalArgumentException("MSS out of range: " + mss);
    if (wscale < NO_WSCALE || wscale > 255) {
      throw new IllegalArgumentException("window scale out of range: " + wscale);
    }
    this.mss = (short) mss;
    this.wscale = (byte) wscale;
    this.sackPermitted = sackPermitted;
    this.timestamps = timestamps;
    this.tsVal = timestamps ? tsVal : 0;
    this.tsEcr = timestamps ? tsEcr : 0;
  }

  /**
   * The options given; {@code null} when none is present.
   *
   * @param mss the MSS option's value, or {@link #NO_MSS}
   * @param wscale the window scale shift, or {@link #NO_WSCALE}
   */
  public static TcpOptions of(int mss, boolean sackPermitted, boolean timestamps, int tsVal,
      int tsEcr, int wscale) {
    if (mss == NO_MSS && !sackPermitted && !timestamps && wscale == NO_WSCALE) return null;
    return new TcpOptions(mss, sackPermitted, timestamps, tsVal, tsEcr, wscale);
  }

  /** The timestamp option alone, as every segment after the handshake carries it. */
  public static TcpOptions timestamps(int tsVal, int tsEcr) {
    return new TcpOptions(NO_MSS, false, true, tsVal, tsEcr, NO_WSCALE);
  }

  /** The MSS option's value, or {@link #NO_MSS}. */
  public int mss() {
    return mss & 0xFFFF;
  }

  public boolean hasMss() {
    return mss != 0;
  }

  public boolean sackPermitted() {
    return sackPermitted;
  }

  public boolean hasTimestamps() {
    return timestamps;
  }

  public int tsVal() {
    return tsVal;
  }

  public int tsEcr() {
    return tsEcr;
  }

  /** The window scale shift, or {@link #NO_WSCALE}. */
  public int wscale() {
    return wscale;
  }

  public boolean hasWscale() {
    return wscale != NO_WSCALE;
  }

  /** Bytes on the wire, a multiple of 4 (so the data offset is 5 + length / 4). */
  public int length() {
    int n = hasMss() ? 4 : 0;
    if (timestamps) n += 12;
    else if (sackPermitted) n += 4;
    if (hasWscale()) n += 4;
    return n;
  }

  /** The TCP header's data offset in 32-bit words with these options (5 without any). */
  public static int dataOffset(TcpOptions o) {
    return 5 + (o == null ? 0 : o.length() / 4);
  }

  /** Writes the options in Linux's layout (docs/linux-profile.md §1.1). */
  public void writeTo(ByteBuffer b) {
    if (hasMss()) b.put((byte) KIND_MSS).put((byte) 4).putShort(mss);
    if (timestamps) {
      if (sackPermitted) b.put((byte) KIND_SACK_PERMITTED).put((byte) 2);
      else b.put((byte) NOP).put((byte) NOP);
      b.put((byte) KIND_TIMESTAMPS).put((byte) 10).putInt(tsVal).putInt(tsEcr);
    } else if (sackPermitted) {
      b.put((byte) NOP).put((byte) NOP).put((byte) KIND_SACK_PERMITTED).put((byte) 2);
    }
    if (hasWscale()) b.put((byte) NOP).put((byte) KIND_WSCALE).put((byte) 3).put(wscale);
  }

  /** The wire bytes. */
  public byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(length());
    writeTo(b);
    return b.array();
  }

  /**
   * The options in {@code length} bytes of a TCP header from {@code offset}; null when there are
   * none that this class models. A malformed list (an option running past the end, a length
   * below 2) ends the parse there, as receivers do.
   */
  public static TcpOptions parse(byte[] d, int offset, int length) {
    int mss = NO_MSS;
    int wscale = NO_WSCALE;
    boolean sack = false;
    boolean ts = false;
    int tsVal = 0;
    int tsEcr = 0;
    int i = offset;
    int end = offset + length;
    while (i < end) {
      int kind = d[i] & 0xFF;
      if (kind == EOL) break;
      if (kind == NOP) {
        i++;
        continue;
      }
      if (i + 1 >= end) break;
      int len = d[i + 1] & 0xFF;
      if (len < 2 || i + len > end) break;
      if (kind == KIND_MSS && len == 4) {
        mss = (d[i + 2] & 0xFF) << 8 | (d[i + 3] & 0xFF);
      } else if (kind == KIND_WSCALE && len == 3) {
        wscale = d[i + 2] & 0xFF;
      } else if (kind == KIND_SACK_PERMITTED && len == 2) {
        sack = true;
      } else if (kind == KIND_TIMESTAMPS && len == 10) {
        ts = true;
        tsVal = ByteBuffer.wrap(d, i + 2, 4).getInt();
        tsEcr = ByteBuffer.wrap(d, i + 6, 4).getInt();
      }
      i += len;
    }
    return of(mss, sack, ts, tsVal, tsEcr, wscale);
  }

  /**
   * As tcpdump prints the option list, in wire order with the padding NOPs:
   * {@code mss 1460,sackOK,TS val 123 ecr 0,nop,wscale 7}.
   */
  public String tcpdump() {
    StringBuilder b = new StringBuilder(64);
    if (hasMss()) b.append("mss ").append(mss());
    if (timestamps) {
      sep(b).append(sackPermitted ? "sackOK" : "nop,nop");
      b.append(",TS val ").append(Integer.toUnsignedLong(tsVal)).append(" ecr ")
          .append(Integer.toUnsignedLong(tsEcr));
    } else if (sackPermitted) {
      sep(b).append("nop,nop,sackOK");
    }
    if (hasWscale()) sep(b).append("nop,wscale ").append(wscale);
    return b.toString();
  }

  private static StringBuilder sep(StringBuilder b) {
    return b.isEmpty() ? b : b.append(',');
  }

  /** As a JSON object with the options present: {@code {"mss":1460,"sackOK":true,...}}. */
  public String json() {
    StringBuilder b = new StringBuilder(64).append('{');
    if (hasMss()) b.append("\"mss\":").append(mss()).append(',');
    if (sackPermitted) b.append("\"sackOK\":true,");
    if (timestamps) {
      b.append("\"tsval\":").append(Integer.toUnsignedLong(tsVal)).append(',');
      b.append("\"tsecr\":").append(Integer.toUnsignedLong(tsEcr)).append(',');
    }
    if (hasWscale()) b.append("\"wscale\":").append(wscale).append(',');
    b.setLength(b.length() - 1);
    return b.append('}').toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TcpOptions t && t.mss == mss && t.wscale == wscale
        && t.sackPermitted == sackPermitted && t.timestamps == timestamps && t.tsVal == tsVal
        && t.tsEcr == tsEcr;
  }

  @Override
  public int hashCode() {
    int h = mss * 31 + wscale;
    h = h * 31 + (sackPermitted ? 1 : 0);
    h = h * 31 + (timestamps ? 1 : 0);
    h = h * 31 + tsVal;
    return h * 31 + tsEcr;
  }

  @Override
  public String toString() {
    return "<" + tcpdump() + ">";
  }
}
