package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Lists clusters: one line each, {@code alias master epoch}. */
@Command(name = "clusters", mixinStandardHelpOptions = true, description = "List clusters: alias, master, epoch.")
public final class ClustersCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() {
    for (JsonNode c : api.client().get("/api/clusters-info")) {
      api.out().println(c.path("ClusterAlias").asText() + " " + c.path("ClusterName").asText() + " "
          + c.path("Epoch").asLong());
    }
    return 0;
  }
}
