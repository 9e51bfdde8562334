package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.topology.InstanceState;

/**
 * Reads one MySQL/MariaDB instance (the probe port). Implementations keep a connection per instance open between
 * reads and bound every read by the connect and read timeouts, so a dead or hung instance costs at most those.
 *
 * <p>Thread-safe: different instances may be read concurrently; reads of one instance are serialised. Blocking.
 */
public interface InstanceReader extends AutoCloseable {

  /**
   * Reads the instance now.
   *
   * @throws InstanceReadException with a {@link io.herald.topology.ProbeError} saying why it could not
   */
  InstanceState read(HostPort instance) throws InstanceReadException;

  /** Drops the connection kept for an instance (after it is forgotten). */
  void forget(HostPort instance);

  /** Closes every connection; idempotent. */
  @Override
  void close();
}
