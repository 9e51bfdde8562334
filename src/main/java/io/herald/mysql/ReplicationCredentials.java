package io.herald.mysql;

import io.herald.cluster.Secret;
import java.util.Objects;

/**
 * The user a replica connects to its source with ({@code MySQLReplicaUser} / {@code MySQLReplicaPassword}). The
 * password shows as {@code ****} in {@link #toString()}; it goes into a {@code CHANGE MASTER} statement only.
 */
public record ReplicationCredentials(String user, Secret password) {
  public ReplicationCredentials {
    if (user == null || user.isBlank()) throw new IllegalArgumentException("MySQLReplicaUser must be set");
    Objects.requireNonNull(password, "password");
  }
}
