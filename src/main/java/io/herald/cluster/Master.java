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

  /**
   * A master from an operator or a raft command: the address by {@link HostPort#checked}'s rules, {@code ipv4}
   * empty or a canonical IPv4 address, {@code ipv6} empty or an IPv6 literal ({@link IpLiteral}).
   */
  public static Master checked(HostPort address, String ipv4, String ipv6) {
    HostPort a = HostPort.checked(address.host(), address.port());
    if (!ipv4.isEmpty() && !IpLiteral.isIpv4(ipv4)) throw new IllegalArgumentException("invalid ipv4 '" + ipv4 + "'");
    if (!ipv6.isEmpty() && !IpLiteral.isIpv6(ipv6)) throw new IllegalArgumentException("invalid ipv6 '" + ipv6 + "'");
    return new Master(a, ipv4, ipv6);
  }
}
