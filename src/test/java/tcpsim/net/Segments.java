package tcpsim.net;

import java.util.ArrayList;
import java.util.List;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Segment;

/** Builders of test segments. */
final class Segments {
  static final long MS = 1_000_000L;

  private Segments() {}

  /** A data segment from host {@code src} port 1000 to host {@code dst} port 80. */
  static Segment data(int src, int dst, long origin, int emitIndex, long sentAt, int len) {
    return new Segment(src, 1000, dst, 80, emitIndex * 1460, 1, Flags.ACK, 65535, len, false, 1,
        origin, emitIndex, sentAt);
  }

  /** {@code n} segments of one flow, one every {@code spacing} ns from time 0. */
  static List<Segment> flow(int src, int dst, long origin, int n, long spacing, int len) {
    List<Segment> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) out.add(data(src, dst, origin, i, i * spacing, len));
    return out;
  }
}
