package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Shows each store of the node: health, pending work, epoch lag, last error. */
@Command(name = "stores", mixinStandardHelpOptions = true,
    description = "Show the node's KV stores: name, kind, address, health, pending clusters, epoch lag, last error.")
public final class StoresCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Override
  public Integer call() {
    JsonNode stores = api.client().get("/api/kv-stores"); // before the header: a failed call prints nothing on stdout
    api.out().printf("%-12s %-11s %-32s %-9s %8s %9s %s%n", "NAME", "KIND", "ADDRESS", "HEALTHY", "PENDING", "EPOCH-LAG", "LAST-ERROR");
    for (JsonNode s : stores) {
      api.out().printf("%-12s %-11s %-32s %-9s %8d %9d %s%n", s.path("name").asText(), s.path("kind").asText(),
          s.path("address").asText(), s.path("healthy").asBoolean() ? "yes" : "NO", s.path("pending").asInt(),
          s.path("epochLag").asLong(), s.path("lastError").isMissingNode() || s.path("lastError").isNull() ? "-" : s.path("lastError").asText());
      for (JsonNode b : s.path("blocked")) {
        api.out().printf("  BLOCKED %s: the store holds epoch %s, newer than Herald's %d (herald take-over %s)%n",
            b.path("alias").asText(), b.path("storeEpoch").isNull() ? "?" : b.path("storeEpoch").asText(),
            b.path("heraldEpoch").asLong(), b.path("alias").asText());
      }
    }
    return 0;
  }
}
