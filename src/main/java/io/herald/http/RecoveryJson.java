package io.herald.http;

import io.herald.cluster.HostPort;
import io.herald.raft.Recovery;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A recovery as orchestrator's {@code TopologyRecovery} JSON, plus Herald's own fields (state, epoch, steps). */
final class RecoveryJson {
  private RecoveryJson() {}

  static Map<String, Object> of(Recovery r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("Id", r.id());
    m.put("UID", Long.toString(r.id()));
    Map<String, Object> analysis = new LinkedHashMap<>();
    analysis.put("AnalyzedInstanceKey", InstanceJson.key(r.failedMaster()));
    analysis.put("Analysis", r.analysis());
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("ClusterName", r.failedMaster().toString());
    details.put("ClusterAlias", r.alias().value());
    analysis.put("ClusterDetails", details);
    analysis.put("IsMaster", true);
    m.put("AnalysisEntry", analysis);
    m.put("SuccessorKey", r.state() == Recovery.State.SUCCEEDED ? r.successor().map(InstanceJson::key).orElse(null) : null);
    m.put("SuccessorAlias", r.state() == Recovery.State.SUCCEEDED ? r.alias().value() : "");
    m.put("IsActive", r.active());
    m.put("IsSuccessful", r.state() == Recovery.State.SUCCEEDED);
    m.put("LostReplicas", keys(r.lostReplicas()));
    m.put("ParticipatingInstanceKeys", r.successor().map(s -> keys(List.of(r.failedMaster(), s)))
        .orElse(keys(List.of(r.failedMaster()))));
    m.put("AllErrors", r.reason().isEmpty() ? List.of() : List.of(r.reason()));
    m.put("RecoveryStartTimestamp", time(r.startedAt()));
    m.put("RecoveryEndTimestamp", r.endedAt() == 0 ? "" : time(r.endedAt()));
    m.put("ProcessingNodeHostname", r.node());
    m.put("ProcessingNodeToken", Long.toString(r.id()));
    m.put("Acknowledged", r.ack().isPresent());
    m.put("AcknowledgedAt", r.ack().map(a -> time(a.at())).orElse(""));
    m.put("AcknowledgedBy", r.ack().map(Recovery.Ack::by).orElse(""));
    m.put("AcknowledgedComment", r.ack().map(Recovery.Ack::comment).orElse(""));
    m.put("LastDetectionId", r.id());
    m.put("RelatedRecoveryId", 0);
    m.put("Type", "MasterRecovery");
    m.put("RecoveryType", "MasterRecoveryGTID");
    m.put("Kind", r.kind().name());
    m.put("State", r.state().name());
    m.put("FromEpoch", r.fromEpoch());
    m.put("ForkPoint", r.forkPoint());
    m.put("Steps", r.steps().stream().map(s -> {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("At", time(s.at()));
      x.put("Text", s.text());
      return x;
    }).toList());
    return m;
  }

  private static List<Map<String, Object>> keys(List<HostPort> hosts) {
    return hosts.stream().map(InstanceJson::key).toList();
  }

  static String time(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
