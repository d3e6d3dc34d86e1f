package tcpsim.tcp;

/** TCP control bits as they appear in the header (RFC 9293 §3.1), kept as a bit set in a byte. */
public final class Flags {
  private Flags() {}

  public static final int FIN = 0x01;
  public static final int SYN = 0x02;
  public static final int RST = 0x04;
  public static final int PSH = 0x08;
  public static final int ACK = 0x10;

  /** "SYN,ACK" — the order used by the trace: SYN, RST, FIN, PSH, ACK. */
  public static String names(int flags) {
    StringBuilder b = new StringBuilder(12);
    append(b, flags, SYN, "SYN");
    append(b, flags, RST, "RST");
    append(b, flags, FIN, "FIN");
    append(b, flags, PSH, "PSH");
    append(b, flags, ACK, "ACK");
    return b.toString();
  }

  private static void append(StringBuilder b, int flags, int bit, String name) {
    if ((flags & bit) != 0) {
      if (b.length() > 0) b.append(',');
      b.append(name);
    }
  }
}
