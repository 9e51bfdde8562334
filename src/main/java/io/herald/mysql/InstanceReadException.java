package io.herald.mysql;

import io.herald.topology.ProbeError;
import java.util.Objects;

/** A probe that failed; {@link #error()} says why. The message never holds a password. */
public final class InstanceReadException extends Exception {
  private final transient ProbeError error;

  public InstanceReadException(ProbeError error, Throwable cause) {
    super(error.message(), cause);
    this.error = Objects.requireNonNull(error, "error");
  }

  public ProbeError error() {
    return error;
  }
}
