package io.herald.mysql;

import io.herald.cluster.HostPort;
import java.util.Objects;

/**
 * The outcome of {@link ReplicationControl#setReadOnly}.
 *
 * @param instance the instance
 * @param readOnly {@code @@global.read_only} now
 * @param status whether it had to be set
 */
public record ReadOnlyChange(HostPort instance, boolean readOnly, Status status) {
  public enum Status {
    /** It was the other way round and was set. */
    SET,
    /** It was already so: nothing was done. */
    ALREADY_SET
  }

  public ReadOnlyChange {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(status, "status");
  }
}
