package tcpsim.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;
import tcpsim.tcp.Flags;
import tcpsim.tcp.Segment;
import tcpsim.tcp.TcpOptions;

/**
 * The trace digest covers a segment's TCP options (and then its window) only when it has
 * options, so that option-less traces ({@code profile: rfc}) keep the digests they always had.
 */
class TraceDigestOptionsTest {

  private static String digest(int window, TcpOptions options) {
    Segment s = new Segment(0, 40000, 1, 80, 1000, 0, Flags.SYN, window, 0, false, 0, 0L, 0, 5L,
        options);
    TraceDigest d = new TraceDigest();
    d.accept(TraceEvent.segment(TraceEvent.Kind.SEND, 5L, 0L, 0, 0, s, null));
    return d.hex();
  }

  /** The same event as the 18-field form made it before events carried windows and options. */
  private static String digestWithoutWindowOrOptions() {
    TraceDigest d = new TraceDigest();
    d.accept(new TraceEvent(5L, 0L, 0, 0, TraceEvent.Kind.SEND, 0, 0, 40000, 1, 80, Flags.SYN,
        1000, 0, 0, false, null, null, null));
    return d.hex();
  }

  @Test
  void withoutOptions_theWindowIsNotHashed_andTheDigestIsTheOldOne() {
    assertEquals(digestWithoutWindowOrOptions(), digest(65535, null));
    assertEquals(digest(65535, null), digest(0, null));
  }

  @Test
  void options_andTheWindowWithThem_changeTheDigest() {
    TcpOptions syn = TcpOptions.of(1460, true, true, 1, 0, 7);
    assertNotEquals(digest(64240, null), digest(64240, syn));
    assertNotEquals(digest(64240, syn), digest(65160, syn));
    assertNotEquals(digest(64240, syn), digest(64240, TcpOptions.of(1460, true, true, 2, 0, 7)));
  }
}
