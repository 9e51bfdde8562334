package io.herald.topology;

import java.util.Objects;

/**
 * Why a probe of an instance failed, in words an operator can act on (never a password).
 *
 * @param kind what kind of failure; only {@link Kind#UNREACHABLE} and {@link Kind#TIMEOUT} suggest a dead server
 */
public record ProbeError(Kind kind, String message) {
  public enum Kind {
    /** Connection refused or reset, no route: nothing answers MySQL there. */
    UNREACHABLE,
    /** Connect or read did not finish within its timeout (a hung or overloaded server). */
    TIMEOUT,
    /** Something answers, but it is not a MySQL/MariaDB server. */
    NOT_MYSQL,
    /** The server refused Herald's user or password. */
    ACCESS_DENIED,
    /** Connected, but a statement the probe needs was refused (missing privilege) or failed. */
    QUERY_FAILED
  }

  public ProbeError {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(message, "message");
  }

  /** The server may be down: a failure that says nothing of credentials or of what listens there. */
  public boolean suggestsDown() {
    return kind == Kind.UNREACHABLE || kind == Kind.TIMEOUT;
  }
}
