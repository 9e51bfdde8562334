package io.herald.mysql;

import io.herald.cluster.HostPort;
import java.util.Objects;
import java.util.Optional;

/**
 * What an instance is right now, read by {@link ReplicationControl#role}: whether it is read_only and where it
 * replicates from (empty: from nobody, a root).
 */
public record InstanceRole(HostPort instance, boolean readOnly, Optional<HostPort> source) {
  public InstanceRole {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(source, "source");
  }

  /** A writable instance that replicates from nobody: a master. */
  public boolean writableRoot() {
    return !readOnly && source.isEmpty();
  }
}
