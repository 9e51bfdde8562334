package io.herald.cluster;

import java.util.Objects;

/** One key and its value, as written to a key-value store. Keys never start with '/'. */
public record KvPair(String key, String value) {
  public KvPair {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
