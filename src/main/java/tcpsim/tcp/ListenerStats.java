package tcpsim.tcp;

/** What a listener counts; the report's {@code listeners} section. */
public final class ListenerStats {
  public final int host;
  public final int port;
  public int synBacklogPeak;
  /**
   * SYNs dropped without an answer: the SYN queue was full and no cookie was sent (Linux:
   * TCPReqQFullDrop); under {@code profile: linux} also SYNs that found the accept queue full,
   * and SYNs from unproven peers once three quarters of tcp_max_syn_backlog were taken.
   */
  public long synDropped;
  public int acceptQueue;
  public int acceptQueuePeak;
  public long accepted;
  public long synAckRetransmits;
  public long resetsSent;
  /**
   * SYN,ACKs sent with a SYN cookie as ISS, keeping no state (Linux: SyncookiesSent). A SYN
   * answered this way is counted here, not in {@link #synDropped}.
   */
  public long cookiesSent;
  /**
   * ACKs whose cookie checked out and that made a connection without a half-open entry
   * (Linux counts SyncookiesRecv before the accept queue check; this counts after it, so every
   * one of these is also in {@link #accepted}).
   */
  public long cookiesAccepted;
  /**
   * ACKs checked for a cookie, because cookies had been sent in the last two cookie periods,
   * whose cookie did not check out (Linux: SyncookiesFailed): forged, for another 4-tuple or
   * ISN, too old, or a late ACK for a half-open entry that is gone. Each got the LISTEN answer,
   * a RST, also counted in {@link #resetsSent}.
   */
  public long cookiesRejected;
  /**
   * Everything the listener dropped (Linux: ListenDrops): every SYN of {@link #synDropped}, and
   * every handshake-completing ACK (cookie or not) that found the accept queue full.
   */
  public long listenDrops;
  /**
   * SYNs and handshake-completing ACKs that found the accept queue full (Linux:
   * ListenOverflows); also counted in {@link #listenDrops}. Only the SYNs depend on the profile
   * (Linux drops them; the RFC profile queues them).
   */
  public long listenOverflows;
  /** The listener's own running event count, for the trace's stable order. */
  int nextIndex;

  public ListenerStats(int host, int port) {
    this.host = host;
    this.port = port;
  }
}
