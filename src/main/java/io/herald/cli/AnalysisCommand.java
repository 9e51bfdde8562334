package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * orchestrator's {@code replication-analysis}, one line per discovered cluster:
 * {@code alias name code replicas=N valid=N replicating=N problems=..}, where problems are the structure problems
 * and each instance problem as {@code host:port/CODE} ({@code -} when none).
 */
@Command(name = "analysis", mixinStandardHelpOptions = true,
    description = "Show each discovered cluster's replication analysis: alias, name, code, replica counts, problems.")
public final class AnalysisCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() {
    for (JsonNode a : api.client().get("/api/replication-analysis").path("Details")) api.out().println(line(a));
    return 0;
  }

  static String line(JsonNode a) {
    List<String> problems = new ArrayList<>();
    for (JsonNode s : a.path("StructureProblems")) problems.add(s.path("Code").asText());
    for (JsonNode p : a.path("Problems")) problems.add(InstanceKey.text(p.path("Key")) + "/" + p.path("Code").asText());
    JsonNode c = a.path("ClusterDetails");
    return c.path("ClusterAlias").asText() + " " + c.path("ClusterName").asText() + " " + a.path("Analysis").asText()
        + " replicas=" + a.path("CountReplicas").asInt() + " valid=" + a.path("CountValidReplicas").asInt()
        + " replicating=" + a.path("CountReplicatingReplicas").asInt()
        + " problems=" + (problems.isEmpty() ? "-" : String.join(",", problems));
  }
}
