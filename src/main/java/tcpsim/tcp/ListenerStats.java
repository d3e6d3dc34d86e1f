package tcpsim.tcp;

/** What a listener counts; the report's {@code listeners} section. */
public final class ListenerStats {
  public final int host;
  public final int port;
  public int synBacklogPeak;
  public long synDropped;
  public int acceptQueue;
  public int acceptQueuePeak;
  public long accepted;
  public long synAckRetransmits;
  public long resetsSent;
  /** The listener's own running event count, for the trace's stable order. */
  int nextIndex;

  public ListenerStats(int host, int port) {
    this.host = host;
    this.port = port;
  }
}
