package io.herald.topology;

/**
 * A cluster's replication analysis, with orchestrator's names ({@link #toString()} gives the name). Herald decides
 * whether a replica still sees its master by its IO thread, not its SQL thread, so a stopped SQL thread never makes a
 * master look dead (ProxySQL/orchestrator #106).
 */
public enum AnalysisCode {
  NoProblem,
  /** Master down (unreachable or timing out), every replica reached, none connected to it, some saying so. */
  DeadMaster,
  /** Master down and it has no replicas. */
  DeadMasterWithoutReplicas,
  /** Master down and none of its replicas reached: no confirmation is possible. */
  DeadMasterAndReplicas,
  /** Master down, some replicas unreachable, the reached ones all not connected to it. */
  DeadMasterAndSomeReplicas,
  /** Master not read, but a replica is still connected to it (or it answers but refuses Herald). */
  UnreachableMaster,
  /** As {@link #UnreachableMaster}, and every connected replica lags beyond the reasonable lag. */
  UnreachableMasterWithLaggingReplicas,
  /** The root of the cluster is read_only. */
  NoWriteableMasterStructureWarning,
  /** The master's only replica is reached but not replicating (IO or SQL thread stopped). */
  MasterSingleReplicaNotReplicating,
  /** The master's only replica is unreachable. */
  MasterSingleReplicaDead,
  /** The master has several replicas, all reached, none replicating. */
  AllMasterReplicasNotReplicating,
  /** The master has several replicas, none replicating, some unreachable. */
  AllMasterReplicasNotReplicatingOrDead,
  /** Herald's own: several roots or a cycle, so there is no single master (orchestrator has no code for this). */
  AmbiguousMasterStructure,
  /** Herald's own: the root has never been read (not probed yet or never reachable) and no replica reports it lost. */
  MasterNotDiscovered;

  /** orchestrator acts on this code with a master failover (of the codes here). */
  public boolean actionable() {
    return this == DeadMaster || this == DeadMasterAndSomeReplicas;
  }
}
