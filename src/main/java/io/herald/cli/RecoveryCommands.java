package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The recovery commands of orchestrator-client, as {@code herald} subcommands: each calls the API path of the same
 * name and prints what orchestrator-client prints (the successor's {@code host:port}, or the API's message).
 */
@Command(name = "recovery-commands", hidden = true)
public final class RecoveryCommands {

  @Command(name = "recover", mixinStandardHelpOptions = true,
      description = "Recover a dead master now (the analysis must say it failed); prints the new master.")
  static int recover(@Mixin ApiOptions api, @Parameters(paramLabel = "HOST:PORT", description = "the failed master") String instance) {
    JsonNode r = api.client().post("/api/recover/" + InstanceKey.path(InstanceKey.parse(instance)));
    api.out().println(InstanceKey.text(r.path("Details")));
    return 0;
  }

  @Command(name = "force-master-failover", mixinStandardHelpOptions = true,
      description = "Fail ALIAS's master over now, whatever the analysis says; prints the new master.")
  static int forceMasterFailover(@Mixin ApiOptions api, @Parameters(paramLabel = "ALIAS") String alias) {
    JsonNode r = api.client().post("/api/force-master-failover/" + ApiClient.segment(alias(alias)));
    api.out().println(InstanceKey.text(r.path("Details").path("SuccessorKey")));
    return 0;
  }

  @Command(name = "force-master-takeover", mixinStandardHelpOptions = true,
      description = "Discard ALIAS's master, live or not, and promote DESIGNATED (a direct replica) now, as a failover "
          + "does (the old master is set read_only first); prints the new master.")
  static int forceMasterTakeover(@Mixin ApiOptions api, @Parameters(index = "0", paramLabel = "ALIAS") String alias,
      @Parameters(index = "1", paramLabel = "DESIGNATED", description = "host:port of a direct replica") String designated) {
    JsonNode r = api.client().post("/api/force-master-takeover/" + ApiClient.segment(alias(alias)) + "/"
        + InstanceKey.path(InstanceKey.parse(designated)));
    api.out().println(InstanceKey.text(r.path("Details").path("SuccessorKey")));
    return 0;
  }

  @Command(name = "graceful-master-takeover", mixinStandardHelpOptions = true,
      description = "Hand ALIAS's live master over to DESIGNATED (or its only replica); the old master becomes a "
          + "replica of it, not started. Prints the new master.")
  static int gracefulMasterTakeover(@Mixin ApiOptions api, @Parameters(index = "0", paramLabel = "ALIAS") String alias,
      @Parameters(index = "1", arity = "0..1", paramLabel = "DESIGNATED", description = "host:port of a direct replica")
      String designated) {
    return takeover(api, "graceful-master-takeover", alias, designated);
  }

  @Command(name = "graceful-master-takeover-auto", mixinStandardHelpOptions = true,
      description = "As graceful-master-takeover, choosing the replica when none is designated, and starting the old "
          + "master's replication. Prints the new master.")
  static int gracefulMasterTakeoverAuto(@Mixin ApiOptions api, @Parameters(index = "0", paramLabel = "ALIAS") String alias,
      @Parameters(index = "1", arity = "0..1", paramLabel = "DESIGNATED") String designated) {
    return takeover(api, "graceful-master-takeover-auto", alias, designated);
  }

  private static int takeover(ApiOptions api, String command, String alias, String designated) {
    String path = "/api/" + command + "/" + ApiClient.segment(alias(alias))
        + (designated == null ? "" : "/" + InstanceKey.path(InstanceKey.parse(designated)));
    JsonNode r = api.client().post(path);
    api.out().println(InstanceKey.text(r.path("Details").path("SuccessorKey")));
    return 0;
  }

  @Command(name = "ack-cluster-recoveries", mixinStandardHelpOptions = true,
      description = "Acknowledge ALIAS's recoveries: an automatic recovery is no longer blocked by them.")
  static int ackClusterRecoveries(@Mixin ApiOptions api, @Parameters(paramLabel = "ALIAS") String alias,
      @Option(names = "--comment", defaultValue = "", description = "why") String comment) {
    JsonNode r = api.client().post("/api/ack-recovery/cluster/" + ApiClient.segment(alias(alias)) + "?comment="
        + ApiClient.segment(comment));
    api.out().println(r.path("Message").asText());
    return 0;
  }

  @Command(name = "ack-all-recoveries", mixinStandardHelpOptions = true, description = "Acknowledge every recovery.")
  static int ackAllRecoveries(@Mixin ApiOptions api, @Option(names = "--comment", defaultValue = "") String comment) {
    JsonNode r = api.client().post("/api/ack-all-recoveries?comment=" + ApiClient.segment(comment));
    api.out().println(r.path("Message").asText());
    return 0;
  }

  @Command(name = "audit-recovery", mixinStandardHelpOptions = true,
      description = "List recoveries, newest first: id, alias, state, failed master -> successor, start, reason.")
  static int auditRecovery(@Mixin ApiOptions api, @Parameters(arity = "0..1", paramLabel = "ALIAS") String alias) {
    JsonNode list = api.client().get(alias == null ? "/api/audit-recovery" : "/api/audit-recovery/alias/" + ApiClient.segment(alias(alias)));
    for (JsonNode r : list) {
      String successor = r.path("SuccessorKey").isNull() || r.path("SuccessorKey").isMissingNode() ? "-"
          : InstanceKey.text(r.path("SuccessorKey"));
      api.out().println(r.path("Id").asLong() + " " + r.path("AnalysisEntry").path("ClusterDetails").path("ClusterAlias").asText()
          + " " + r.path("State").asText() + " " + InstanceKey.text(r.path("AnalysisEntry").path("AnalyzedInstanceKey"))
          + " -> " + successor + " " + r.path("RecoveryStartTimestamp").asText()
          + (r.path("AllErrors").isEmpty() ? "" : " " + r.path("AllErrors").get(0).asText()));
    }
    return 0;
  }

  @Command(name = "blocked-recoveries", mixinStandardHelpOptions = true,
      description = "Clusters whose dead master is not recovered because of a recent recovery (acknowledge to allow).")
  static int blockedRecoveries(@Mixin ApiOptions api) {
    for (JsonNode b : api.client().get("/api/blocked-recoveries")) {
      api.out().println(b.path("ClusterAlias").asText() + " " + InstanceKey.text(b.path("FailedInstanceKey"))
          + " blocked by recovery " + b.path("BlockingRecoveryId").asLong());
    }
    return 0;
  }

  @Command(name = "enable-global-recoveries", mixinStandardHelpOptions = true, description = "Allow automatic recoveries.")
  static int enable(@Mixin ApiOptions api) {
    return message(api, "/api/enable-global-recoveries", true);
  }

  @Command(name = "disable-global-recoveries", mixinStandardHelpOptions = true, description = "Stop automatic recoveries.")
  static int disable(@Mixin ApiOptions api) {
    return message(api, "/api/disable-global-recoveries", true);
  }

  @Command(name = "check-global-recoveries", mixinStandardHelpOptions = true,
      description = "Print whether automatic recoveries are enabled.")
  static int check(@Mixin ApiOptions api) {
    JsonNode r = api.client().get("/api/check-global-recoveries");
    api.out().println(r.path("Details").asText());
    return 0;
  }

  @Command(name = "begin-downtime", mixinStandardHelpOptions = true,
      description = "Downtime an instance: a downtimed master is not recovered automatically.")
  static int beginDowntime(@Mixin ApiOptions api, @Parameters(paramLabel = "HOST:PORT") String instance,
      @Option(names = "--owner", required = true) String owner, @Option(names = "--reason", required = true) String reason,
      @Option(names = "--duration", defaultValue = "60m", description = "seconds, or a number with s, m, h or d")
      String duration) {
    HostPort h = InstanceKey.parse(instance);
    return message(api, "/api/begin-downtime/" + InstanceKey.path(h) + "/" + ApiClient.segment(owner) + "/"
        + ApiClient.segment(reason) + "/" + ApiClient.segment(duration), true);
  }

  @Command(name = "end-downtime", mixinStandardHelpOptions = true, description = "End an instance's downtime.")
  static int endDowntime(@Mixin ApiOptions api, @Parameters(paramLabel = "HOST:PORT") String instance) {
    return message(api, "/api/end-downtime/" + InstanceKey.path(InstanceKey.parse(instance)), true);
  }

  @Command(name = "register-candidate", mixinStandardHelpOptions = true,
      description = "Set an instance's promotion rule for an hour: prefer, neutral, prefer_not or must_not.")
  static int registerCandidate(@Mixin ApiOptions api, @Parameters(index = "0", paramLabel = "HOST:PORT") String instance,
      @Parameters(index = "1", paramLabel = "RULE") String rule) {
    return message(api, "/api/register-candidate/" + InstanceKey.path(InstanceKey.parse(instance)) + "/"
        + ApiClient.segment(rule), true);
  }

  private static int message(ApiOptions api, String path, boolean post) {
    JsonNode r = post ? api.client().post(path) : api.client().get(path);
    api.out().println(r.path("Message").asText());
    return 0;
  }

  private static String alias(String text) {
    try {
      return new Alias(text).value();
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }
}
