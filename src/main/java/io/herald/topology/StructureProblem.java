package io.herald.topology;

/**
 * What makes a cluster's master ambiguous: while a cluster has any of these, discovery publishes nothing for it.
 */
public enum StructureProblem {
  /** Two or more instances of one cluster replicate from nobody and are writable. */
  MULTIPLE_WRITABLE_ROOTS("two or more writable instances replicate from nobody (two masters)"),
  /** Two or more instances of one cluster replicate from nobody, at most one of them writable. */
  MULTIPLE_ROOTS("two or more instances replicate from nobody"),
  /** The one root is read_only (orchestrator's NoWriteableMasterStructureWarning). */
  READ_ONLY_ROOT("the root of the cluster is read_only"),
  /** Replication goes round in a ring (co-masters): no instance replicates from nobody. */
  CYCLE("replication forms a cycle (co-masters or a ring)"),
  /** The root has never been read (not probed yet, or never reachable): whether it is writable is unknown. */
  ROOT_NEVER_SEEN("the root of the cluster has never been read");

  private final String message;

  StructureProblem(String message) {
    this.message = message;
  }

  public String message() {
    return message;
  }
}
