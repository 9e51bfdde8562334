package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** Declares a cluster's master; treated exactly like a failover. */
@Command(name = "set-master", mixinStandardHelpOptions = true,
    description = "Declare ALIAS's master as HOST:PORT (a new epoch; every store's entries are overwritten).")
public final class SetMasterCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", paramLabel = "ALIAS", description = "cluster alias: letters, digits, '-', '_', '.'")
  String alias;

  @Parameters(index = "1", paramLabel = "HOST:PORT", description = "the new master")
  String master;

  @Override
  public Integer call() {
    Alias a;
    HostPort m;
    try {
      a = new Alias(alias);
      m = HostPort.parse(master);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
    JsonNode r = api.client().post("/api/set-master/" + ApiClient.segment(a.value()) + "/"
        + ApiClient.segment(m.host()) + "/" + m.port());
    api.out().println(r.path("Message").asText());
    return 0;
  }
}
