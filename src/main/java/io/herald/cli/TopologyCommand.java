package io.herald.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** orchestrator's {@code topology}: the cluster as an indented tree, one instance per line. */
@Command(name = "topology", mixinStandardHelpOptions = true,
    description = "Print a cluster's replication tree as this node discovers it.")
public final class TopologyCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", paramLabel = "ALIAS",
      description = "the cluster: alias, cluster name or any member's host:port")
  String cluster;

  @Override
  public Integer call() {
    api.out().print(api.client().get("/api/topology/" + ApiClient.segment(cluster)).path("Details").asText());
    return 0;
  }
}
