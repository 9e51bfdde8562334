package io.herald.raft;

import java.util.Objects;

/**
 * A node's latest verdict on a cluster's master, as committed by a {@link Command.ReportFailure}.
 *
 * @param index the raft log index the report was applied at
 */
public record FailureReport(String node, long epoch, String analysis, boolean dead, long at, long index) {
  public FailureReport {
    Objects.requireNonNull(node, "node");
    Objects.requireNonNull(analysis, "analysis");
  }
}
