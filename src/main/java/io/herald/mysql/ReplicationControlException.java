package io.herald.mysql;

import io.herald.topology.ProbeError;
import java.util.Objects;

/**
 * A replication operation that could not find out the instance's state or could not act on it: the instance is
 * unreachable, hung ({@code TIMEOUT}), refuses Herald's user, or refused a statement ({@code QUERY_FAILED}, naming the
 * statement and, in the server's words, the missing privilege). The operation may have done part of its work; each
 * is idempotent, so it is safe to run again. The message never holds a password.
 *
 * <p>A refusal because of what the instance's state is (e.g. it replicates from an unexpected source) is not an
 * exception: it is the operation's outcome.
 */
public final class ReplicationControlException extends Exception {
  private final transient ProbeError error;

  public ReplicationControlException(ProbeError error, Throwable cause) {
    super(error.message(), cause);
    this.error = Objects.requireNonNull(error, "error");
  }

  public ProbeError error() {
    return error;
  }
}
