package io.herald.raft;

import io.herald.cluster.Cluster;
import java.util.List;
import java.util.Objects;

/**
 * What applying a command produced, as seen by the node that asked.
 *
 * @param index the raft log index the command was applied at
 * @param error why the command was refused (empty when it was applied)
 * @param clusters the clusters the command set or covered, as they are after it
 */
public record CommandResult(long index, java.util.Optional<Refusal> error, List<Cluster> clusters) {
  public CommandResult {
    Objects.requireNonNull(error, "error");
    clusters = List.copyOf(clusters);
  }

  /** Why the state machine refused a command: input that conflicts with the state (a 4xx, not a fault). */
  public record Refusal(Kind kind, String message) {
    public enum Kind { NOT_FOUND, CONFLICT, INVALID }
  }

  public static CommandResult applied(long index, List<Cluster> clusters) {
    return new CommandResult(index, java.util.Optional.empty(), clusters);
  }

  public static CommandResult refused(long index, Refusal.Kind kind, String message) {
    return new CommandResult(index, java.util.Optional.of(new Refusal(kind, message)), List.of());
  }
}
