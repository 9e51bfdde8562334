package io.herald.raft;

/** The raft group could not do what was asked in time: no leader, no majority reachable, or shutting down. */
public final class RaftUnavailableException extends RuntimeException {
  public RaftUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  public RaftUnavailableException(String message) {
    super(message);
  }
}
