package tcpsim.tcp;

/** The eleven connection states of RFC 9293 §3.3.2, named as the trace prints them. */
public enum TcpState {
  CLOSED,
  LISTEN,
  SYN_SENT,
  SYN_RECEIVED,
  ESTABLISHED,
  FIN_WAIT_1,
  FIN_WAIT_2,
  CLOSE_WAIT,
  CLOSING,
  LAST_ACK,
  TIME_WAIT;

  /** "SYN-SENT", the RFC's spelling. */
  public String rfcName() {
    return name().replace('_', '-');
  }
}
