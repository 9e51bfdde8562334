package io.herald.config;

import io.herald.cluster.Secret;
import io.herald.mysql.ReplicationCredentials;
import io.herald.recovery.Hooks;
import io.herald.recovery.RecoveryOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** The recovery side of the configuration (orchestrator's recovery and hook keys). */
final class RecoveryConfig {
  private RecoveryConfig() {}

  static RecoveryOptions parse(JsonSettings s, DiscoveryConfig.SecretReader secrets) throws ConfigException {
    List<String> filters = s.strings("RecoverMasterClusterFilters");
    for (String f : filters) {
      if (f.equals("*")) continue;
      try {
        Pattern.compile(f);
      } catch (PatternSyntaxException e) {
        throw new ConfigException("RecoverMasterClusterFilters", "invalid regular expression '" + f + "': " + e.getDescription());
      }
    }
    List<Pattern> ignore = new ArrayList<>();
    for (String p : s.strings("PromotionIgnoreHostnameFilters")) {
      try {
        ignore.add(Pattern.compile(p));
      } catch (PatternSyntaxException e) {
        throw new ConfigException("PromotionIgnoreHostnameFilters", "invalid regular expression '" + p + "': " + e.getDescription());
      }
    }
    Optional<String> user = s.string("MySQLReplicaUser");
    Optional<Secret> password = secrets.secret(s, "MySQLReplicaPassword");
    Optional<ReplicationCredentials> credentials = Optional.empty();
    if (user.isPresent()) {
      if (user.get().isBlank()) throw new ConfigException("MySQLReplicaUser", "must not be blank");
      if (password.isEmpty()) throw new ConfigException("MySQLReplicaPassword", "MySQLReplicaUser is set without a password");
      credentials = Optional.of(new ReplicationCredentials(user.get(), password.get()));
    } else if (password.isPresent()) {
      throw new ConfigException("MySQLReplicaUser", "MySQLReplicaPassword is set without a user");
    }
    boolean fail = s.bool("FailMasterPromotionIfSQLThreadNotUpToDate", false);
    boolean delay = s.bool("DelayMasterPromotionIfSQLThreadNotUpToDate", false);
    if (fail && delay) {
      throw new ConfigException("FailMasterPromotionIfSQLThreadNotUpToDate",
          "cannot be set together with DelayMasterPromotionIfSQLThreadNotUpToDate (as in orchestrator)");
    }
    s.bool("ApplyMySQLPromotionAfterMasterFailover", true); // Herald always resets and opens the successor
    s.bool("DetachLostReplicasAfterMasterFailover", true); // lost replicas are reported, never left pointing at it
    Hooks hooks = new Hooks(s.strings("OnFailureDetectionProcesses"), s.strings("PreFailoverProcesses"),
        s.strings("PostMasterFailoverProcesses"), s.strings("PostFailoverProcesses"),
        s.strings("PostUnsuccessfulFailoverProcesses"), s.strings("PreGracefulTakeoverProcesses"),
        s.strings("PostGracefulTakeoverProcesses"), s.seconds("HookTimeoutSeconds", 60, 1, 3600));
    return new RecoveryOptions(filters, s.seconds("RecoveryPeriodBlockSeconds", 3600, 0, 86_400 * 365), credentials,
        s.seconds("RelayLogDrainTimeoutSeconds", 60, 1, 86_400), fail, s.bool("PreventCrossDataCenterMasterFailover", false),
        ignore, s.seconds("ReasonableMaintenanceReplicationLagSeconds", 20, 1, 86_400),
        s.bool("RejoinDeposedMasters", true), s.bool("KVWipeValuesPreFailover", false), hooks);
  }
}
