package io.herald.raft;

import io.herald.cluster.HostPort;
import io.herald.cluster.PromotionRule;
import java.util.Objects;

/** An instance's registered promotion rule, valid until {@code expiresAt} (proposer's clock, milliseconds). */
public record Candidate(HostPort instance, PromotionRule rule, long at, long expiresAt) {
  public Candidate {
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(rule, "rule");
  }

  public boolean validAt(long nowMillis) {
    return nowMillis < expiresAt;
  }
}
