package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.HostPort;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * orchestrator's {@code discover}: seeds an instance for the whole group and prints its key. An instance that cannot
 * be read is an error (exit 1, the reason on stderr), as with orchestrator-client, though it stays seeded.
 */
@Command(name = "discover", mixinStandardHelpOptions = true,
    description = "Seed HOST:PORT for discovery (through raft, so every node probes it) and print what was found.")
public final class DiscoverCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "a MySQL/MariaDB instance")
  String instance;

  @Override
  public Integer call() {
    HostPort key = InstanceKey.parse(instance);
    JsonNode r = api.client().get("/api/discover/" + InstanceKey.path(key));
    JsonNode found = r.path("Details");
    boolean read = found.path("IsLastCheckValid").asBoolean(false);
    // like orchestrator-client, the key alone when it was read; otherwise the node's explanation
    api.out().println(read ? InstanceKey.text(found.path("Key")) : r.path("Message").asText());
    return 0;
  }
}
