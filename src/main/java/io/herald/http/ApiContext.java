package io.herald.http;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.KeyLayout;
import io.herald.config.HttpOptions;
import io.herald.kv.internal.InternalKvStore;
import io.herald.publish.StoreStatus;
import io.herald.raft.DesiredState;
import io.herald.raft.RaftNode;
import io.herald.raft.RaftTransport;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the HTTP API works with: the raft node (writes and raft status), the replicated state (reads), the key
 * layout, this node's stores, and the resolver for new masters. Built by the composition root.
 *
 * @param transport how the raft port is protected, shown by the status endpoints
 * @param discovery this node's discovery of MySQL topologies; empty when it is off (no {@code MySQLTopologyUser})
 * @param recoveryBlock {@code RecoveryPeriodBlockSeconds}, for blocked-recoveries
 * @param health why the node cannot work now (empty when healthy): {@code /api/health} fails while it is not
 */
public record ApiContext(
    RaftNode raft, DesiredState state, KeyLayout layout, Supplier<List<StoreStatus>> stores, InternalKvStore internal,
    AddressResolver resolver, Supplier<String> metrics, HttpOptions options, RaftTransport transport,
    java.util.Optional<io.herald.discovery.Discovery> discovery, Supplier<List<String>> health,
    java.time.Duration recoveryBlock) {}
