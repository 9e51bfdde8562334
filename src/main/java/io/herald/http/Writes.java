package io.herald.http;

import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.RaftNode;
import io.herald.raft.RaftUnavailableException;
import java.util.concurrent.ExecutionException;

/** Sends commands through raft and turns refusals and unavailability into API errors. */
final class Writes {
  private final RaftNode raft;

  Writes(RaftNode raft) {
    this.raft = raft;
  }

  /** Blocks until the command is applied (bounded by the raft write timeout). */
  CommandResult apply(Command command) {
    CommandResult r;
    try {
      r = raft.submit(command).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "interrupted while waiting for raft");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RaftUnavailableException) throw new ApiException(503, cause.getMessage());
      throw new ApiException(500, "raft write failed: " + cause);
    }
    if (r.error().isPresent()) {
      CommandResult.Refusal refusal = r.error().get();
      int status = switch (refusal.kind()) {
        case NOT_FOUND -> 404;
        case CONFLICT -> 409;
        case INVALID -> 400;
      };
      throw new ApiException(status, refusal.message());
    }
    return r;
  }
}
