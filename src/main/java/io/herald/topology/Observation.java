package io.herald.topology;

import io.herald.cluster.HostPort;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The latest probe of one instance, as this node saw it (observations are local to a node, never raft entries).
 *
 * @param key the instance
 * @param attemptedAt when the probe started
 * @param latency how long it took (until it failed, for a failure)
 * @param state what it read; empty when it failed
 * @param error why it failed; empty when it succeeded
 * @param lastState the last state read successfully (the current one when it succeeded); empty if never
 * @param lastSeen when {@code lastState} was read; empty if never
 */
public record Observation(
    HostPort key, Instant attemptedAt, Duration latency, Optional<InstanceState> state, Optional<ProbeError> error,
    Optional<InstanceState> lastState, Optional<Instant> lastSeen) {
  public Observation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(attemptedAt, "attemptedAt");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(lastState, "lastState");
    Objects.requireNonNull(lastSeen, "lastSeen");
    if (state.isPresent() == error.isPresent()) throw new IllegalArgumentException("exactly one of state and error");
  }

  /** A successful probe. */
  public static Observation of(InstanceState state, Instant at, Duration latency) {
    return new Observation(state.key(), at, latency, Optional.of(state), Optional.empty(), Optional.of(state),
        Optional.of(at));
  }

  /** A failed probe, keeping what the previous observation (if any) last saw. */
  public static Observation failed(HostPort key, ProbeError error, Instant at, Duration latency,
      Optional<Observation> previous) {
    return new Observation(key, at, latency, Optional.empty(), Optional.of(error),
        previous.flatMap(Observation::lastState), previous.flatMap(Observation::lastSeen));
  }

  /** The last probe reached the instance. */
  public boolean reachable() {
    return state.isPresent();
  }
}
