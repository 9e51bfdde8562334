package io.herald.topology;

import static io.herald.topology.Sample.key;
import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static io.herald.topology.Sample.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.HostPort;
import io.herald.topology.InstanceProblem.Code;
import io.herald.topology.ProbeError.Kind;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class InstanceProblemsTest {
  private static List<InstanceProblem> problems(Optional<HostPort> published, Observation... observations) {
    Topology t = topology(observations);
    return InstanceProblems.of(t, t.clusters().get(0), published, AnalysisOptions.DEFAULTS);
  }

  private static List<InstanceProblem> problems(Observation... observations) {
    return problems(Optional.empty(), observations);
  }

  @Test
  void aHealthyClusterHasNone() {
    assertThat(problems(master(1).up(), replica(2, 1).up(), replica(3, 2).up())).isEmpty();
  }

  @Test
  void aWritableReplicaIsASecondWriter() {
    List<InstanceProblem> p = problems(master(1).up(), replica(2, 1).readOnly(false).up());
    assertThat(p).singleElement().satisfies(x -> {
      assertThat(x.instance()).isEqualTo(key(2));
      assertThat(x.code()).isEqualTo(Code.WRITABLE_NOT_MASTER);
      assertThat(x.message()).contains("127.0.0.1:1");
    });
  }

  @Test
  void againstThePublishedMasterADiscoveredOneIsTheSecondWriterAndItsReplicasAreOffMaster() {
    List<InstanceProblem> p = problems(Optional.of(key(9)), master(1).up(), replica(2, 1).up(), replica(3, 2).up());
    assertThat(p).extracting(InstanceProblem::instance, InstanceProblem::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple(key(1), Code.WRITABLE_NOT_MASTER),
        org.assertj.core.groups.Tuple.tuple(key(2), Code.NOT_REPLICATING_FROM_MASTER));
  }

  @Test
  void brokenReplicationNamesTheErrors() {
    List<InstanceProblem> p = problems(master(1).up(), replica(2, 1).io(IoThread.CONNECTING, 2003).up(),
        replica(3, 1).sqlStopped().up(), replica(4, 1).io(IoThread.NO, 0).up());
    assertThat(p).extracting(InstanceProblem::instance, InstanceProblem::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple(key(2), Code.REPLICATION_BROKEN),
        org.assertj.core.groups.Tuple.tuple(key(3), Code.REPLICATION_BROKEN),
        org.assertj.core.groups.Tuple.tuple(key(4), Code.REPLICATION_STOPPED));
    assertThat(p.get(0).message()).contains("IO error 2003");
    assertThat(p.get(1).message()).contains("SQL thread stopped");
  }

  @Test
  void errantGtidsAreReportedExactlyWhenTheMasterWasReadAfterTheReplica() {
    Observation replica = replica(2, 1).binlogState("0-1-100,0-2-7").up();
    Observation masterLater = master(1).binlogState("0-1-101").at(Sample.T0.plusMillis(10)).up();
    List<InstanceProblem> p = problems(masterLater, replica);
    assertThat(p).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(Code.ERRANT_GTIDS);
      assertThat(x.gtids()).isEqualTo(GtidList.parse("0-2-7"));
      assertThat(x.message()).contains("0-2-7");
    });
  }

  @Test
  void theMastersOwnPairIsNotJudgedAgainstAMasterReadBeforeTheReplica() {
    Observation replica = replica(2, 1).binlogState("0-1-105").at(Sample.T0.plusMillis(10)).up();
    Observation masterEarlier = master(1).binlogState("0-1-100").up();
    assertThat(problems(masterEarlier, replica)).isEmpty();
  }

  @Test
  void aReplicasOwnWritesAreErrantWhicheverWasReadFirst() {
    Observation replica = replica(2, 1).binlogState("0-1-105,0-2-7").at(Sample.T0.plusMillis(10)).up();
    Observation masterEarlier = master(1).binlogState("0-1-100").up();
    assertThat(problems(masterEarlier, replica)).singleElement()
        .satisfies(x -> assertThat(x.gtids()).isEqualTo(GtidList.parse("0-2-7")));
  }

  @Test
  void errantGtidsAreNotJudgedAgainstAMasterWithoutBinlog() {
    Sample m = master(1).binlogState("").at(Sample.T0.plusMillis(10));
    m.logBin = false;
    assertThat(problems(m.up(), replica(2, 1).binlogState("0-1-5").up())).isEmpty();
  }

  @Test
  void missingGrantsAreListedSorted() {
    Sample r = replica(2, 1);
    r.missingPrivileges = Optional.of(Set.of("SUPER", "REPLICATION MASTER ADMIN"));
    assertThat(problems(master(1).up(), r.up())).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(Code.MISSING_GRANTS);
      assertThat(x.message()).endsWith("REPLICATION MASTER ADMIN, SUPER");
    });
  }

  @Test
  void anUnreachableInstanceHasOnlyItsProbeError() {
    List<InstanceProblem> p = problems(master(1).up(), replica(2, 1).readOnly(false).down(Kind.ACCESS_DENIED));
    assertThat(p).singleElement().satisfies(x -> {
      assertThat(x.code()).isEqualTo(Code.UNREACHABLE);
      assertThat(x.message()).contains("ACCESS_DENIED at 127.0.0.1:2");
    });
  }

  @Test
  void semiSyncFallbackOnTheMasterAndLagBeyondTheDelay() {
    Sample m = master(1);
    m.semiSync = new SemiSync(true, false, 0, 10_000, false, false);
    List<InstanceProblem> p = problems(m.up(), replica(2, 1).lag(11).up(), replica(3, 1).lag(10).up());
    assertThat(p).extracting(InstanceProblem::instance, InstanceProblem::code).containsExactly(
        org.assertj.core.groups.Tuple.tuple(key(1), Code.SEMI_SYNC_FELL_BACK_TO_ASYNC),
        org.assertj.core.groups.Tuple.tuple(key(2), Code.LAGGING));
    Topology t = topology(master(1).up(), replica(2, 1).lag(11).up());
    assertThat(InstanceProblems.of(t, t.clusters().get(0), Optional.empty(),
        new AnalysisOptions(Duration.ofSeconds(30), List.of()))).isEmpty();
  }
}
