package io.herald.topology;

import static io.herald.topology.Sample.key;
import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static io.herald.topology.Sample.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.topology.ProbeError.Kind;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicationAnalysisTest {
  private static ClusterAnalysis analyse(Observation... observations) {
    Topology t = topology(observations);
    List<ClusterAnalysis> all = ReplicationAnalysis.of(t, c -> Optional.empty(), AnalysisOptions.DEFAULTS);
    assertThat(all).hasSize(1);
    return all.get(0);
  }

  private static AnalysisCode code(Observation... observations) {
    return analyse(observations).code();
  }

  private static Observation lost(int port) {
    return replica(port, 1).io(IoThread.CONNECTING, 2003).up();
  }

  @Test
  void aHealthyClusterHasNoProblemAndCountsItsReplicas() {
    ClusterAnalysis a = analyse(master(1).up(), replica(2, 1).up(), replica(3, 1).up(), replica(4, 2).up());
    assertThat(a.code()).isEqualTo(AnalysisCode.NoProblem);
    assertThat(a.code().toString()).isEqualTo("NoProblem");
    assertThat(a.clusterName()).isEqualTo("127.0.0.1:1");
    assertThat(a.master()).contains(key(1));
    assertThat(a.publishable()).isTrue();
    assertThat(a.countReplicas()).isEqualTo(2);
    assertThat(a.countValidReplicas()).isEqualTo(2);
    assertThat(a.countReplicatingReplicas()).isEqualTo(2);
    assertThat(a.problems()).isEmpty();
    assertThat(a.alias().alias().value()).isEqualTo("127.0.0.1_1");
  }

  @Test
  void deadMasterWhenEveryReplicaWasReachedAndNoneIsConnected() {
    ClusterAnalysis a = analyse(master(1).down(Kind.UNREACHABLE), lost(2),
        replica(3, 1).io(IoThread.NO, 2013).up());
    assertThat(a.code()).isEqualTo(AnalysisCode.DeadMaster);
    assertThat(a.code().actionable()).isTrue();
    assertThat(a.analyzedMaster()).contains(key(1));
    assertThat(a.master()).isEmpty();
    assertThat(a.publishable()).isFalse();
    assertThat(a.description()).contains("UNREACHABLE at 127.0.0.1:1");
    assertThat(a.countValidReplicas()).isEqualTo(2);
    assertThat(a.countReplicatingReplicas()).isZero();
  }

  @Test
  void aTimeoutCountsAsDown() {
    assertThat(code(master(1).down(Kind.TIMEOUT), lost(2))).isEqualTo(AnalysisCode.DeadMaster);
  }

  @Test
  void aStoppedSqlThreadWithTheIoThreadRunningIsNotADeadMaster() {
    ClusterAnalysis a = analyse(master(1).down(Kind.UNREACHABLE), replica(2, 1).sqlStopped().up(), lost(3));
    assertThat(a.code()).isEqualTo(AnalysisCode.UnreachableMaster);
    assertThat(a.countReplicatingReplicas()).isZero();
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).sqlStopped().up()))
        .isEqualTo(AnalysisCode.UnreachableMaster);
  }

  @Test
  void aMasterThatRefusesHeraldsUserIsNotDead() {
    assertThat(code(master(1).down(Kind.ACCESS_DENIED), lost(2), lost(3))).isEqualTo(AnalysisCode.UnreachableMaster);
    assertThat(code(master(1).down(Kind.NOT_MYSQL), lost(2))).isEqualTo(AnalysisCode.UnreachableMaster);
  }

  @Test
  void unreachableMasterWhileAReplicaIsConnected() {
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).up(), lost(3)))
        .isEqualTo(AnalysisCode.UnreachableMaster);
  }

  @Test
  void unreachableMasterWithLaggingReplicasWhenEveryConnectedOneLags() {
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).lag(60).up(), lost(3)))
        .isEqualTo(AnalysisCode.UnreachableMasterWithLaggingReplicas);
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).lag(60).up(), replica(3, 1).up()))
        .isEqualTo(AnalysisCode.UnreachableMaster);
  }

  @Test
  void replicasStoppedWithoutAnErrorDoNotConfirmTheLoss() {
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).io(IoThread.NO, 0).up()))
        .isEqualTo(AnalysisCode.UnreachableMaster);
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).io(IoThread.NO, 0).up(), lost(3)))
        .isEqualTo(AnalysisCode.DeadMaster);
  }

  @Test
  void deadMasterAndSomeReplicasWhenTheReachedOnesAreAllLost() {
    assertThat(code(master(1).down(Kind.UNREACHABLE), lost(2), replica(3, 1).down(Kind.UNREACHABLE)))
        .isEqualTo(AnalysisCode.DeadMasterAndSomeReplicas);
    assertThat(AnalysisCode.DeadMasterAndSomeReplicas.actionable()).isTrue();
  }

  @Test
  void deadMasterAndReplicasWhenNoReplicaIsReached() {
    assertThat(code(master(1).down(Kind.UNREACHABLE), replica(2, 1).down(Kind.TIMEOUT),
        replica(3, 1).down(Kind.UNREACHABLE))).isEqualTo(AnalysisCode.DeadMasterAndReplicas);
  }

  @Test
  void deadMasterWithoutReplicas() {
    assertThat(code(master(1).down(Kind.UNREACHABLE))).isEqualTo(AnalysisCode.DeadMasterWithoutReplicas);
  }

  @Test
  void aMasterNeverReachedWhoseReplicasLostItIsDeadButNotPublishable() {
    ClusterAnalysis a = analyse(Sample.neverUp(1, Kind.UNREACHABLE), lost(2));
    assertThat(a.code()).isEqualTo(AnalysisCode.DeadMaster);
    assertThat(a.publishable()).isFalse();
    assertThat(a.structure()).containsExactly(StructureProblem.ROOT_NEVER_SEEN);
  }

  @Test
  void aMasterNotProbedYetIsNotDiscovered() {
    assertThat(code(replica(2, 1).up())).isEqualTo(AnalysisCode.MasterNotDiscovered);
  }

  @Test
  void aReadOnlyMasterIsNoWriteableMasterStructureWarning() {
    ClusterAnalysis a = analyse(master(1).readOnly(true).up(), replica(2, 1).up());
    assertThat(a.code()).isEqualTo(AnalysisCode.NoWriteableMasterStructureWarning);
    assertThat(a.analyzedMaster()).contains(key(1));
    assertThat(a.publishable()).isFalse();
  }

  @Test
  void masterSingleReplicaNotReplicatingOrDead() {
    assertThat(code(master(1).up(), replica(2, 1).sqlStopped().up()))
        .isEqualTo(AnalysisCode.MasterSingleReplicaNotReplicating);
    assertThat(code(master(1).up(), replica(2, 1).down(Kind.UNREACHABLE)))
        .isEqualTo(AnalysisCode.MasterSingleReplicaDead);
  }

  @Test
  void allMasterReplicasNotReplicatingOrDead() {
    assertThat(code(master(1).up(), replica(2, 1).sqlStopped().up(), replica(3, 1).io(IoThread.NO, 0).up()))
        .isEqualTo(AnalysisCode.AllMasterReplicasNotReplicating);
    assertThat(code(master(1).up(), replica(2, 1).sqlStopped().up(), replica(3, 1).down(Kind.UNREACHABLE)))
        .isEqualTo(AnalysisCode.AllMasterReplicasNotReplicatingOrDead);
    assertThat(code(master(1).up(), replica(2, 1).sqlStopped().up(), replica(3, 1).up()))
        .isEqualTo(AnalysisCode.NoProblem);
  }

  @Test
  void twoWritableRootsAreAmbiguousAndPublishNothing() {
    ClusterAnalysis a = analyse(master(1).reports(2).up(), master(2).up());
    assertThat(a.code()).isEqualTo(AnalysisCode.AmbiguousMasterStructure);
    assertThat(a.master()).isEmpty();
    assertThat(a.alias().alias().value()).isEqualTo("127.0.0.1_1");
    assertThat(a.description()).contains("two or more writable");
    assertThat(a.problems()).extracting(InstanceProblem::code)
        .containsExactly(InstanceProblem.Code.WRITABLE_NOT_MASTER, InstanceProblem.Code.WRITABLE_NOT_MASTER);
  }

  @Test
  void theAliasComesFromTheMastersDetectClusterAliasQuery() {
    Sample m = master(1);
    m.clusterAlias = Optional.of("orders");
    Sample r = replica(2, 1);
    r.clusterAlias = Optional.of("not-this");
    assertThat(analyse(m.up(), r.up()).alias().alias().value()).isEqualTo("orders");
  }

  @Test
  void everyClusterIsAnalysedInNameOrderWithItsPublishedMaster() {
    Topology t = topology(master(20).up(), replica(21, 20).up(), master(10).up());
    List<ClusterAnalysis> all = ReplicationAnalysis.of(t,
        c -> c.name().equals("127.0.0.1:20") ? Optional.of(key(21)) : Optional.empty(), AnalysisOptions.DEFAULTS);
    assertThat(all).extracting(ClusterAnalysis::clusterName).containsExactly("127.0.0.1:10", "127.0.0.1:20");
    assertThat(all.get(1).problems()).extracting(InstanceProblem::code).containsExactly(
        InstanceProblem.Code.WRITABLE_NOT_MASTER, InstanceProblem.Code.NOT_REPLICATING_FROM_MASTER);
  }

  @Test
  void twoClustersSuggestingOneAliasAreReportedTogether() {
    Sample a = master(10);
    a.clusterAlias = Optional.of("orders");
    Sample b = master(20);
    b.clusterAlias = Optional.of("orders");
    Topology t = topology(a.up(), b.up(), replica(21, 20).up(), master(30).up());
    List<ClusterAnalysis> all = ReplicationAnalysis.of(t, c -> Optional.empty(), AnalysisOptions.DEFAULTS);
    assertThat(ReplicationAnalysis.sharedAliases(all))
        .containsExactly(org.assertj.core.api.Assertions.entry(io.herald.cluster.Alias.of("orders"),
            List.of("127.0.0.1:10", "127.0.0.1:20")));
    assertThat(ReplicationAnalysis.sharedAliases(all.subList(1, 3))).isEmpty();
  }
}
