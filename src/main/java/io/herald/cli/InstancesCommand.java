package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Lists discovered instances, one line each:
 * {@code key master ro|rw io/sql=yes/yes lag=0s problems=CODE,..} ({@code -} for none or unknown).
 */
@Command(name = "instances", mixinStandardHelpOptions = true,
    description = "List the instances this node discovers (of one cluster, or all): key, master, ro/rw, "
        + "IO/SQL threads, lag, problems.")
public final class InstancesCommand implements Callable<Integer> {
  @Mixin ApiOptions api = new ApiOptions();

  @Parameters(index = "0", arity = "0..1", paramLabel = "ALIAS",
      description = "only this cluster: alias, cluster name or any member's host:port")
  String cluster;

  @Override
  public Integer call() {
    String path = cluster == null ? "/api/all-instances" : "/api/cluster/" + ApiClient.segment(cluster);
    for (JsonNode i : api.client().get(path)) api.out().println(line(i));
    return 0;
  }

  static String line(JsonNode i) {
    boolean valid = i.path("IsLastCheckValid").asBoolean();
    boolean replica = i.path("ReplicationSQLThreadState").asInt(-1) >= 0;
    String threads = !replica ? "-" : yesNo(i.path("ReplicationIOThreadRuning")) + "/"
        + yesNo(i.path("ReplicationSQLThreadRuning"));
    JsonNode lag = i.path("SecondsBehindMaster");
    String lagText = !replica ? "-" : lag.path("Valid").asBoolean() ? lag.path("Int64").asLong() + "s" : "null";
    List<String> problems = new ArrayList<>();
    for (JsonNode p : i.path("Problems")) problems.add(p.path("Code").asText());
    return InstanceKey.text(i.path("Key")) + " " + InstanceKey.text(i.path("MasterKey")) + " "
        + (!valid && i.path("Version").asText().isEmpty() ? "?" : i.path("ReadOnly").asBoolean() ? "ro" : "rw")
        + " io/sql=" + threads + " lag=" + lagText
        + " problems=" + (problems.isEmpty() ? "-" : String.join(",", problems));
  }

  private static String yesNo(JsonNode b) {
    return b.asBoolean() ? "yes" : "no";
  }
}
