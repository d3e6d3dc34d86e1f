package tcpsim.cli;

/** A {@code HOST:PORT} command-line value. */
record HostPort(String host, int port) {

  static HostPort parse(String value, String option) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(option + " " + value + ": expected HOST:PORT, e.g. 127.0.0.1:2552");
    }
    try {
      int port = Integer.parseInt(value.substring(colon + 1));
      if (port < 0 || port > 65535) throw new NumberFormatException();
      return new HostPort(value.substring(0, colon), port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " " + value + ": the port must be 0..65535");
    }
  }
}
