package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.raft.CommandResult.Refusal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DesiredStateTest {
  private static final Alias ORDERS = Alias.of("orders");
  private static final Alias USERS = Alias.of("users");
  private static final Alias BILLING = Alias.of("billing");
  private static final Master DB1 = master("db1");
  private static final Master DB2 = master("db2");
  private static final Master DB3 = master("db3");

  private final DesiredState state = new DesiredState();

  private static Master master(String host) {
    return new Master(new HostPort(host, 3306), "", "");
  }

  private static Command set(Alias alias, Master master) {
    return Command.SetMaster.declared(alias, master, 0); // no clock: the epoch is the log index, as before
  }

  private static Command submit(Alias alias) {
    return new Command.Submit(Optional.of(alias));
  }

  private static final Command SUBMIT_ALL = new Command.Submit(Optional.empty());

  @Test
  void setMasterAssignsTheLogIndexAsEpoch() {
    CommandResult r = state.apply(set(ORDERS, DB1), 5);

    Cluster expected = new Cluster(ORDERS, DB1, 5, 0);
    assertThat(r).isEqualTo(CommandResult.applied(5, List.of(expected)));
    assertThat(state.get(ORDERS)).contains(expected);
    assertThat(state.size()).isEqualTo(1);
  }

  @Test
  void failoverKeepsTheAliasAndTakesANewEpoch() {
    state.apply(set(ORDERS, DB1), 5);
    state.apply(submit(ORDERS), 6);

    CommandResult r = state.apply(set(ORDERS, DB2), 9);

    assertThat(r.error()).isEmpty();
    assertThat(state.get(ORDERS)).contains(new Cluster(ORDERS, DB2, 9, 6));
    assertThat(state.size()).isEqualTo(1);
  }

  @Test
  void settingTheSameMasterAgainIsAFreshEpoch() {
    state.apply(set(ORDERS, DB1), 5);
    CommandResult r = state.apply(set(ORDERS, DB1), 8);
    assertThat(r.error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(8);
  }

  @Test
  void oneServerCannotBeTheMasterOfTwoClusters() throws IOException {
    state.apply(set(ORDERS, DB1), 5);
    byte[] before = bytes(state);

    CommandResult r = state.apply(set(USERS, DB1), 6);

    assertThat(r.index()).isEqualTo(6);
    assertThat(r.clusters()).isEmpty();
    assertThat(r.error()).hasValueSatisfying(e -> {
      assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT);
      assertThat(e.message()).contains("db1:3306", "orders");
    });
    assertThat(state.get(USERS)).isEmpty();
    assertThat(state.get(ORDERS)).contains(new Cluster(ORDERS, DB1, 5, 0));
    assertThat(bytes(state)).isEqualTo(before);
  }

  @Test
  void aMovedMasterFreesItsOldAddressForAnotherCluster() {
    state.apply(set(ORDERS, DB1), 5);
    state.apply(set(ORDERS, DB2), 6);

    CommandResult r = state.apply(set(USERS, DB1), 7);

    assertThat(r.error()).isEmpty();
    assertThat(state.get(USERS)).contains(new Cluster(USERS, DB1, 7, 0));
    // and the new address is now taken
    assertThat(state.apply(set(BILLING, DB2), 8).error()).map(Refusal::kind).contains(Refusal.Kind.CONFLICT);
  }

  @Test
  void submitOneMarksItWithTheIndex() {
    state.apply(set(ORDERS, DB1), 5);
    state.apply(set(USERS, DB2), 6);

    CommandResult r = state.apply(submit(ORDERS), 10);

    assertThat(r).isEqualTo(CommandResult.applied(10, List.of(new Cluster(ORDERS, DB1, 5, 10))));
    assertThat(state.get(ORDERS).orElseThrow().submitted()).isEqualTo(10);
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(5);
    assertThat(state.get(USERS).orElseThrow().submitted()).isZero();
  }

  @Test
  void submitOfAnUnknownAliasIsNotFound() {
    state.apply(set(ORDERS, DB1), 5);

    CommandResult r = state.apply(submit(USERS), 6);

    assertThat(r.error()).hasValueSatisfying(e -> {
      assertThat(e.kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
      assertThat(e.message()).contains("users");
    });
    assertThat(state.size()).isEqualTo(1);
    assertThat(state.get(ORDERS).orElseThrow().submitted()).isZero();
  }

  @Test
  void submitAllMarksEveryClusterAndReturnsThemSortedByAlias() {
    state.apply(set(USERS, DB1), 1);
    state.apply(set(ORDERS, DB2), 2);
    state.apply(set(BILLING, DB3), 3);

    CommandResult r = state.apply(SUBMIT_ALL, 4);

    assertThat(r.error()).isEmpty();
    assertThat(r.clusters()).extracting(Cluster::alias).containsExactly(BILLING, ORDERS, USERS);
    assertThat(r.clusters()).allSatisfy(c -> assertThat(c.submitted()).isEqualTo(4));
    assertThat(state.clusters()).allSatisfy(c -> assertThat(c.submitted()).isEqualTo(4));
  }

  @Test
  void submitAllOfAnEmptyStateAppliesNothing() {
    assertThat(state.apply(SUBMIT_ALL, 1)).isEqualTo(CommandResult.applied(1, List.of()));
  }

  @Test
  void writeToAndReadFromRoundTrip() throws IOException {
    state.apply(set(USERS, DB1), 1);
    state.apply(set(ORDERS, DB2), 2);
    state.apply(submit(USERS), 3);
    byte[] written = bytes(state);

    DesiredState copy = new DesiredState();
    copy.apply(set(BILLING, DB3), 1); // replaced entirely by readFrom
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(written)));

    assertThat(bytes(copy)).isEqualTo(written);
    assertThat(copy.clusters()).containsExactlyInAnyOrderElementsOf(state.clusters());
    assertThat(copy.get(BILLING)).isEmpty();
  }

  @Test
  void readFromRebuildsTheMasterOwnership() throws IOException {
    state.apply(set(ORDERS, DB1), 1);
    DesiredState copy = new DesiredState();
    copy.apply(set(BILLING, DB2), 1);
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));

    assertThat(copy.apply(set(USERS, DB1), 2).error()).map(Refusal::kind).contains(Refusal.Kind.CONFLICT);
    assertThat(copy.apply(set(USERS, DB2), 3).error()).isEmpty(); // billing's db2 was forgotten with billing
  }

  @Test
  void sameCommandsGiveIdenticalBytes() throws IOException {
    List<Command> commands = List.of(set(USERS, DB1), set(ORDERS, DB2), submit(USERS), set(BILLING, DB3),
        set(ORDERS, DB1), set(ORDERS, master("db4")), set(USERS, DB2), SUBMIT_ALL, submit(BILLING));
    DesiredState a = new DesiredState();
    DesiredState b = new DesiredState();
    for (int i = 0; i < commands.size(); i++) {
      a.apply(commands.get(i), i + 1);
      b.apply(commands.get(i), i + 1);
    }
    assertThat(bytes(a)).isEqualTo(bytes(b));
    assertThat(a.size()).isEqualTo(3);
  }

  @Test
  void clustersAreWrittenInAliasOrderWhateverOrderTheyCameIn() throws IOException {
    DesiredState a = new DesiredState();
    int n = 300; // enough that the hash map's own iteration order is not alias order by chance
    for (int i = 0; i < n; i++) a.apply(set(Alias.of("k" + i), master("10.1." + i / 200 + "." + i % 200)), i + 1);

    byte[] written = bytes(a);
    DesiredState b = new DesiredState();
    b.readFrom(new DataInputStream(new ByteArrayInputStream(written)));
    assertThat(bytes(b)).isEqualTo(written);
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(written));
    List<String> aliases = new ArrayList<>();
    assertThat(in.readInt()).isEqualTo(-6); // the version marker: no cluster is wiped, clusters in codec layout 3
    for (int i = in.readInt(); i > 0; i--) aliases.add(CommandCodec.readCluster(in, 3).alias().value());
    assertThat(aliases).hasSize(n).isSorted();
  }

  private static byte[] bytes(DesiredState s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      s.writeTo(out);
    }
    return b.toByteArray();
  }

  private static Command discovered(Alias alias, Master master, long ifEpoch) {
    return Command.SetMaster.discovered(alias, master, ifEpoch, 0);
  }

  @Test
  void aDiscoveredChangeIsAppliedOnlyAtTheEpochItWasDecidedOn() {
    assertThat(state.apply(discovered(ORDERS, DB1, 0), 5).error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().origin()).isEqualTo(io.herald.cluster.Origin.DISCOVERED);
    // a second decision made on the same (now old) view: refused, nothing changes
    CommandResult stale = state.apply(discovered(ORDERS, DB2, 0), 6);
    assertThat(stale.error()).map(Refusal::kind).contains(Refusal.Kind.CONFLICT);
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    assertThat(state.apply(discovered(ORDERS, DB2, 5), 7).error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(7);
  }

  @Test
  void discoveryNeverOverridesADeclaredClusterUntilItIsHandedOver() {
    state.apply(set(ORDERS, DB1), 1);
    CommandResult r = state.apply(discovered(ORDERS, DB2, 1), 2);
    assertThat(r.error()).map(Refusal::message).hasValueSatisfying(m -> assertThat(m).contains("declared"));
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    assertThat(state.apply(new Command.Adopt(ORDERS), 3).error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().epoch()).as("adopting changes no master").isEqualTo(1);
    assertThat(state.apply(discovered(ORDERS, DB2, 1), 4).error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB2);
    // an operator's set-master takes the cluster back
    state.apply(set(ORDERS, DB3), 5);
    assertThat(state.get(ORDERS).orElseThrow().origin()).isEqualTo(io.herald.cluster.Origin.DECLARED);
    assertThat(state.apply(new Command.Adopt(USERS), 6).error()).map(Refusal::kind).contains(Refusal.Kind.NOT_FOUND);
  }

  @Test
  void seedsAndForgottenInstancesSurviveASnapshot() throws IOException {
    HostPort a = new HostPort("10.0.0.1", 3306);
    HostPort b = new HostPort("10.0.0.2", 3306);
    state.apply(new Command.Discover(b), 1);
    state.apply(new Command.Discover(a), 2);
    state.apply(discovered(ORDERS, DB1, 0), 3);
    state.apply(new Command.Forget(List.of(b)), 4);
    assertThat(state.seeds()).containsExactly(a);
    assertThat(state.forgotten()).containsEntry(b, 4L);
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));
    assertThat(copy.seeds()).containsExactly(a);
    assertThat(copy.forgotten()).containsEntry(b, 4L);
    assertThat(copy.get(ORDERS).orElseThrow().origin()).isEqualTo(io.herald.cluster.Origin.DISCOVERED);
    assertThat(bytes(copy)).isEqualTo(bytes(state));
    // discovering it again takes it off the forgotten list
    copy.apply(new Command.Discover(b), 5);
    assertThat(copy.forgotten()).isEmpty();
    assertThat(copy.seeds()).containsExactly(a, b);
  }

  @Test
  void aVersionOneSnapshotStillLoadsWithEveryClusterDeclared() throws IOException {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(raw);
    out.writeInt(1); // version 1: the count first, clusters without origin, no seeds
    out.writeUTF("orders");
    out.writeUTF("db1");
    out.writeInt(3306);
    out.writeUTF("");
    out.writeUTF("");
    out.writeLong(7);
    out.writeLong(0);
    out.flush();
    DesiredState old = new DesiredState();
    old.readFrom(new DataInputStream(new ByteArrayInputStream(raw.toByteArray())));
    assertThat(old.get(ORDERS).orElseThrow().epoch()).isEqualTo(7);
    assertThat(old.get(ORDERS).orElseThrow().origin()).isEqualTo(io.herald.cluster.Origin.DECLARED);
    assertThat(old.seeds()).isEmpty();
  }

  @Test
  void epochsFollowTheProposersClockSoARebuiltGroupStillWritesNewerEpochs() {
    DesiredState old = new DesiredState();
    for (int i = 1; i <= 50_000; i += 7) old.apply(set(ORDERS, i % 2 == 0 ? DB1 : DB2), i);
    long oldEpoch = old.get(ORDERS).orElseThrow().epoch();
    // a rebuilt data directory: the log starts again at index 1
    DesiredState rebuilt = new DesiredState();
    long now = 1_764_576_000_000L;
    rebuilt.apply(Command.SetMaster.declared(ORDERS, DB3, now), 1);
    assertThat(rebuilt.get(ORDERS).orElseThrow().epoch()).isEqualTo(now * 1000).isGreaterThan(oldEpoch);
  }

  @Test
  void changesInOneMillisecondOrFromAClockBehindStillGetGrowingEpochs() {
    long now = 1_764_576_000_000L;
    state.apply(Command.SetMaster.declared(ORDERS, DB1, now), 1);
    state.apply(Command.SetMaster.declared(USERS, DB2, now), 2);
    state.apply(Command.SetMaster.declared(ORDERS, DB3, now - 60_000), 3); // a proposer a minute behind
    assertThat(state.get(USERS).orElseThrow().epoch()).isEqualTo(now * 1000 + 1);
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(now * 1000 + 2);
    assertThat(state.lastEpoch()).isEqualTo(now * 1000 + 2);
  }

  @Test
  void aTakeOverGetsAnEpochAboveTheOneThatBlocksIt() {
    long foreign = 99_999_999_999_999_999L;
    state.apply(new Command.SetMaster(ORDERS, DB1, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(),
        1_764_576_000_000L, foreign), 1);
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(foreign + 1);
  }

  @Test
  void theLastEpochSurvivesASnapshotEvenWhenItsClusterIsGone() throws IOException {
    long now = 1_764_576_000_000L;
    state.apply(Command.SetMaster.declared(ORDERS, DB1, now), 1);
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));
    assertThat(copy.lastEpoch()).isEqualTo(now * 1000);
    copy.apply(Command.SetMaster.declared(USERS, DB2, now - 1), 2);
    assertThat(copy.get(USERS).orElseThrow().epoch()).isEqualTo(now * 1000 + 1);
  }

  private static Command report(Alias alias, long epoch, String node, boolean dead) {
    return new Command.ReportFailure(alias, epoch, node, dead ? "DeadMaster" : "NoProblem", dead, 1_000);
  }

  @Test
  void aMasterIsDeadForTheGroupOnlyWhenAMajorityReportsItAtItsCurrentEpoch() throws IOException {
    List<String> peers = List.of("n1", "n2", "n3");
    state.apply(set(ORDERS, DB1), 5);
    state.apply(report(ORDERS, 5, "n1", true), 6);
    assertThat(state.deadMasterQuorum(ORDERS, peers)).as("one node cut off from the servers").isFalse();
    state.apply(report(ORDERS, 4, "n2", true), 7); // about the previous master: does not count
    assertThat(state.deadMasterQuorum(ORDERS, peers)).isFalse();
    state.apply(report(ORDERS, 5, "n9", true), 8); // not a member
    assertThat(state.deadMasterQuorum(ORDERS, peers)).isFalse();
    state.apply(report(ORDERS, 5, "n2", true), 9);
    assertThat(state.deadMasterQuorum(ORDERS, peers)).isTrue();
    state.apply(report(ORDERS, 5, "n2", false), 10); // n2 sees it again
    assertThat(state.deadMasterQuorum(ORDERS, peers)).isFalse();
    state.apply(report(ORDERS, 5, "n3", true), 11);
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));
    assertThat(copy.deadMasterQuorum(ORDERS, peers)).isTrue();
    assertThat(copy.failureReports(ORDERS)).containsOnlyKeys("n1", "n2", "n3", "n9");
    assertThat(bytes(copy)).isEqualTo(bytes(state));
    state.apply(set(ORDERS, DB2), 12); // a new master: every earlier report is about another epoch
    assertThat(state.deadMasterQuorum(ORDERS, peers)).isFalse();
    assertThat(state.apply(report(USERS, 1, "n1", true), 13).error()).map(Refusal::kind).contains(Refusal.Kind.NOT_FOUND);
  }

  @Test
  void globalRecoveriesAreEnabledUntilDisabledAndSurviveASnapshot() throws IOException {
    assertThat(state.recoveriesEnabled()).isTrue();
    state.apply(new Command.SetRecoveries(false), 1);
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));
    assertThat(copy.recoveriesEnabled()).isFalse();
  }

  @Test
  void epochsNeverPassTheLargestHeraldIssuesAndARefusalChangesNothing() {
    state.apply(new Command.SetMaster(ORDERS, DB1, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(), 1,
        DesiredState.MAX_EPOCH - 1), 1);
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(DesiredState.MAX_EPOCH);
    CommandResult r = state.apply(Command.SetMaster.declared(ORDERS, DB2, 1), 2);
    assertThat(r.error()).map(Refusal::kind).contains(Refusal.Kind.INVALID);
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    // DB1 is still this cluster's master: another cluster cannot take it
    assertThat(state.apply(Command.SetMaster.declared(USERS, DB1, 1), 3).error()).isPresent();
  }

  @Test
  void downtimesAndPromotionRulesAreKeptWithTheirTimesAndSurviveASnapshot() throws IOException {
    HostPort db1 = new HostPort("db1", 3306);
    state.apply(new Command.BeginDowntime(db1, "ops", "upgrade", 1_000, 61_000), 1);
    state.apply(new Command.RegisterCandidate(db1, io.herald.cluster.PromotionRule.MUST_NOT, 1_000, 3_601_000), 2);
    assertThat(state.downtimes()).singleElement().satisfies(d -> {
      assertThat(d.activeAt(30_000)).isTrue();
      assertThat(d.activeAt(61_000)).isFalse();
    });
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes(state))));
    assertThat(copy.downtimes()).isEqualTo(state.downtimes());
    assertThat(copy.candidates()).singleElement().satisfies(c -> assertThat(c.rule()).isEqualTo(io.herald.cluster.PromotionRule.MUST_NOT));
    assertThat(copy.apply(new Command.EndDowntime(db1), 3).error()).isEmpty();
    assertThat(copy.downtimes()).isEmpty();
    assertThat(copy.apply(new Command.EndDowntime(db1), 4).error()).map(Refusal::kind).contains(Refusal.Kind.NOT_FOUND);
  }
}
