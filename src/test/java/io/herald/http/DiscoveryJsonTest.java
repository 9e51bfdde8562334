package io.herald.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.cluster.HostPort;
import io.herald.discovery.AliasBinding;
import io.herald.discovery.DiscoveryView;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.ClusterAnalysis;
import io.herald.topology.GtidList;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.Observation;
import io.herald.topology.ProbeError;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.ReplicationAnalysis;
import io.herald.topology.SemiSync;
import io.herald.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The instance and analysis JSON for the states a live test server does not show: dead, ambiguous, never read. */
class DiscoveryJsonTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final ObjectMapper JSON = new ObjectMapper();

  private static HostPort key(int port) {
    return new HostPort("127.0.0.1", port);
  }

  private static InstanceState state(int port, boolean readOnly, Optional<ReplicaStatus> replication, int... reports) {
    return new InstanceState(key(port), port, "10.11.19-MariaDB-log", readOnly, true, true, "ROW", true, 0,
        GtidList.parse("0-1-100"), GtidList.parse("0-1-100"), GtidList.EMPTY, GtidList.parse("0-1-100"), replication,
        Arrays.stream(reports).mapToObj(DiscoveryJsonTest::key).toList(), SemiSync.OFF, Optional.empty(),
        Optional.empty(), Optional.empty());
  }

  private static Optional<ReplicaStatus> from(int source, IoThread io, int errno) {
    return Optional.of(new ReplicaStatus(key(source), io, true, errno, errno == 0 ? "" : "error reconnecting to master",
        0, "", io == IoThread.YES ? OptionalLong.of(3) : OptionalLong.empty(), 0, "Slave_Pos",
        GtidList.parse("0-1-100"), false));
  }

  private static Observation up(InstanceState s) {
    return Observation.of(s, T0, Duration.ofMillis(5));
  }

  private static Observation down(InstanceState last) {
    return Observation.failed(last.key(), new ProbeError(ProbeError.Kind.UNREACHABLE, "connection refused"),
        T0.plusSeconds(1), Duration.ofMillis(5), Optional.of(up(last)));
  }

  private static DiscoveryView view(Observation... observations) {
    Map<HostPort, Observation> m = new HashMap<>();
    for (Observation o : observations) m.put(o.key(), o);
    Topology t = Topology.of(m);
    List<ClusterAnalysis> analyses = ReplicationAnalysis.of(t, c -> Optional.empty(), AnalysisOptions.DEFAULTS);
    return new DiscoveryView(T0, t, analyses, AliasBinding.decide(t, analyses, List.of()));
  }

  private static JsonNode tree(Object o) {
    return JSON.valueToTree(o);
  }

  @Test
  void aDeadMasterShowsItsLastKnownFactsAndWhyItIsNotValid() {
    DiscoveryView v = view(down(state(1, false, Optional.empty(), 2, 3)),
        up(state(2, true, from(1, IoThread.CONNECTING, 2003))), up(state(3, true, from(1, IoThread.CONNECTING, 2003))));
    JsonNode master = tree(InstanceJson.of(v, key(1)));
    assertThat(master.path("IsLastCheckValid").asBoolean()).isFalse();
    assertThat(master.path("ServerID").asLong()).as("last known").isEqualTo(1);
    assertThat(master.path("LastSeen").asText()).isEqualTo(T0.toString());
    assertThat(master.path("LastCheckedAt").asText()).isEqualTo(T0.plusSeconds(1).toString());
    assertThat(master.path("LastProbeError").asText()).isEqualTo("UNREACHABLE: connection refused");
    assertThat(master.path("Problems").toString()).contains("\"Code\":\"UNREACHABLE\"");
    JsonNode replica = tree(InstanceJson.of(v, key(2)));
    assertThat(replica.path("ReplicationIOThreadRuning").asBoolean()).isFalse();
    assertThat(replica.path("ReplicationIOThreadState").asInt()).as("connecting is orchestrator's 'other'")
        .isEqualTo(2);
    assertThat(replica.path("ReplicationSQLThreadRuning").asBoolean()).isTrue();
    assertThat(replica.path("LastIOError").asText()).contains("reconnecting");
    assertThat(replica.path("SecondsBehindMaster").toString()).isEqualTo("{\"Int64\":0,\"Valid\":false}");

    JsonNode a = tree(AnalysisRoutes.entry(v, v.analyses().get(0)));
    assertThat(a.path("Analysis").asText()).isEqualTo("DeadMaster");
    assertThat(a.path("LastCheckValid").asBoolean()).isFalse();
    assertThat(a.path("CountReplicas").asInt()).isEqualTo(2);
    assertThat(a.path("CountValidReplicas").asInt()).isEqualTo(2);
    assertThat(a.path("CountReplicatingReplicas").asInt()).isZero();
    assertThat(a.path("Publishable").asBoolean()).isFalse();
    assertThat(a.path("Problems").toString()).contains("{\"Key\":{\"Hostname\":\"127.0.0.1\",\"Port\":1},"
        + "\"Code\":\"UNREACHABLE\"");
  }

  @Test
  void twoWritableRootsAreAnalysedAsAmbiguousAndNamedAfterTheSmallest() {
    // 1 still lists 2 as its replica, but 2 replicates from nobody and is writable: two masters in one cluster
    DiscoveryView v = view(up(state(1, false, Optional.empty(), 2, 3)), up(state(2, false, Optional.empty())),
        up(state(3, true, from(1, IoThread.YES, 0))));
    JsonNode a = tree(AnalysisRoutes.entry(v, v.analyses().get(0)));
    assertThat(a.path("Analysis").asText()).isEqualTo("AmbiguousMasterStructure");
    assertThat(a.path("AnalyzedInstanceKey").path("Port").asInt()).isEqualTo(1);
    assertThat(a.path("IsMaster").asBoolean()).isFalse();
    assertThat(a.path("StructureAnalysis").toString()).isEqualTo("[\"MULTIPLE_WRITABLE_ROOTS\",\"WRITABLE_NOT_MASTER\"]");
    assertThat(a.path("StructureProblems").get(0).path("Message").asText()).contains("two masters");
    assertThat(a.path("ClusterDetails").path("CountInstances").asInt()).isEqualTo(3);
    assertThat(a.path("ClusterDetails").path("ClusterAlias").asText()).as("no alias bound: the cluster name")
        .isEqualTo("127.0.0.1:1");
    assertThat(a.path("Publishable").asBoolean()).isFalse();
    assertThat(tree(InstanceJson.of(v, key(2))).path("Problems").toString()).contains("WRITABLE_NOT_MASTER");
  }

  @Test
  void anInstanceNeverReadHasEmptyFactsAndItsReplicaCountsItsDepth() {
    DiscoveryView v = view(up(state(2, true, from(1, IoThread.YES, 0))));
    JsonNode unseen = tree(InstanceJson.of(v, key(1)));
    assertThat(unseen.path("ServerID").asLong()).isZero();
    assertThat(unseen.path("Version").asText()).isEmpty();
    assertThat(unseen.path("IsLastCheckValid").asBoolean()).isFalse();
    assertThat(unseen.path("LastSeen").isNull()).isTrue();
    assertThat(unseen.path("MasterKey").toString()).isEqualTo("{\"Hostname\":\"\",\"Port\":0}");
    assertThat(unseen.path("Replicas").toString()).isEqualTo("[{\"Hostname\":\"127.0.0.1\",\"Port\":2}]");
    assertThat(unseen.path("ReplicationSQLThreadState").asInt()).isEqualTo(-1);
    JsonNode replica = tree(InstanceJson.of(v, key(2)));
    assertThat(replica.path("ReplicationDepth").asInt()).isEqualTo(1);
    assertThat(replica.path("ClusterName").asText()).isEqualTo("127.0.0.1:1");
    assertThat(replica.path("SecondsBehindMaster").toString()).isEqualTo("{\"Int64\":3,\"Valid\":true}");
    assertThat(replica.path("GtidIOPos").asText()).isEqualTo("0-1-100");
  }
}
