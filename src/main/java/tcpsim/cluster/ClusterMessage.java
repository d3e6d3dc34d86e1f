package tcpsim.cluster;

/**
 * Marks the messages that may cross from one cluster node to another. They are bound to {@link
 * EngineSerializer} in conf/application.conf; Java serialization stays off.
 */
public interface ClusterMessage {}
