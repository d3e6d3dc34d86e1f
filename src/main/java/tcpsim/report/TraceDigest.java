package tcpsim.report;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 over the canonical trace: every event's fields in a fixed binary layout, in canonical
 * order. Two runs have the same digest exactly when they produced the same events.
 *
 * <p>A segment's TCP options, and with them its window field, are hashed only when it has
 * options (after the fixed fields, as their wire bytes): the digest of a trace without options
 * ({@code profile: rfc}) is what it was before segments carried any.
 */
public final class TraceDigest implements TraceSink {
  private final MessageDigest sha;
  private final ByteBuffer buf = ByteBuffer.allocate(128);
  private long events;

  public TraceDigest() {
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public void accept(TraceEvent e) {
    buf.clear();
    buf.putLong(e.t()).putLong(e.origin()).putInt(e.index()).putInt(e.sub());
    buf.put((byte) e.kind().ordinal()).putInt(e.conn());
    buf.putInt(e.srcHost()).putInt(e.srcPort()).putInt(e.dstHost()).putInt(e.dstPort());
    buf.put((byte) e.flags()).putInt(e.seq()).putInt(e.ack()).putInt(e.len());
    buf.put((byte) (e.retransmit() ? 1 : 0));
    buf.put((byte) (e.reason() == null ? -1 : e.reason().ordinal()));
    buf.put((byte) (e.from() == null ? -1 : e.from().ordinal()));
    buf.put((byte) (e.to() == null ? -1 : e.to().ordinal()));
    if (e.options() != null) {
      buf.putInt(e.window());
      e.options().writeTo(buf);
    }
    sha.update(buf.array(), 0, buf.position());
    events++;
  }

  public long events() {
    return events;
  }

  /** The digest as lowercase hex; call once, at the end of the run. */
  public String hex() {
    return HexFormat.of().formatHex(sha.digest());
  }
}
