package io.herald.raft;

import io.herald.cluster.HostPort;
import java.util.Objects;

/** An instance's downtime as the group recorded it; times are the proposer's clock in milliseconds. */
public record Downtime(HostPort instance, String owner, String reason, long beginsAt, long endsAt) {
  public Downtime {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(reason, "reason");
  }

  /** In force at {@code nowMillis}. */
  public boolean activeAt(long nowMillis) {
    return beginsAt <= nowMillis && nowMillis < endsAt;
  }
}
