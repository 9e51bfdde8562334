package io.herald.cluster;

import java.util.Objects;

/** A password or token. Its {@code toString} never shows the value, so it can't leak through logs or records. */
public record Secret(String value) {
  public Secret {
    Objects.requireNonNull(value, "value");
  }

  @Override
  public String toString() {
    return "****";
  }
}
