package io.herald.discovery;

import static io.herald.topology.Sample.key;
import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.Master;
import io.herald.cluster.Origin;
import io.herald.topology.AnalysisOptions;
import io.herald.topology.Observation;
import io.herald.topology.ProbeError;
import io.herald.topology.ReplicationAnalysis;
import io.herald.topology.Sample;
import io.herald.topology.Topology;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AliasBindingTest {
  private static Cluster cluster(String alias, int masterPort, long epoch, Origin origin) {
    return new Cluster(Alias.of(alias), new Master(key(masterPort), "127.0.0.1", ""), epoch, 0, origin);
  }

  private static List<AliasBinding.Decision> decide(List<Cluster> desired, Observation... observations) {
    Topology t = Sample.topology(observations);
    var analyses = ReplicationAnalysis.of(t, tree -> AliasBinding.published(tree, desired), AnalysisOptions.DEFAULTS);
    return AliasBinding.decide(t, analyses, desired);
  }

  private static List<MasterChange> changes(List<AliasBinding.Decision> d) {
    return d.stream().flatMap(x -> x.change().stream()).toList();
  }

  @Test
  void aNewClusterIsPublishedUnderTheAliasItsMasterAnswers() {
    var d = decide(List.of(), master(1).alias("orders").reports(2).up(), replica(2, 1).up());
    assertThat(changes(d)).containsExactly(new MasterChange(Alias.of("orders"), key(1), 0, "127.0.0.1:1", false));
  }

  @Test
  void afterASwitchoverTheTreeHoldingTheOldMasterKeepsItsAliasWhateverTheNewMasterAnswers() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    // 2 promoted, 1 now replicates from it; the new master's alias query answers something else
    var d = decide(desired, master(2).alias("other").reports(1).up(), replica(1, 2).up());
    assertThat(changes(d)).containsExactly(new MasterChange(Alias.of("orders"), key(2), 7, "127.0.0.1:2", true));
  }

  @Test
  void nothingChangesWhenThePublishedMasterIsTheDiscoveredOne() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    var d = decide(desired, master(1).reports(2).up(), replica(2, 1).up());
    assertThat(changes(d)).isEmpty();
    assertThat(d).singleElement().satisfies(x -> assertThat(x.alias()).contains(Alias.of("orders")));
  }

  @Test
  void aDeclaredClusterIsReportedNeverChanged() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DECLARED));
    var d = decide(desired, master(2).reports(1).up(), replica(1, 2).up());
    assertThat(changes(d)).isEmpty();
    assertThat(d.get(0).problem()).hasValueSatisfying(p -> assertThat(p).contains("declared").contains("adopt-cluster"));
  }

  @Test
  void twoTopologiesClaimingOneAliasAreBothReportedAndNeitherPublished() {
    var d = decide(List.of(), master(1).alias("orders").up(), master(5).alias("orders").up());
    assertThat(changes(d)).isEmpty();
    assertThat(d).hasSize(2).allSatisfy(x -> assertThat(x.problem()).hasValueSatisfying(p -> assertThat(p).contains("orders")));
  }

  @Test
  void anAliasWhoseMasterLeadsAnotherWritableTopologyIsNotTaken() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    var d = decide(desired, master(1).reports(2).up(), replica(2, 1).up(), master(5).alias("orders").up());
    assertThat(changes(d)).isEmpty();
    assertThat(d.stream().filter(x -> x.clusterName().equals("127.0.0.1:5")).findFirst().orElseThrow().problem())
        .hasValueSatisfying(p -> assertThat(p).contains("belongs to topology 127.0.0.1:1"));
  }

  @Test
  void anAliasMovesWhenItsOldMasterWasLeftReadOnlyAndAlone() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    var d = decide(desired, master(1).readOnly(true).up(), master(2).alias("orders").reports(3).up(), replica(3, 2).up());
    assertThat(changes(d)).containsExactly(new MasterChange(Alias.of("orders"), key(2), 7, "127.0.0.1:2", false));
  }

  @Test
  void aDeadMasterIsNeverReplacedByDiscovery() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    var d = decide(desired, master(1).reports(2, 3).down(ProbeError.Kind.UNREACHABLE),
        replica(2, 1).io(io.herald.topology.IoThread.CONNECTING, 2003).up(),
        replica(3, 1).io(io.herald.topology.IoThread.CONNECTING, 2003).up());
    assertThat(changes(d)).isEmpty();
  }

  @Test
  void oneTreeHoldingTwoAliasesMastersPublishesNothingAndSaysSo() {
    var desired = List.of(cluster("a", 1, 3, Origin.DISCOVERED), cluster("b", 2, 4, Origin.DISCOVERED));
    var d = decide(desired, master(2).reports(1).up(), replica(1, 2).up());
    assertThat(changes(d)).isEmpty();
    assertThat(d.get(0).problem()).hasValueSatisfying(p -> assertThat(p).contains("[a, b]"));
    assertThat(Optional.ofNullable(d.get(0).alias().orElse(null))).isEmpty();
  }

  @Test
  void anAliasStaysWithAMasterThatIsOnlyUnreachableFromHerald() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    // 1 times out, but its replica is still connected to it; a detached clone answers the same alias query
    var d = decide(desired, master(1).reports(2).down(ProbeError.Kind.TIMEOUT), replica(2, 1).up(),
        master(5).alias("orders").up());
    assertThat(changes(d)).isEmpty();
    assertThat(d.stream().filter(x -> x.clusterName().equals("127.0.0.1:5")).findFirst().orElseThrow().problem())
        .hasValueSatisfying(p -> assertThat(p).contains("unreachable master 127.0.0.1:1"));
  }

  @Test
  void anAliasMovesFromADeadMasterLeftAlone() {
    var desired = List.of(cluster("orders", 1, 7, Origin.DISCOVERED));
    var d = decide(desired, master(1).down(ProbeError.Kind.UNREACHABLE), master(2).alias("orders").reports(3).up(),
        replica(3, 2).up());
    assertThat(changes(d)).containsExactly(new MasterChange(Alias.of("orders"), key(2), 7, "127.0.0.1:2", false));
  }
}
