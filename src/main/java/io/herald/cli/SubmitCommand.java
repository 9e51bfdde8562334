package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** orchestrator's submit-masters-to-kv-stores: prints one key:value line per pair, like orchestrator-client. */
@Command(name = "submit-masters-to-kv-stores", mixinStandardHelpOptions = true,
    description = "Write every cluster's master (or one cluster's) to the KV stores of every node.")
public final class SubmitCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Option(names = {"--alias", "-alias", "-a"}, paramLabel = "ALIAS",
      description = "only this cluster (alias or cluster name); without it, every cluster")
  String alias;

  @Override
  public Integer call() {
    // an empty alias would call .../submit-masters-to-kv-stores/, which is orchestrator-client's call for all clusters
    if (alias != null && alias.isBlank()) {
      throw new CliException("--alias must not be empty (leave --alias out to submit every cluster)");
    }
    String path = "/api/submit-masters-to-kv-stores" + (alias == null ? "" : "/" + ApiClient.segment(alias));
    JsonNode r = api.client().get(path);
    for (JsonNode kv : r.path("Details")) {
      api.out().println(kv.path("Key").asText() + ":" + kv.path("Value").asText());
    }
    return 0;
  }
}
