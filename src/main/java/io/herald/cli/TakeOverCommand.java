package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.Alias;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Publishes a cluster's master again above the epoch a store holds it at (a store blocked by a newer epoch). */
@Command(name = "take-over", mixinStandardHelpOptions = true,
    description = "Write ALIAS's current master to the stores at an epoch above the one they hold it at (after a "
        + "rebuilt group, a second deployment on the same prefix, or a hand-written epoch blocked it).")
public final class TakeOverCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", paramLabel = "ALIAS", description = "cluster alias")
  String alias;

  @Option(names = "--epoch", paramLabel = "N", description = "the epoch a store holds (default: the highest this node's stores report)")
  Long epoch;

  @Override
  public Integer call() {
    try {
      new Alias(alias);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    if (epoch != null && epoch < 1) throw new CliException("--epoch must be positive");
    JsonNode r = api.client().post("/api/take-over/" + ApiClient.segment(alias) + (epoch == null ? "" : "?epoch=" + epoch));
    api.out().println(r.path("Message").asText());
    return 0;
  }
}
