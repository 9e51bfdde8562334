package io.herald.cluster;

import java.util.Objects;

/**
 * A cluster's master as published: its address, and the IPv4/IPv6 addresses it resolved to when the change was
 * made (empty when it has none). Resolution happens once, before the change is replicated, so that every node
 * publishes identical values.
 */
public record Master(HostPort address, String ipv4, String ipv6) {
  public Master {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(ipv4, "ipv4");
    Objects.requireNonNull(ipv6, "ipv6");
  }
}
