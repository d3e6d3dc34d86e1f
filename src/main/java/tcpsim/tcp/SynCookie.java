package tcpsim.tcp;

/**
 * SYN cookies (RFC 4987 §3.6): an ISN that encodes what a listener would otherwise remember
 * about a SYN, so that it can answer the SYN and forget it. The arithmetic is Linux's
 * (net/ipv4/syncookies.c, secure_tcp_syn_cookie and check_tcp_syn_cookie):
 *
 * <pre>
 *   cookie = H0(4-tuple) + client ISN + (counter &lt;&lt; 24) + ((H1(4-tuple, counter) + mss index) mod 2^24)
 * </pre>
 *
 * where {@code counter} is virtual time in units of {@link #PERIOD} and the mss index points into
 * Linux's {@link #MSS_TABLE}. The top 8 bits carry the counter, so a check can tell how old the
 * cookie is without any state; the low 24 bits carry the index under a keyed hash, so a forger
 * who does not know the secret cannot make a cookie that decodes to a valid index (except by
 * luck, about 4 in 2^24).
 *
 * <p>Linux keys H0 and H1 with two random siphash secrets made at boot. Here the secret is a
 * number given to the listener (derived from the scenario seed), and H0, H1 are a plain keyed
 * mix (the SplitMix64 finalizer): this is a simulation, the hash has to be deterministic and
 * well spread, not cryptographic.
 */
final class SynCookie {
  /** One cookie counter tick: Linux's TCP_SYNCOOKIE_PERIOD, 60 s (64 s in 3.13–4.x kernels). */
  static final long PERIOD = 60 * TcpParams.S;
  /**
   * A cookie is valid while fewer than this many counter ticks have passed since it was made
   * (MAX_SYNCOOKIE_AGE): made in counter c, it passes in c and c+1, fails from c+2 on, so it
   * lives between 60 and 120 s.
   */
  static final int MAX_AGE = 2;
  /**
   * How long after the last cookie sent a listener still checks ACKs for cookies
   * (TCP_SYNCOOKIE_VALID = MAX_SYNCOOKIE_AGE × TCP_SYNCOOKIE_PERIOD, used by
   * tcp_synq_no_recent_overflow).
   */
  static final long VALID = MAX_AGE * PERIOD;
  /**
   * The MSS values a cookie can carry (Linux's msstab: 536, 1300, 1440 for PPPoE, 1460), in two
   * bits; an MSS is rounded down to the largest entry not above it.
   */
  static final int[] MSS_TABLE = {536, 1300, 1440, 1460};

  /**
   * The low bits of a cookie SYN,ACK's TSval that carry the SYN's options (TSBITS), since the
   * ISN has no room for them (cookie_init_timestamp, docs/linux-profile.md §5): bits 0–3 the
   * client's window scale (0xF: none), bit 4 SACK-permitted, bit 5 ECN (never set here: SYNs do
   * not ask for ECN under tcp_ecn = 2).
   */
  static final int TS_BITS = 6;
  static final int TS_WSCALE_MASK = 0xF;
  static final int TS_SACK = 1 << 4;

  private static final int COOKIE_BITS = 24; // COOKIEBITS: the low bits; the counter is above
  private static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;

  private final long key0;
  private final long key1;

  /** Cookies keyed by {@code secret}; the two hash keys are derived from it, as Linux has two. */
  SynCookie(long secret) {
    this.key0 = mix64(secret + 0x9E3779B97F4A7C15L);
    this.key1 = mix64(secret + 2 * 0x9E3779B97F4A7C15L);
  }

  /** The cookie counter at virtual time {@code now} (Linux: tcp_cookie_time()). */
  static int counter(long now) {
    return (int) (now / PERIOD);
  }

  /**
   * The index into {@link #MSS_TABLE} of the largest entry not above {@code mss}; 0 (536) when
   * {@code mss} is below every entry, as __cookie_v4_init_sequence does.
   */
  static int mssIndex(int mss) {
    int i = MSS_TABLE.length - 1;
    while (i > 0 && mss < MSS_TABLE[i]) i--;
    return i;
  }

  /**
   * The cookie (our ISS) for a SYN from {@code remoteHost:remotePort} with sequence number
   * {@code clientIsn} to {@code localHost:localPort}, at {@code now}, carrying {@code mssIndex}.
   */
  int make(int localHost, int localPort, int remoteHost, int remotePort, int clientIsn,
      long now, int mssIndex) {
    int count = counter(now);
    return hash(key0, localHost, localPort, remoteHost, remotePort, 0) + clientIsn
        + (count << COOKIE_BITS)
        + ((hash(key1, localHost, localPort, remoteHost, remotePort, count) + mssIndex)
            & COOKIE_MASK);
  }

  /**
   * The mss index that {@code cookie} carries if it is one we made for this 4-tuple and client
   * ISN less than {@link #MAX_AGE} counter ticks before {@code now}; -1 if it is not.
   */
  int check(int cookie, int localHost, int localPort, int remoteHost, int remotePort,
      int clientIsn, long now) {
    int count = counter(now);
    int rest = cookie - hash(key0, localHost, localPort, remoteHost, remotePort, 0) - clientIsn;
    // Only the low 8 bits of the counter survive in the cookie, so the age is taken modulo 256.
    int age = (count - (rest >>> COOKIE_BITS)) & (-1 >>> COOKIE_BITS);
    if (age >= MAX_AGE) return -1;
    int index = (rest - hash(key1, localHost, localPort, remoteHost, remotePort, count - age))
        & COOKIE_MASK;
    return index < MSS_TABLE.length ? index : -1;
  }

  /**
   * The TS clock value (before the connection's offset) of a cookie SYN,ACK at millisecond
   * {@code clockMs}: the clock with its low {@link #TS_BITS} bits replaced by the options, one
   * period lower if that would run ahead of the clock (cookie_init_timestamp).
   */
  static int encodeTimestamp(long clockMs, int wscale, boolean sack) {
    int options = (wscale == TcpOptions.NO_WSCALE ? TS_WSCALE_MASK : wscale) | (sack ? TS_SACK : 0);
    long ts = (clockMs >> TS_BITS) << TS_BITS | options;
    if (ts > clockMs) ts -= 1L << TS_BITS;
    return (int) ts;
  }

  /**
   * The SYN's options that the TSecr of the ACK completing a cookie handshake brings back
   * (cookie_timestamp_decode; {@code echoed} is TSecr less the connection's offset): MSS
   * {@code mss} from the cookie, timestamps with the ACK's {@code tsVal}, SACK and window scale
   * from the low bits.
   */
  static TcpOptions decodeTimestamp(int echoed, int mss, int tsVal) {
    int ws = echoed & TS_WSCALE_MASK;
    return TcpOptions.of(mss, (echoed & TS_SACK) != 0, true, tsVal, 0,
        ws == TS_WSCALE_MASK ? TcpOptions.NO_WSCALE : ws);
  }

  private static int hash(long key, int localHost, int localPort, int remoteHost, int remotePort,
      int count) {
    long h = mix64(key ^ (((long) localHost << 32) | (localPort & 0xFFFFFFFFL)));
    h = mix64(h ^ (((long) remoteHost << 32) | (remotePort & 0xFFFFFFFFL)));
    h = mix64(h ^ count);
    return (int) (h ^ (h >>> 32));
  }

  /** The SplitMix64 finalizer: a bijection of 64-bit values that spreads every input bit. */
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
