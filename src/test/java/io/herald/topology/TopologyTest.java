package io.herald.topology;

import static io.herald.topology.Sample.key;
import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static io.herald.topology.Sample.topology;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.topology.ProbeError.Kind;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TopologyTest {
  @Test
  void chainedReplicasFormOneTreeUnderTheMaster() {
    Topology t = topology(master(1).reports(2, 3).up(), replica(2, 1).reports(4).up(), replica(3, 1).up(),
        replica(4, 2).up(), master(9).up());
    assertThat(t.clusters()).hasSize(2);
    ClusterTree c = t.clusterOf(key(4)).orElseThrow();
    assertThat(c.name()).isEqualTo("127.0.0.1:1");
    assertThat(c.members()).containsExactly(key(1), key(2), key(3), key(4));
    assertThat(c.roots()).containsExactly(key(1));
    assertThat(c.master()).contains(key(1));
    assertThat(c.problems()).isEmpty();
    assertThat(t.children(key(1))).containsExactly(key(2), key(3));
    assertThat(t.children(key(2))).containsExactly(key(4));
    assertThat(t.parent(key(4))).contains(key(2));
    assertThat(t.clusterOf(key(9)).orElseThrow().members()).containsExactly(key(9));
  }

  @Test
  void replicasAreTheUnionOfWhatTheSourceReportsAndWhoReplicatesFromIt() {
    Topology t = topology(master(1).reports(2).up(), replica(2, 1).up(), replica(3, 1).up());
    assertThat(t.replicas(key(1))).containsExactly(key(2), key(3));
    assertThat(t.replicas(key(3))).isEmpty();
  }

  @Test
  void aReplicaWhoseMasterWasNeverProbedHangsUnderThatUnseenMaster() {
    Topology t = topology(replica(2, 1).up(), replica(3, 2).up());
    ClusterTree c = t.clusterOf(key(3)).orElseThrow();
    assertThat(c.name()).isEqualTo("127.0.0.1:1");
    assertThat(c.roots()).containsExactly(key(1));
    assertThat(c.master()).isEmpty();
    assertThat(c.problems()).containsExactly(StructureProblem.ROOT_NEVER_SEEN);
    assertThat(t.unobserved()).containsExactly(key(1));
  }

  @Test
  void aDeadOldMastersLastReplicaListDoesNotPullThePromotedReplicaBackIntoItsTree() {
    // after a failover: 1 died listing 2 and 3; 2 was promoted (a root now), 3 replicates from 2
    Topology t = topology(master(1).reports(2, 3).down(ProbeError.Kind.UNREACHABLE), master(2).reports(3).up(),
        replica(3, 2).up());
    assertThat(t.clusterOf(key(2)).orElseThrow().members()).containsExactly(key(2), key(3));
    assertThat(t.clusterOf(key(2)).orElseThrow().problems()).isEmpty();
    assertThat(t.clusterOf(key(1)).orElseThrow().members()).containsExactly(key(1));
    // while 1 answers, its list is current: a replica it still lists stays joined to it
    Topology live = topology(master(1).reports(2).up(), master(2).up());
    assertThat(live.clusterOf(key(2)).orElseThrow().members()).contains(key(1));
  }

  @Test
  void aReportedReplicaNotProbedYetIsPlacedUnderItsReporter() {
    Topology t = topology(master(1).reports(2).up());
    assertThat(t.parent(key(2))).contains(key(1));
    assertThat(t.children(key(1))).containsExactly(key(2));
    assertThat(t.unobserved()).containsExactly(key(2));
    assertThat(t.clusters()).singleElement().satisfies(c -> assertThat(c.master()).contains(key(1)));
  }

  @Test
  void theProcesslistGuessOfTheMastersOwnPortIsIgnored() {
    Topology t = topology(master(1).reports(1).up());
    assertThat(t.replicas(key(1))).isEmpty();
    assertThat(t.clusters()).singleElement().satisfies(c -> assertThat(c.problems()).isEmpty());
  }

  @Test
  void aStaleReportOfAReplicaThatNamesAnotherSourceDoesNotMergeClusters() {
    Topology t = topology(master(1).reports(3).up(), master(2).up(), replica(3, 2).up());
    assertThat(t.clusters()).hasSize(2);
    assertThat(t.clusterOf(key(3)).orElseThrow().name()).isEqualTo("127.0.0.1:2");
    assertThat(t.clusterOf(key(1)).orElseThrow().master()).contains(key(1));
  }

  @Test
  void aPromotedReplicaStillListedByItsOldMasterMakesTwoWritableRoots() {
    Topology t = topology(master(1).reports(2, 3).up(), master(2).up(), replica(3, 1).up());
    ClusterTree c = t.clusterOf(key(2)).orElseThrow();
    assertThat(c.roots()).containsExactly(key(1), key(2));
    assertThat(c.problems()).containsExactly(StructureProblem.MULTIPLE_WRITABLE_ROOTS);
    assertThat(c.master()).isEmpty();
    assertThat(c.presumedMaster()).isEmpty();
    assertThat(c.name()).isEqualTo("127.0.0.1:1");
  }

  @Test
  void aReadOnlyRootListedByAWritableOneIsStillTwoRoots() {
    Topology t = topology(master(1).reports(2).up(), master(2).readOnly(true).up());
    ClusterTree c = t.clusters().get(0);
    assertThat(c.problems()).containsExactly(StructureProblem.MULTIPLE_ROOTS);
    assertThat(c.name()).isEqualTo("127.0.0.1:1");
  }

  @Test
  void aReadOnlyRootIsNoWriteableMaster() {
    Topology t = topology(master(1).readOnly(true).up(), replica(2, 1).up());
    ClusterTree c = t.clusters().get(0);
    assertThat(c.problems()).containsExactly(StructureProblem.READ_ONLY_ROOT);
    assertThat(c.master()).isEmpty();
    assertThat(c.presumedMaster()).contains(key(1));
  }

  @Test
  void coMastersAreACycleWithNoRootAndNoMaster() {
    Topology t = topology(replica(1, 2).readOnly(false).up(), replica(2, 1).up(), replica(3, 2).up());
    ClusterTree c = t.clusters().get(0);
    assertThat(c.roots()).isEmpty();
    assertThat(c.cycle()).containsExactly(key(1), key(2));
    assertThat(c.members()).containsExactly(key(1), key(2), key(3));
    assertThat(c.problems()).containsExactly(StructureProblem.CYCLE);
    assertThat(c.name()).isEqualTo("127.0.0.1:1");
  }

  @Test
  void aRingOfThreeIsOneCycle() {
    Topology t = topology(replica(1, 3).up(), replica(2, 1).up(), replica(3, 2).up(), replica(4, 3).up());
    assertThat(t.clusters().get(0).cycle()).containsExactly(key(1), key(2), key(3));
  }

  @Test
  void anUnreachableMasterKeepsItsPlaceFromItsLastState() {
    Topology t = topology(master(1).reports(2).down(Kind.UNREACHABLE),
        replica(2, 1).io(IoThread.CONNECTING, 2003).up());
    ClusterTree c = t.clusters().get(0);
    assertThat(c.roots()).containsExactly(key(1));
    assertThat(c.master()).contains(key(1));
    assertThat(t.knownState(key(1))).isPresent();
    assertThat(t.observation(key(1)).orElseThrow().reachable()).isFalse();
  }

  @Test
  void clustersAreSortedByNameAndFoundByNameOrMember() {
    Topology t = topology(master(30).up(), master(10).up(), replica(11, 10).up(), master(20).up());
    assertThat(t.clusters()).extracting(ClusterTree::name)
        .containsExactly("127.0.0.1:10", "127.0.0.1:20", "127.0.0.1:30");
    assertThat(t.cluster("127.0.0.1:11").map(ClusterTree::name)).contains("127.0.0.1:10");
    assertThat(t.cluster("127.0.0.1:20").map(ClusterTree::name)).contains("127.0.0.1:20");
    assertThat(t.cluster("127.0.0.1:99")).isEmpty();
  }

  @Test
  void refusesAnObservationFiledUnderAnotherKey() {
    assertThatThrownBy(() -> Topology.of(Map.of(key(2), master(1).up())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("127.0.0.1:1");
  }

  @Test
  void anInstanceNeverReachedIsARootNeverSeen() {
    Topology t = topology(Sample.neverUp(5, Kind.TIMEOUT));
    assertThat(t.clusters().get(0).problems()).containsExactly(StructureProblem.ROOT_NEVER_SEEN);
    assertThat(t.knownState(key(5))).isEqualTo(Optional.empty());
    assertThat(t.unobserved()).isEmpty();
  }
}
