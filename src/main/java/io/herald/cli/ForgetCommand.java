package io.herald.cli;

import io.herald.cluster.HostPort;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** orchestrator's {@code forget}: every node stops probing the instance (a neighbour may lead back to it). */
@Command(name = "forget", mixinStandardHelpOptions = true,
    description = "Forget HOST:PORT on every node (it leaves the seeds; crawling from a neighbour may find it again).")
public final class ForgetCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "a MySQL/MariaDB instance")
  String instance;

  @Override
  public Integer call() {
    HostPort key = InstanceKey.parse(instance);
    api.out().println(InstanceKey.text(api.client().get("/api/forget/" + InstanceKey.path(key)).path("Details")));
    return 0;
  }
}
