package io.herald.recovery;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The processes run around recoveries (orchestrator's hooks), each a shell command with placeholders.
 *
 * @param timeout how long one process may run before it is killed (and counted as failed)
 */
public record Hooks(List<String> onFailureDetection, List<String> preFailover, List<String> postMasterFailover,
    List<String> postFailover, List<String> postUnsuccessfulFailover, List<String> preGracefulTakeover,
    List<String> postGracefulTakeover, Duration timeout) {
  public Hooks {
    onFailureDetection = List.copyOf(onFailureDetection);
    preFailover = List.copyOf(preFailover);
    postMasterFailover = List.copyOf(postMasterFailover);
    postFailover = List.copyOf(postFailover);
    postUnsuccessfulFailover = List.copyOf(postUnsuccessfulFailover);
    preGracefulTakeover = List.copyOf(preGracefulTakeover);
    postGracefulTakeover = List.copyOf(postGracefulTakeover);
    Objects.requireNonNull(timeout, "timeout");
  }

  public static Hooks none() {
    return new Hooks(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), Duration.ofSeconds(60));
  }
}
