package io.herald.raft;

import io.herald.cluster.Alias;
import io.herald.cluster.Master;
import java.util.Objects;
import java.util.Optional;

/** A change to the replicated desired state. The closed set of everything that goes through the raft log. */
public sealed interface Command permits Command.SetMaster, Command.Submit {

  /**
   * Declares (or fails over) a cluster's master. Treated exactly like a failover: the cluster gets a new epoch
   * (the log index of this command) and every store's entries for it are replaced.
   */
  record SetMaster(Alias alias, Master master) implements Command {
    public SetMaster {
      Objects.requireNonNull(alias, "alias");
      Objects.requireNonNull(master, "master");
    }
  }

  /**
   * Asks every node to check, and where they differ rewrite, the stores' entries of one cluster, or of all when
   * {@code alias} is empty (orchestrator's submit-masters-to-kv-stores).
   */
  record Submit(Optional<Alias> alias) implements Command {
    public Submit {
      Objects.requireNonNull(alias, "alias");
    }
  }
}
