package io.herald.kv.consul;

import java.util.Objects;

/**
 * One key as Consul holds it: its value ({@code ""} for a key with no value) and the raft index of its last
 * change, which a compare-and-set is conditioned on.
 */
record StoredKey(String value, long modifyIndex) {
  StoredKey {
    Objects.requireNonNull(value, "value");
  }
}
