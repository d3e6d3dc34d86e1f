package tcpsim.tcp;

/**
 * The end of one endpoint's life, reported once.
 *
 * @param conn the connection id
 * @param client whether this is the connection's client (active opener) side
 * @param outcome how it ended
 * @param openedAt when the client called connect (or the server saw the first SYN), ns
 * @param establishedAt when it reached ESTABLISHED, or -1 if never
 * @param endedAt when it reached CLOSED (or the run ended, for {@link Outcome#OPEN}), ns
 */
public record EndpointResult(
    int conn, boolean client, Outcome outcome, long openedAt, long establishedAt, long endedAt) {}
