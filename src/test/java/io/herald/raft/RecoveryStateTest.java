package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.cluster.Origin;
import io.herald.raft.CommandResult.Refusal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Recoveries as the state machine records them: begin, steps, completion, end, acknowledgement, snapshots. */
class RecoveryStateTest {
  private static final Alias ORDERS = Alias.of("orders");
  private static final Alias USERS = Alias.of("users");
  private static final Master DB1 = master("db1");
  private static final Master DB2 = master("db2");
  private static final Master DB3 = master("db3");
  private static final List<String> PEERS = List.of("n1", "n2", "n3");
  private static final long T = 1_764_576_000_000L;
  private static final long BLOCK = 3_600_000;

  private final DesiredState state = new DesiredState();
  private long index;
  /** The epoch of ORDERS after the set-up. */
  private long epoch;

  private static Master master(String host) {
    return new Master(new HostPort(host, 3306), "", "");
  }

  private CommandResult apply(Command c) {
    return state.apply(c, ++index);
  }

  @BeforeEach
  void aDiscoveredClusterWhoseMasterTwoOfThreeNodesReportDead() {
    assertThat(apply(Command.SetMaster.discovered(ORDERS, DB1, 0, T)).error()).isEmpty();
    epoch = state.get(ORDERS).orElseThrow().epoch();
    report("n1", true);
    report("n2", true);
    assertThat(state.deadMasterQuorum(ORDERS, PEERS)).isTrue();
  }

  private void report(String node, boolean dead) {
    assertThat(apply(new Command.ReportFailure(ORDERS, state.get(ORDERS).orElseThrow().epoch(), node,
        dead ? "DeadMaster" : "NoProblem", dead, T)).error()).isEmpty();
  }

  private Command.BeginRecovery automatic(long at) {
    return new Command.BeginRecovery(ORDERS, epoch, DB1.address(), Recovery.Kind.AUTOMATIC, "DeadMaster", "n1", PEERS,
        BLOCK, at, Optional.empty());
  }

  private Command.BeginRecovery manual(long at) {
    return new Command.BeginRecovery(ORDERS, state.get(ORDERS).orElseThrow().epoch(),
        state.get(ORDERS).orElseThrow().master().address(), Recovery.Kind.MANUAL, "recover", "n2", PEERS, BLOCK, at,
        Optional.empty());
  }

  /** Begins and returns the id (the log index of the begin). */
  private long begin(Command.BeginRecovery b) {
    CommandResult r = apply(b);
    assertThat(r.error()).as("begin refused").isEmpty();
    assertThat(state.activeRecovery(b.alias())).map(Recovery::id).contains(r.index());
    return r.index();
  }

  private static Refusal refusal(CommandResult r) {
    assertThat(r.error()).as("expected a refusal").isPresent();
    assertThat(r.clusters()).isEmpty();
    return r.error().get();
  }

  private static void assertConflict(CommandResult r, String containing) {
    Refusal e = refusal(r);
    assertThat(e.kind()).isEqualTo(Refusal.Kind.CONFLICT);
    assertThat(e.message()).contains(containing);
  }

  private CommandResult step(long id, Optional<HostPort> successor, boolean promoting, long at) {
    return apply(new Command.RecoveryStep(ORDERS, id, "step at " + at, successor, promoting, at));
  }

  private CommandResult end(long id, boolean changedServers, long at) {
    return apply(new Command.EndRecovery(ORDERS, id, changedServers, "gave up", at));
  }

  private CommandResult complete(long id, Master successor, List<HostPort> lost, long at) {
    return apply(new Command.CompleteRecovery(ORDERS, id, successor, lost, "0-2-100", at));
  }

  private Recovery ended(long id) {
    return state.recoveries().stream().filter(r -> r.id() == id).findFirst().orElseThrow();
  }

  // --- begin ---

  @Test
  void anAutomaticRecoveryBeginsWhenEverythingHolds() {
    long id = begin(automatic(T + 10));
    Recovery r = state.activeRecovery(ORDERS).orElseThrow();
    assertThat(r.active()).isTrue();
    assertThat(r.fromEpoch()).isEqualTo(epoch);
    assertThat(r.failedMaster()).isEqualTo(DB1.address());
    assertThat(r.kind()).isEqualTo(Recovery.Kind.AUTOMATIC);
    assertThat(r.startedAt()).isEqualTo(T + 10);
    assertThat(r.successor()).isEmpty();
    assertThat(r.steps()).hasSize(1);
    assertThat(state.activeRecoveries()).extracting(Recovery::id).containsExactly(id);
    assertThat(state.recoveries()).extracting(Recovery::id).containsExactly(id);
  }

  @Test
  void aBeginDecidedOnAnotherEpochIsAConflict() {
    CommandResult r = apply(new Command.BeginRecovery(ORDERS, epoch - 1, DB1.address(), Recovery.Kind.AUTOMATIC,
        "DeadMaster", "n1", PEERS, BLOCK, T + 10, Optional.empty()));
    assertConflict(r, "older state");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    assertThat(state.recoveries()).isEmpty();
  }

  @Test
  void aBeginForAnotherMasterIsAConflict() {
    CommandResult r = apply(new Command.BeginRecovery(ORDERS, epoch, DB2.address(), Recovery.Kind.MANUAL, "recover",
        "n1", PEERS, BLOCK, T + 10, Optional.empty()));
    assertConflict(r, "db2:3306");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
  }

  @Test
  void aBeginForAnUnknownClusterIsNotFound() {
    CommandResult r = apply(new Command.BeginRecovery(USERS, epoch, DB1.address(), Recovery.Kind.MANUAL, "recover",
        "n1", PEERS, BLOCK, T + 10, Optional.empty()));
    assertThat(refusal(r).kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
  }

  @Test
  void onlyOneRecoveryOfAClusterIsActive() {
    long id = begin(automatic(T + 10));
    assertConflict(apply(automatic(T + 20)), "in progress (id " + id);
    assertConflict(apply(manual(T + 20)), "in progress");
    assertThat(state.activeRecovery(ORDERS)).map(Recovery::id).contains(id);
  }

  @Test
  void automaticRecoveriesAreRefusedWhileDisabledButManualOnesAreNot() {
    apply(new Command.SetRecoveries(false));
    assertConflict(apply(automatic(T + 10)), "disabled");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    begin(manual(T + 20));
  }

  @Test
  void aDowntimedMasterIsNotRecoveredAutomaticallyWhileItsDowntimeLasts() {
    apply(new Command.BeginDowntime(DB1.address(), "ops", "upgrade", T, T + 60_000));
    assertConflict(apply(automatic(T + 30_000)), "downtimed");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    begin(automatic(T + 60_000)); // the downtime ended at this instant
  }

  @Test
  void anAutomaticRecoveryNeedsAMajorityOfThePeersReportingTheMasterDeadAtItsEpoch() {
    report("n2", false); // only n1 still says dead
    assertConflict(apply(automatic(T + 10)), "no majority of 3");
    // a report about an older epoch does not count
    apply(new Command.ReportFailure(ORDERS, epoch - 1, "n3", "DeadMaster", true, T));
    assertConflict(apply(automatic(T + 10)), "no majority");
    // nor does a node that is not a peer
    apply(new Command.ReportFailure(ORDERS, epoch, "n9", "DeadMaster", true, T));
    assertConflict(apply(automatic(T + 10)), "no majority");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    report("n3", true);
    begin(automatic(T + 10));
  }

  @Test
  void aRecentUnacknowledgedRecoveryThatChangedTheServersBlocksTheNextAutomaticOne() {
    long first = begin(automatic(T));
    assertThat(end(first, true, T + 100).error()).isEmpty();
    assertThat(ended(first).state()).isEqualTo(Recovery.State.FAILED);
    assertThat(state.blockingRecovery(ORDERS, T + 1000, BLOCK)).map(Recovery::id).contains(first);

    assertConflict(apply(automatic(T + 1000)), "RecoveryPeriodBlockSeconds");
    assertConflict(apply(automatic(T + BLOCK - 1)), "(id " + first + ")");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    // another cluster is not blocked by it
    assertThat(state.blockingRecovery(USERS, T + 1000, BLOCK)).isEmpty();
  }

  @Test
  void theBlockEndsWithTheBlockPeriod() {
    long first = begin(automatic(T));
    end(first, true, T + 100);
    assertThat(state.blockingRecovery(ORDERS, T + BLOCK, BLOCK)).isEmpty();
    begin(automatic(T + BLOCK));
  }

  @Test
  void anAcknowledgedRecoveryNoLongerBlocks() {
    long first = begin(automatic(T));
    end(first, true, T + 100);
    assertThat(apply(new Command.AckRecoveries(Optional.of(ORDERS), "alice", "looked at it", T + 200)).error())
        .isEmpty();
    assertThat(ended(first).ack()).contains(new Recovery.Ack("alice", "looked at it", T + 200));
    assertThat(state.blockingRecovery(ORDERS, T + 1000, BLOCK)).isEmpty();
    begin(automatic(T + 1000));
  }

  @Test
  void acknowledgingAllRecoveriesAlsoUnblocksAndAnUnknownClusterIsNotFound() {
    long first = begin(automatic(T));
    end(first, true, T + 100);
    assertThat(refusal(apply(new Command.AckRecoveries(Optional.of(USERS), "alice", "", T + 200))).kind())
        .isEqualTo(Refusal.Kind.NOT_FOUND);
    assertThat(ended(first).ack()).isEmpty();
    assertThat(apply(new Command.AckRecoveries(Optional.empty(), "alice", "", T + 200)).error()).isEmpty();
    begin(automatic(T + 1000));
  }

  @Test
  void anAbortedRecoveryBlocksAutomaticOnesUntilAcknowledged() {
    long first = begin(automatic(T));
    assertThat(step(first, Optional.of(DB2.address()), false, T + 50).error()).isEmpty();
    assertThat(end(first, false, T + 100).error()).isEmpty();
    assertThat(ended(first).state()).isEqualTo(Recovery.State.ABORTED);
    assertThat(ended(first).reason()).isEqualTo("gave up");
    assertThat(ended(first).endedAt()).isEqualTo(T + 100);
    // what stopped it (a refusing hook, no eligible replica) needs a look: no automatic retry every tick
    assertThat(state.blockingRecovery(ORDERS, T + 1000, BLOCK)).hasValueSatisfying(r -> assertThat(r.id()).isEqualTo(first));
    assertThat(refusal(apply(automatic(T + 1000))).message()).contains("RecoveryPeriodBlockSeconds");
    assertThat(apply(new Command.AckRecoveries(Optional.of(ORDERS), "alice", "looked", T + 1100)).error()).isEmpty();
    begin(automatic(T + 1200));
  }

  @Test
  void aManualBeginAcknowledgesEarlierRecoveriesOfTheCluster() {
    long first = begin(automatic(T));
    end(first, true, T + 100);
    long second = begin(manual(T + 1000));
    assertThat(ended(first).ack()).hasValueSatisfying(a -> {
      assertThat(a.by()).isEqualTo("n2");
      assertThat(a.at()).isEqualTo(T + 1000);
    });
    assertThat(end(second, false, T + 1100).error()).isEmpty();
    assertThat(ended(second).state()).isEqualTo(Recovery.State.ABORTED);
    assertThat(ended(second).ack()).as("a recovery does not acknowledge itself").isEmpty();
    begin(automatic(T + 2000));
  }

  @Test
  void discoveryNeverPublishesAMasterARecoveryReplacedButAnOperatorMay() {
    long id = begin(automatic(T));
    assertThat(step(id, Optional.of(DB2.address()), true, T + 10).error()).isEmpty();
    assertThat(complete(id, DB2, List.of(), T + 20).error()).isEmpty();
    long now = state.get(ORDERS).orElseThrow().epoch();
    assertConflict(apply(Command.SetMaster.discovered(ORDERS, DB1, now, T + 30)), "replaced by a recovery");
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB2);
    assertThat(state.recovery(id)).map(Recovery::state).contains(Recovery.State.SUCCEEDED);
    assertThat(state.replacingRecovery(DB1.address())).map(Recovery::id).contains(id);
    assertThat(apply(Command.SetMaster.declared(ORDERS, DB1, T + 40)).error()).isEmpty();
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
  }

  @Test
  void anOperatorsTakeoverNeverBlocksAnAutomaticRecovery() {
    long takeover = begin(new Command.BeginRecovery(ORDERS, epoch, DB1.address(), Recovery.Kind.GRACEFUL,
        "graceful-master-takeover", "n1", PEERS, BLOCK, T, Optional.of(DB2.address())));
    assertThat(step(takeover, Optional.empty(), true, T + 10).error()).isEmpty();
    assertThat(complete(takeover, DB2, List.of(), T + 20).error()).isEmpty();
    assertThat(ended(takeover).state()).isEqualTo(Recovery.State.SUCCEEDED);
    assertThat(ended(takeover).ack()).isEmpty();
    epoch = state.get(ORDERS).orElseThrow().epoch();
    report("n1", true);
    report("n2", true);
    assertThat(state.blockingRecovery(ORDERS, T + 1000, BLOCK)).isEmpty();
    CommandResult r = apply(new Command.BeginRecovery(ORDERS, epoch, DB2.address(), Recovery.Kind.AUTOMATIC,
        "DeadMaster", "n1", PEERS, BLOCK, T + 1000, Optional.empty()));
    assertThat(r.error()).isEmpty();
  }

  @Test
  void aManualBeginWithADesignatedSuccessorRecordsItAsChosen() {
    long id = begin(new Command.BeginRecovery(ORDERS, epoch, DB1.address(), Recovery.Kind.GRACEFUL, "graceful-takeover",
        "n1", PEERS, BLOCK, T, Optional.of(DB2.address())));
    assertThat(state.activeRecovery(ORDERS).orElseThrow().successor()).contains(DB2.address());
    assertConflict(step(id, Optional.of(DB3.address()), false, T + 1), "already chose db2:3306");
  }

  // --- steps and end ---

  @Test
  void aStepOfAnotherRecoveryIsRefused() {
    long id = begin(automatic(T));
    assertConflict(step(id + 1, Optional.empty(), false, T + 1), "not the active one");
    assertThat(state.activeRecovery(ORDERS).orElseThrow().steps()).hasSize(1);
    assertConflict(apply(new Command.RecoveryStep(USERS, id, "x", Optional.empty(), false, T + 1)), "(none is)");
    assertThat(step(id, Optional.empty(), false, T + 1).error()).isEmpty();
    assertThat(state.activeRecovery(ORDERS).orElseThrow().steps()).extracting(Recovery.Step::at).containsExactly(T, T + 1);
  }

  @Test
  void theChosenSuccessorNeverChanges() {
    long id = begin(automatic(T));
    assertThat(step(id, Optional.of(DB2.address()), false, T + 1).error()).isEmpty();
    assertThat(step(id, Optional.of(DB2.address()), false, T + 2).error()).as("the same one again").isEmpty();
    assertConflict(step(id, Optional.of(DB3.address()), true, T + 3), "never promotes another");
    Recovery r = state.activeRecovery(ORDERS).orElseThrow();
    assertThat(r.successor()).contains(DB2.address());
    assertThat(r.promoting()).isFalse();
    assertThat(r.steps()).hasSize(3);
  }

  @Test
  void aPromotionNeedsAChosenSuccessor() {
    long id = begin(automatic(T));
    Refusal e = refusal(step(id, Optional.empty(), true, T + 1));
    assertThat(e.kind()).isEqualTo(Refusal.Kind.INVALID);
    assertThat(state.activeRecovery(ORDERS).orElseThrow().promoting()).isFalse();
    // choosing and promoting in one step is fine
    assertThat(step(id, Optional.of(DB2.address()), true, T + 2).error()).isEmpty();
    assertThat(state.activeRecovery(ORDERS).orElseThrow().promoting()).isTrue();
  }

  @Test
  void anEndAfterAPromotionBeganIsAFailureEvenIfTheProposerSaysNothingChanged() {
    long id = begin(automatic(T));
    step(id, Optional.of(DB2.address()), false, T + 1);
    step(id, Optional.empty(), true, T + 2);
    assertThat(end(id, false, T + 3).error()).isEmpty();
    Recovery r = ended(id);
    assertThat(r.state()).isEqualTo(Recovery.State.FAILED);
    assertThat(r.steps().get(r.steps().size() - 1).text()).startsWith("failed: ");
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    assertThat(state.blockingRecovery(ORDERS, T + 10, BLOCK)).map(Recovery::id).contains(id);
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    assertThat(state.deadMasterQuorum(ORDERS, PEERS)).isTrue();
    assertThat(state.deposedMasters()).isEmpty();
  }

  @Test
  void anEndOfAnotherRecoveryIsRefused() {
    long id = begin(automatic(T));
    assertConflict(end(id - 1, true, T + 1), "not the active one");
    assertThat(state.activeRecovery(ORDERS)).isPresent();
  }

  @Test
  void aRecoveryTakesAtMostTwoHundredStepsAndStillEndsAndSnapshots() throws IOException {
    long id = begin(manual(T));
    for (int i = 1; i < 200; i++) assertThat(step(id, Optional.empty(), false, T + i).error()).isEmpty();
    assertConflict(step(id, Optional.empty(), false, T + 200), "too many steps");
    assertThat(end(id, false, T + 201).error()).isEmpty();
    assertThat(ended(id).steps()).hasSize(201);
    DesiredState copy = roundTrip(state);
    assertThat(copy.recoveries()).isEqualTo(state.recoveries());
  }

  // --- completion ---

  @Test
  void aCompletionNeedsTheChosenSuccessor() {
    long id = begin(automatic(T));
    Refusal none = refusal(complete(id, DB2, List.of(), T + 5));
    assertThat(none.kind()).isEqualTo(Refusal.Kind.INVALID);
    step(id, Optional.of(DB2.address()), true, T + 6);
    assertConflict(complete(id, DB3, List.of(), T + 7), "not db3:3306");
    assertConflict(complete(id + 1, DB2, List.of(), T + 7), "not the active one");
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(epoch);
    assertThat(state.activeRecovery(ORDERS)).map(Recovery::id).contains(id);
  }

  @Test
  void aCompletionIsTheMasterChangeAtANewEpoch() {
    long id = begin(automatic(T));
    step(id, Optional.of(DB2.address()), true, T + 1);
    HostPort lost = new HostPort("db4", 3306);
    CommandResult r = complete(id, DB2, List.of(lost), T + 2);

    assertThat(r.error()).isEmpty();
    Cluster c = state.get(ORDERS).orElseThrow();
    assertThat(r.clusters()).containsExactly(c);
    assertThat(c.master()).isEqualTo(DB2);
    assertThat(c.epoch()).isGreaterThan(epoch).isEqualTo(state.lastEpoch());
    assertThat(c.origin()).isEqualTo(Origin.DISCOVERED);
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    Recovery done = ended(id);
    assertThat(done.state()).isEqualTo(Recovery.State.SUCCEEDED);
    assertThat(done.successor()).contains(DB2.address());
    assertThat(done.lostReplicas()).containsExactly(lost);
    assertThat(done.forkPoint()).isEqualTo("0-2-100");
    assertThat(done.endedAt()).isEqualTo(T + 2);
    assertThat(done.steps().get(done.steps().size() - 1).text()).contains("db2:3306", "epoch " + c.epoch(), "db4:3306");
    // the reports were about the old epoch: the new master is not dead for the group
    assertThat(state.deadMasterQuorum(ORDERS, PEERS)).isFalse();
    // the old master is kept read-only until it is some cluster's master again
    assertThat(state.deposedMasters()).isEqualTo(Map.of(DB1.address(), ORDERS));
    assertThat(apply(Command.SetMaster.declared(USERS, DB1, T + 3)).error()).isEmpty();
    assertThat(state.deposedMasters()).isEmpty();
    // a succeeded recovery that changed the servers blocks the next automatic one too
    assertThat(state.blockingRecovery(ORDERS, T + 4, BLOCK)).map(Recovery::id).contains(id);
  }

  @Test
  void aCompletionKeepsADeclaredClusterDeclared() {
    apply(Command.SetMaster.declared(USERS, DB3, T));
    long from = state.get(USERS).orElseThrow().epoch();
    CommandResult begun = apply(new Command.BeginRecovery(USERS, from, DB3.address(), Recovery.Kind.MANUAL, "recover",
        "n1", PEERS, BLOCK, T + 1, Optional.of(DB2.address())));
    assertThat(begun.error()).isEmpty();
    assertThat(apply(new Command.CompleteRecovery(USERS, begun.index(), DB2, List.of(), "", T + 2)).error()).isEmpty();
    Cluster c = state.get(USERS).orElseThrow();
    assertThat(c.master()).isEqualTo(DB2);
    assertThat(c.origin()).isEqualTo(Origin.DECLARED);
    assertThat(c.epoch()).isGreaterThan(from);
  }

  @Test
  void anOperatorsDeclarationDuringARecoveryWinsOverItsCompletion() {
    long id = begin(automatic(T));
    step(id, Optional.of(DB2.address()), true, T + 1);
    // discovery does not change a cluster under recovery...
    assertConflict(apply(Command.SetMaster.discovered(ORDERS, DB2, epoch, T + 2)), "being recovered");
    assertThat(state.get(ORDERS).orElseThrow().master()).isEqualTo(DB1);
    // ...an operator does
    assertThat(apply(Command.SetMaster.declared(ORDERS, DB3, T + 3)).error()).isEmpty();
    Cluster operators = state.get(ORDERS).orElseThrow();
    assertThat(operators.master()).isEqualTo(DB3);

    assertConflict(complete(id, DB2, List.of(), T + 4), "older state");
    assertThat(state.get(ORDERS)).contains(operators);
    assertThat(state.activeRecovery(ORDERS)).as("the leader ends it").map(Recovery::id).contains(id);
    assertThat(state.deposedMasters()).isEmpty();
  }

  // --- KVWipeValuesPreFailover ---

  private CommandResult wipe(long id, long at) {
    return apply(new Command.WipeValues(ORDERS, id, at));
  }

  private static List<String> publishedValues(Cluster c) {
    return io.herald.cluster.KeyLayout.defaults().entries(c).pairs().stream().map(io.herald.cluster.KvPair::value).toList();
  }

  @Test
  void aWipePublishesTheClusterBlankAtANewEpochOnceAndTheCompletionPublishesTheSuccessor() {
    long id = begin(manual(T));
    CommandResult w = wipe(id, T + 1);
    assertThat(w.error()).isEmpty();
    Cluster blank = w.clusters().get(0);
    assertThat(blank.wiped()).isTrue();
    assertThat(blank.master()).as("the master being replaced stays recorded").isEqualTo(DB1);
    assertThat(blank.epoch()).isGreaterThan(epoch);
    assertThat(state.get(ORDERS)).contains(blank);
    assertThat(publishedValues(blank)).hasSize(5).containsOnly("");
    assertThat(state.activeRecovery(ORDERS).orElseThrow().steps().get(1).text())
        .isEqualTo("published blank values at epoch " + blank.epoch() + " (KVWipeValuesPreFailover)");
    // a resumed run wipes again: nothing changes
    CommandResult again = wipe(id, T + 2);
    assertThat(again.error()).isEmpty();
    assertThat(again.clusters()).isEmpty();
    assertThat(state.get(ORDERS)).contains(blank);

    step(id, Optional.of(DB2.address()), true, T + 3);
    CommandResult done = complete(id, DB2, List.of(), T + 4);
    assertThat(done.error()).isEmpty();
    Cluster next = state.get(ORDERS).orElseThrow();
    assertThat(next.master()).isEqualTo(DB2);
    assertThat(next.wiped()).isFalse();
    assertThat(next.epoch()).isGreaterThan(blank.epoch());
    assertThat(publishedValues(next)).contains("db2:3306", "db2", "3306");
    assertThat(ended(id).state()).isEqualTo(Recovery.State.SUCCEEDED);
  }

  @Test
  void aFailoverThatEndsWithoutASuccessorPublishesTheRecordedMasterAgain() {
    long id = begin(automatic(T));
    Cluster blank = wipe(id, T + 1).clusters().get(0);
    CommandResult e = end(id, false, T + 5);
    assertThat(e.error()).isEmpty();
    assertThat(e.clusters()).hasSize(1);
    Cluster back = e.clusters().get(0);
    assertThat(back.master()).isEqualTo(DB1);
    assertThat(back.wiped()).isFalse();
    assertThat(back.epoch()).isGreaterThan(blank.epoch());
    assertThat(state.get(ORDERS)).contains(back);
    assertThat(publishedValues(back)).contains("db1:3306");
    assertThat(ended(id).steps().get(ended(id).steps().size() - 1).text())
        .isEqualTo("aborted: gave up; db1:3306 published again at epoch " + back.epoch());
    // without a wipe, an end publishes nothing
    long other = begin(manual(T + 10));
    CommandResult plain = end(other, false, T + 11);
    assertThat(plain.error()).isEmpty();
    assertThat(plain.clusters()).isEmpty();
    assertThat(state.get(ORDERS)).contains(back);
  }

  @Test
  void aWipeNeedsTheActiveFailoverAndNeverTouchesAGracefulTakeover() {
    assertConflict(wipe(99, T), "not the active one");
    assertThat(refusal(apply(new Command.WipeValues(Alias.of("nope"), 1, T))).kind()).isEqualTo(Refusal.Kind.NOT_FOUND);
    long takeover = begin(new Command.BeginRecovery(ORDERS, epoch, DB1.address(), Recovery.Kind.GRACEFUL,
        "graceful-master-takeover", "n1", PEERS, BLOCK, T, Optional.of(DB2.address())));
    assertThat(refusal(wipe(takeover, T + 1)).kind()).isEqualTo(Refusal.Kind.INVALID);
    assertConflict(wipe(takeover + 1, T + 1), "not the active one");
    assertThat(state.get(ORDERS).orElseThrow().wiped()).isFalse();
    assertThat(state.get(ORDERS).orElseThrow().epoch()).isEqualTo(epoch);
  }

  @Test
  void anOperatorsDeclarationDuringAWipedFailoverPublishesItsMasterAndNothingIsRestoredAfterwards() {
    long id = begin(automatic(T));
    wipe(id, T + 1);
    assertThat(apply(Command.SetMaster.declared(ORDERS, DB3, T + 2)).error()).isEmpty();
    Cluster operators = state.get(ORDERS).orElseThrow();
    assertThat(operators.wiped()).isFalse();
    assertThat(operators.master()).isEqualTo(DB3);
    step(id, Optional.of(DB2.address()), true, T + 3);
    assertConflict(complete(id, DB2, List.of(), T + 4), "older state");
    CommandResult e = end(id, true, T + 5);
    assertThat(e.error()).isEmpty();
    assertThat(e.clusters()).isEmpty();
    assertThat(state.get(ORDERS)).contains(operators);
  }

  @Test
  void aClusterChangedSinceTheRecoveryBeganIsNotWipedSoItsCompletionStaysRefused() {
    long id = begin(automatic(T));
    assertThat(apply(Command.SetMaster.declared(ORDERS, DB3, T + 1)).error()).isEmpty();
    Cluster operators = state.get(ORDERS).orElseThrow();
    assertConflict(wipe(id, T + 2), "changed since recovery " + id + " began");
    assertThat(state.get(ORDERS)).contains(operators);
    step(id, Optional.of(DB2.address()), true, T + 3);
    assertConflict(complete(id, DB2, List.of(), T + 4), "older state");
    assertThat(state.get(ORDERS)).contains(operators);
  }

  @Test
  void aWipedClusterSurvivesASnapshotAndItsFailoverCompletesInTheCopy() throws IOException {
    long id = begin(manual(T));
    wipe(id, T + 1);
    step(id, Optional.of(DB2.address()), true, T + 2);
    byte[] written = bytes(state);
    DesiredState copy = read(written);
    assertThat(copy.get(ORDERS)).isEqualTo(state.get(ORDERS));
    assertThat(copy.get(ORDERS).orElseThrow().wiped()).isTrue();
    assertThat(bytes(copy)).isEqualTo(written);
    CommandResult done = copy.apply(new Command.CompleteRecovery(ORDERS, id, DB2, List.of(), "0-2-100", T + 3), index + 1);
    assertThat(done.error()).isEmpty();
    assertThat(copy.get(ORDERS).orElseThrow().master()).isEqualTo(DB2);
  }

  @Test
  void discoveryMayChangeTheClusterAgainOnceTheRecoveryEnded() {
    long id = begin(automatic(T));
    end(id, false, T + 1);
    assertThat(apply(Command.SetMaster.discovered(ORDERS, DB2, epoch, T + 2)).error()).isEmpty();
  }

  // --- snapshots ---

  private static byte[] bytes(DesiredState s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      s.writeTo(out);
    }
    return b.toByteArray();
  }

  private static DesiredState read(byte[] bytes) throws IOException {
    DesiredState copy = new DesiredState();
    copy.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)));
    return copy;
  }

  private static DesiredState roundTrip(DesiredState s) throws IOException {
    return read(bytes(s));
  }

  /** One succeeded, one failed and acknowledged recovery of ORDERS, and one active with a chosen successor. */
  private long threeRecoveries() {
    long first = begin(manual(T));
    step(first, Optional.of(DB2.address()), true, T + 1);
    assertThat(complete(first, DB2, List.of(new HostPort("db4", 3306), new HostPort("10.0.0.5", 3307)), T + 2)
        .error()).isEmpty();
    long second = begin(manual(T + 10));
    step(second, Optional.of(DB3.address()), true, T + 11);
    end(second, false, T + 12);
    apply(new Command.AckRecoveries(Optional.of(ORDERS), "bob", "ünïcode ok", T + 13));
    long third = begin(manual(T + 20));
    step(third, Optional.of(DB3.address()), false, T + 21);
    return third;
  }

  @Test
  void recoveriesSurviveASnapshotByteForByte() throws IOException {
    long active = threeRecoveries();
    assertThat(state.recoveries()).hasSize(3);
    byte[] written = bytes(state);

    DesiredState copy = read(written);

    assertThat(copy.recoveries()).isEqualTo(state.recoveries());
    assertThat(copy.activeRecovery(ORDERS)).isEqualTo(state.activeRecovery(ORDERS));
    assertThat(copy.deposedMasters()).isEqualTo(state.deposedMasters()).containsOnlyKeys(DB1.address());
    assertThat(bytes(copy)).isEqualTo(written);
    // the active recovery goes on in the copy: its lease holds, another id's does not
    assertThat(copy.apply(new Command.RecoveryStep(ORDERS, active + 1, "x", Optional.empty(), false, T + 30), index + 1)
        .error()).isPresent();
    assertThat(copy.apply(new Command.RecoveryStep(ORDERS, active, "x", Optional.empty(), true, T + 30), index + 2)
        .error()).isEmpty();
    assertThat(copy.apply(Command.SetMaster.discovered(ORDERS, DB1, copy.get(ORDERS).orElseThrow().epoch(), T + 31),
        index + 3).error()).isPresent();
  }

  @Test
  void aSnapshotKeepsWhatBlocksTheNextAutomaticRecovery() throws IOException {
    long first = begin(automatic(T));
    end(first, true, T + 100);
    DesiredState copy = roundTrip(state);
    assertThat(copy.activeRecovery(ORDERS)).isEmpty();
    assertThat(copy.blockingRecovery(ORDERS, T + 1000, BLOCK)).map(Recovery::id).contains(first);
    CommandResult r = copy.apply(automatic(T + 1000), index + 1);
    assertThat(r.error()).map(Refusal::message).hasValueSatisfying(m -> assertThat(m).contains("RecoveryPeriodBlockSeconds"));
    assertThat(copy.apply(automatic(T + BLOCK), index + 2).error()).isEmpty();
  }

  @Test
  void aSnapshotReplacesTheRecoveriesOfTheStateItIsReadInto() throws IOException {
    byte[] none = bytes(state);
    threeRecoveries();
    state.readFrom(new DataInputStream(new ByteArrayInputStream(none)));
    assertThat(state.recoveries()).isEmpty();
    assertThat(state.activeRecovery(ORDERS)).isEmpty();
    assertThat(bytes(state)).isEqualTo(none);
  }

  private static int marker(byte[] snapshot) {
    return java.nio.ByteBuffer.wrap(snapshot).getInt();
  }

  @Test
  void aSnapshotIsVersionSixUnlessAClusterIsWipedSoThatTheVersionBeforeInstallsIt() throws IOException {
    long id = begin(manual(T));
    assertThat(marker(bytes(state))).isEqualTo(-6);
    wipe(id, T + 1);
    byte[] v7 = bytes(state);
    assertThat(marker(v7)).isEqualTo(-7);
    assertThat(bytes(read(v7))).isEqualTo(v7);
    step(id, Optional.of(DB2.address()), true, T + 2);
    complete(id, DB2, List.of(), T + 3);
    byte[] after = bytes(state);
    assertThat(marker(after)).isEqualTo(-6);
    assertThat(read(after).get(ORDERS)).isEqualTo(state.get(ORDERS));
  }

  @Test
  void aVersionFiveSnapshotWithoutRecoveriesStillLoads() throws IOException {
    apply(new Command.BeginDowntime(DB3.address(), "ops", "upgrade", T, T + 60_000));
    byte[] v6 = bytes(state);
    // version 6 appended the recoveries (two counts, both 0 here) to version 5's layout
    assertThat(Arrays.copyOfRange(v6, v6.length - 8, v6.length)).containsOnly(0);
    ByteArrayOutputStream v5 = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(v5);
    out.writeInt(-5);
    out.write(v6, 4, v6.length - 12);
    out.flush();

    DesiredState old = new DesiredState();
    old.apply(Command.SetMaster.declared(USERS, DB2, T), 1);
    old.apply(new Command.BeginRecovery(USERS, old.get(USERS).orElseThrow().epoch(), DB2.address(), Recovery.Kind.MANUAL,
        "recover", "n1", PEERS, BLOCK, T, Optional.empty()), 2);
    assertThat(old.activeRecovery(USERS)).isPresent();
    old.readFrom(new DataInputStream(new ByteArrayInputStream(v5.toByteArray())));

    assertThat(old.recoveries()).isEmpty();
    assertThat(old.activeRecovery(USERS)).isEmpty();
    assertThat(old.clusters()).containsExactlyInAnyOrderElementsOf(state.clusters());
    assertThat(old.downtimes()).isEqualTo(state.downtimes());
    assertThat(old.failureReports(ORDERS)).isEqualTo(state.failureReports(ORDERS));
    assertThat(bytes(old)).isEqualTo(v6);
  }

  @Test
  void aSnapshotOfAnUnknownVersionIsRefused() throws IOException {
    byte[] v = bytes(state);
    v[3] = -8; // marker -8
    DesiredState copy = new DesiredState();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> copy.readFrom(new DataInputStream(new ByteArrayInputStream(v))))
        .isInstanceOf(IOException.class).hasMessageContaining("version 8");
  }

  @Test
  void aRecoveryWithManyLostReplicasStillSnapshots() throws IOException {
    // the codec accepts up to 10,000 lost replicas; their list must not make the snapshot unwritable
    long id = begin(manual(T));
    step(id, Optional.of(DB2.address()), true, T + 1);
    List<HostPort> lost = new ArrayList<>();
    String label = "r".repeat(60);
    for (int i = 0; i < 2_000; i++) lost.add(new HostPort(label + "." + label + "." + i, 3306));
    assertThat(complete(id, DB2, lost, T + 2).error()).isEmpty();

    DesiredState copy = roundTrip(state);

    assertThat(copy.recoveries()).isEqualTo(state.recoveries());
    assertThat(ended(id).lostReplicas()).hasSize(2_000);
    assertThat(ended(id).steps()).allSatisfy(s -> assertThat(s.text().length()).isLessThanOrEqualTo(Command.MAX_TEXT));
    assertThat(ended(id).steps().get(ended(id).steps().size() - 1).text()).endsWith("2000 lost replicas");
  }

  // --- history ---

  @Test
  void theHistoryKeepsTheLatestThousandRecoveries() {
    long firstId = 0;
    for (int i = 0; i < RecoveryBook.HISTORY + 1; i++) {
      long id = begin(manual(T + i * 10L));
      if (i == 0) firstId = id;
      assertThat(end(id, i % 2 == 0, T + i * 10L + 5).error()).isEmpty();
    }
    List<Recovery> all = state.recoveries();
    assertThat(all).hasSize(RecoveryBook.HISTORY);
    assertThat(all).extracting(Recovery::id).isSortedAccordingTo((a, b) -> Long.compare(b, a));
    long dropped = firstId;
    assertThat(all).noneMatch(r -> r.id() == dropped);
    assertThat(all.get(0).id()).isEqualTo(index - 1);
  }
}
