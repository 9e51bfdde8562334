/**
 * The pure model of the MySQL/MariaDB side: what probes observed ({@link io.herald.topology.Observation}), GTID
 * positions compared per domain ({@link io.herald.topology.GtidPosition}), errant transactions
 * ({@link io.herald.topology.ErrantGtids}), the replication forest and its clusters
 * ({@link io.herald.topology.Topology}), per-instance problems, orchestrator's replication analysis
 * ({@link io.herald.topology.ReplicationAnalysis}), candidate ranking and the text tree.
 *
 * <p>No I/O, no clock, no threads: every result is a function of the observations passed in (and the options), so
 * the same input gives the same, sorted, output. Values are immutable and the functions hold no state, so all of it
 * is safe to share between threads. Keys are taken literally: two spellings of one server ({@code localhost:3306}
 * and {@code 127.0.0.1:3306}) are two instances here, so the adapter must report each instance's source and
 * replicas the way Herald reaches them.
 */
package io.herald.topology;
