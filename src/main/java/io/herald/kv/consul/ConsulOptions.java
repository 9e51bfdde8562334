package io.herald.kv.consul;

import io.herald.cluster.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of a Consul store, named after orchestrator's keys.
 *
 * @param address {@code host:port} of the Consul agent ({@code ConsulAddress})
 * @param scheme {@code http} or {@code https} ({@code ConsulScheme})
 * @param aclToken the ACL token ({@code ConsulAclToken}, or read from a file or environment variable)
 * @param transactional {@code ConsulKVStoreProvider} = {@code consul-txn}: a cluster's keys in one {@code /v1/txn}
 * @param maxKvsPerTransaction {@code ConsulMaxKVsPerTransaction}, 5..64; bulk writes are packed into transactions
 *     of at most this many operations, never splitting a cluster
 * @param crossDataCenter {@code ConsulCrossDataCenterDistribution}: also write every datacenter listed by
 *     {@code /v1/catalog/datacenters}
 * @param caFile a PEM CA bundle that https certificates are verified against (system trust when empty)
 * @param skipVerify do not verify https certificates ({@code ConsulSSLSkipVerify}); off unless set explicitly
 * @param timeout the limit for each HTTP call
 */
public record ConsulOptions(
    String address,
    String scheme,
    Optional<Secret> aclToken,
    boolean transactional,
    int maxKvsPerTransaction,
    boolean crossDataCenter,
    Optional<Path> caFile,
    boolean skipVerify,
    Duration timeout) {
  public ConsulOptions {
    Objects.requireNonNull(address, "address");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("ConsulScheme must be http or https, not '" + scheme + "'");
    }
    if (maxKvsPerTransaction < 5 || maxKvsPerTransaction > 64) {
      throw new IllegalArgumentException("ConsulMaxKVsPerTransaction must be 5..64, not " + maxKvsPerTransaction);
    }
    Objects.requireNonNull(aclToken, "aclToken");
    Objects.requireNonNull(caFile, "caFile");
    Objects.requireNonNull(timeout, "timeout");
  }

  /** Plain http, no token, one transaction per cluster, a 5 s timeout: for tests and quick starts. */
  public static ConsulOptions plain(String address, boolean transactional) {
    return new ConsulOptions(address, "http", Optional.empty(), transactional, 64, false, Optional.empty(), false,
        Duration.ofSeconds(5));
  }
}
