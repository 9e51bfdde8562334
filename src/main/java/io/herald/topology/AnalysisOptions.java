package io.herald.topology;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings the analysis depends on.
 *
 * @param reasonableReplicationLag orchestrator's {@code ReasonableReplicationLagSeconds}: more is {@code LAGGING}
 * @param clusterNameToAlias orchestrator's {@code ClusterNameToAlias}, in the order the rules are tried
 */
public record AnalysisOptions(Duration reasonableReplicationLag, List<ClusterAliasRule> clusterNameToAlias) {
  /** orchestrator's defaults: 10 s, no rules. */
  public static final AnalysisOptions DEFAULTS = new AnalysisOptions(Duration.ofSeconds(10), List.of());

  public AnalysisOptions {
    Objects.requireNonNull(reasonableReplicationLag, "reasonableReplicationLag");
    if (reasonableReplicationLag.isNegative()) {
      throw new IllegalArgumentException("ReasonableReplicationLagSeconds must not be negative");
    }
    clusterNameToAlias = List.copyOf(clusterNameToAlias);
  }
}
