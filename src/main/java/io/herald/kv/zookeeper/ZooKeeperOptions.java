package io.herald.kv.zookeeper;

import io.herald.cluster.Secret;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a ZooKeeper store.
 *
 * @param connectString {@code ZkAddress}: {@code srv1[:port],srv2...}, default port 2181
 * @param digestAuth {@code user:password} for digest authentication ({@code ZkDigestAuth}); empty for none
 * @param worldReadable with digest auth on, created znodes are readable by anyone and writable only by the
 *     authenticated user ({@code ZkAclWorldReadable}, default true); without auth, znodes are open
 * @param sessionTimeout the ZooKeeper session timeout
 * @param timeout the limit for each operation, including waiting for a connection
 */
public record ZooKeeperOptions(
    String connectString, Optional<Secret> digestAuth, boolean worldReadable, Duration sessionTimeout,
    Duration timeout) {
  public ZooKeeperOptions {
    Objects.requireNonNull(connectString, "connectString");
    Objects.requireNonNull(digestAuth, "digestAuth");
    if (digestAuth.isPresent() && !digestAuth.get().value().contains(":")) {
      throw new IllegalArgumentException("ZkDigestAuth must be user:password");
    }
    Objects.requireNonNull(sessionTimeout, "sessionTimeout");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Adds the default port 2181 to every server that has none. */
  public static String withDefaultPorts(String zkAddress) {
    StringBuilder sb = new StringBuilder();
    for (String s : zkAddress.split(",")) {
      String t = s.trim();
      if (t.isEmpty()) continue;
      if (sb.length() > 0) sb.append(',');
      sb.append(t.contains(":") ? t : t + ":2181");
    }
    return sb.toString();
  }

  public static ZooKeeperOptions plain(String connectString) {
    return new ZooKeeperOptions(withDefaultPorts(connectString), Optional.empty(), true, Duration.ofSeconds(15),
        Duration.ofSeconds(5));
  }
}
