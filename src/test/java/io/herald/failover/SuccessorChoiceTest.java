package io.herald.failover;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.HostPort;
import io.herald.cluster.PromotionRule;
import io.herald.topology.GtidList;
import io.herald.topology.GtidPosition;
import io.herald.topology.InstanceState;
import io.herald.topology.IoThread;
import io.herald.topology.Observation;
import io.herald.topology.ProbeError;
import io.herald.topology.ReplicaStatus;
import io.herald.topology.Sample;
import io.herald.topology.SemiSync;
import io.herald.topology.Topology;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The successor of a dead master, chosen from topologies of a dead master (last read at {@link #T0}, unreachable
 * since) and its replicas. {@link Sample}'s setters of positions and data centres are package-private to {@code
 * topology}, so this test builds the states itself, the same way, and assembles them with {@link Sample#topology}.
 */
class SuccessorChoiceTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");
  private static final HostPort DB1 = host("db1");
  private static final HostPort DB2 = host("db2");
  private static final HostPort DB3 = host("db3");
  private static final HostPort DB4 = host("db4");
  private static final HostPort DB5 = host("db5");

  private static HostPort host(String name) {
    return new HostPort(name, 3306);
  }

  /** An instance: the master when {@code source} is empty, else a healthy replica. */
  private static final class Node {
    final HostPort key;
    final long serverId;
    Optional<HostPort> source = Optional.empty();
    String ioPos = "0-1-100";
    String slavePos = "0-1-100";
    String binlogState = "0-1-100";
    long lag;
    Optional<String> dataCenter = Optional.empty();
    boolean logSlaveUpdates = true;

    Node(HostPort key, long serverId) {
      this.key = key;
      this.serverId = serverId;
    }

    Node ioPos(String gtids) {
      ioPos = gtids;
      return this;
    }

    Node slavePos(String gtids) {
      slavePos = gtids;
      return this;
    }

    Node binlogState(String gtids) {
      binlogState = gtids;
      return this;
    }

    Node lag(long seconds) {
      lag = seconds;
      return this;
    }

    Node dc(String name) {
      dataCenter = Optional.of(name);
      return this;
    }

    InstanceState state() {
      Optional<ReplicaStatus> replication = source.map(s -> new ReplicaStatus(s, IoThread.CONNECTING, true, 2003,
          "error reconnecting to master", 0, "", OptionalLong.of(lag), 0, "Slave_Pos", GtidList.parse(ioPos), false));
      GtidList applied = GtidList.parse(source.isPresent() ? slavePos : ioPos);
      return new InstanceState(key, serverId, "10.11.19-MariaDB-log", source.isPresent(), true, logSlaveUpdates, "ROW",
          true, 0, applied, applied, source.isPresent() ? applied : GtidList.EMPTY, GtidList.parse(binlogState),
          replication, List.of(), SemiSync.OFF, Optional.empty(), dataCenter, Optional.empty());
    }

    Observation up() {
      return Observation.of(state(), T0, Duration.ofMillis(5));
    }

    /** Read once at T0, unreachable a second later. */
    Observation dead() {
      return Observation.failed(key, new ProbeError(ProbeError.Kind.UNREACHABLE, "refused"), T0.plusSeconds(1),
          Duration.ofMillis(5), Optional.of(up()));
    }
  }

  private static Node master() {
    return new Node(DB1, 1);
  }

  private static Node replica(HostPort key, long serverId) {
    Node n = new Node(key, serverId);
    n.source = Optional.of(DB1);
    return n;
  }

  private static Topology topology(Node master, Node... replicas) {
    Observation[] all = new Observation[replicas.length + 1];
    all[0] = master.dead();
    for (int i = 0; i < replicas.length; i++) all[i + 1] = replicas[i].up();
    return Sample.topology(all);
  }

  private static SuccessorChoice choose(Topology t, SuccessorRules rules) {
    SuccessorChoice c = SuccessorChoice.of(t, DB1, rules);
    assertThat(c.failedMaster()).isEqualTo(DB1);
    assertThat(c.successor().isPresent()).as("a successor exactly when there is no refusal: %s", c.refusal())
        .isEqualTo(c.refusal().isEmpty());
    return c;
  }

  private static SuccessorRules rules(Map<HostPort, PromotionRule> promotion) {
    return new SuccessorRules(promotion, List.of(), false);
  }

  @Test
  void theMostAdvancedReceivedPositionWinsEvenWhenItsSqlThreadLags() {
    Topology t = topology(master(),
        replica(DB2, 2).ioPos("0-1-200").slavePos("0-1-150").lag(60),
        replica(DB3, 3).ioPos("0-1-180").slavePos("0-1-180").lag(0));
    SuccessorChoice c = choose(t, SuccessorRules.none());
    assertThat(c.successor()).contains(DB2);
    assertThat(c.position()).isEqualTo(GtidPosition.parse("0-1-200"));
    assertThat(c.siblings()).containsExactly(DB3);
    assertThat(c.rejected()).isEmpty();
    assertThat(c.refusal()).isEmpty();
  }

  @Test
  void amongEquallyAdvancedReplicasLagDecidesThenKey() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-200").lag(30), replica(DB3, 3).ioPos("0-1-200").lag(2),
        replica(DB4, 4).ioPos("0-1-200").lag(2));
    assertThat(choose(t, SuccessorRules.none()).successor()).contains(DB3);
  }

  @Test
  void aMustNotReplicaIsNeverChosenEvenWhenMostAdvanced() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-300"), replica(DB3, 3).ioPos("0-1-200"),
        replica(DB4, 4).ioPos("0-1-150"));
    SuccessorChoice c = choose(t, rules(Map.of(DB2, PromotionRule.MUST_NOT)));
    assertThat(c.successor()).contains(DB3);
    assertThat(c.rejected()).containsOnlyKeys(DB2);
    assertThat(c.rejected().get(DB2)).contains("must_not");
    assertThat(c.siblings()).containsExactly(DB2, DB4);
    // what only the must_not replica received is named: it is not on the new master
    assertThat(c.ineligibleAhead(t)).containsOnlyKeys(DB2);
    assertThat(c.ineligibleAhead(t).get(DB2).toString()).isEqualTo("0-1-300");
    SuccessorChoice behind = choose(t, rules(Map.of(DB4, PromotionRule.MUST_NOT)));
    assertThat(behind.successor()).contains(DB2);
    assertThat(behind.ineligibleAhead(t)).isEmpty(); // DB4 received less than DB2
  }

  @Test
  void whenEveryReplicaIsMustNotThereIsNoSuccessor() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-300"), replica(DB3, 3).ioPos("0-1-200"));
    SuccessorChoice c = choose(t, rules(Map.of(DB2, PromotionRule.MUST_NOT, DB3, PromotionRule.MUST_NOT)));
    assertThat(c.successor()).isEmpty();
    assertThat(c.position()).isEqualTo(GtidPosition.EMPTY);
    assertThat(c.refusal()).contains("no direct replica of db1:3306 can be promoted");
    assertThat(c.rejected()).containsOnlyKeys(DB2, DB3);
    assertThat(c.siblings()).containsExactly(DB2, DB3);
  }

  @Test
  void aMasterWithoutReplicasHasNoSuccessor() {
    SuccessorChoice c = choose(topology(master()), SuccessorRules.none());
    assertThat(c.successor()).isEmpty();
    assertThat(c.refusal()).contains("it has none");
    assertThat(c.siblings()).isEmpty();
  }

  @Test
  void aPreferredReplicaWinsAmongEquallyAdvancedOnes() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-200").lag(0), replica(DB3, 3).ioPos("0-1-200").lag(9),
        replica(DB4, 4).ioPos("0-1-120"));
    SuccessorChoice c = choose(t, rules(Map.of(DB3, PromotionRule.PREFER, DB4, PromotionRule.PREFER)));
    assertThat(c.successor()).contains(DB3);
    assertThat(c.siblings()).containsExactly(DB2, DB4);
  }

  @Test
  void aPreferredReplicaThatReceivedLessIsNotPromotedOverAMoreAdvancedNeutralOne() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-200"), replica(DB3, 3).ioPos("0-1-199"));
    SuccessorChoice c = choose(t, rules(Map.of(DB3, PromotionRule.PREFER)));
    assertThat(c.successor()).contains(DB2);
    assertThat(c.rejected()).isEmpty();
  }

  @Test
  void aPreferNotReplicaLosesToANeutralOneAsAdvanced() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-200"), replica(DB3, 3).ioPos("0-1-200").lag(50));
    assertThat(choose(t, rules(Map.of(DB2, PromotionRule.PREFER_NOT))).successor()).contains(DB3);
    // but is chosen when it alone received the most
    Topology ahead = topology(master(), replica(DB2, 2).ioPos("0-1-201"), replica(DB3, 3).ioPos("0-1-200"));
    assertThat(choose(ahead, rules(Map.of(DB2, PromotionRule.PREFER_NOT))).successor()).contains(DB2);
  }

  @Test
  void aReplicaWithErrantGtidsIsRuledOut() {
    Topology t = topology(master().binlogState("0-1-100"),
        replica(DB2, 2).ioPos("0-1-300").binlogState("0-1-100,0-2-5"), // wrote 0-2-1..5 itself
        replica(DB3, 3).ioPos("0-1-200").binlogState("0-1-100"));
    SuccessorChoice c = choose(t, SuccessorRules.none());
    assertThat(c.successor()).contains(DB3);
    assertThat(c.rejected()).containsOnlyKeys(DB2);
    assertThat(c.rejected().get(DB2)).contains("errant GTIDs").contains("0-2-5");
    assertThat(c.siblings()).containsExactly(DB2);
  }

  @Test
  void transactionsOfTheMasterItselfAfterItsLastReadAreNotErrant() {
    // the master wrote 0-1-101..250 after Herald last read it; the replicas received them before it died
    Topology t = topology(master().binlogState("0-1-100,0-9-40"),
        replica(DB2, 2).ioPos("0-1-250").binlogState("0-1-250,0-9-40"),
        replica(DB3, 3).ioPos("0-1-240").binlogState("0-1-240,0-9-41")); // 0-9-41: never on the master
    SuccessorChoice c = choose(t, SuccessorRules.none());
    assertThat(c.successor()).contains(DB2);
    assertThat(c.rejected()).containsOnlyKeys(DB3);
    assertThat(c.rejected().get(DB3)).contains("0-9-41");
  }

  @Test
  void aReplicaMatchedByAnIgnoreFilterIsRuledOut() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-300"), replica(DB3, 3).ioPos("0-1-200"));
    SuccessorChoice c = choose(t, new SuccessorRules(Map.of(), List.of(Pattern.compile("b2")), false));
    assertThat(c.successor()).contains(DB3);
    assertThat(c.rejected().get(DB2)).contains("PromotionIgnoreHostnameFilters");
    SuccessorChoice none = choose(t, new SuccessorRules(Map.of(), List.of(Pattern.compile("^db")), false));
    assertThat(none.successor()).isEmpty();
    assertThat(none.rejected()).containsOnlyKeys(DB2, DB3);
  }

  @Test
  void sameDataCenterOnlyRefusesWhenTheMastersDataCentreIsUnknown() {
    Topology t = topology(master(), replica(DB2, 2).dc("eu"), replica(DB3, 3).dc("us"));
    SuccessorChoice c = choose(t, new SuccessorRules(Map.of(), List.of(), true));
    assertThat(c.successor()).isEmpty();
    assertThat(c.rejected()).containsOnlyKeys(DB2, DB3);
    assertThat(c.rejected().values()).allSatisfy(why -> assertThat(why).contains("unknown"));
    // the same topology without the rule
    assertThat(choose(t, SuccessorRules.none()).successor()).contains(DB2);
  }

  @Test
  void sameDataCenterOnlyChoosesOnlyInTheMastersDataCentre() {
    Topology t = topology(master().dc("eu"), replica(DB2, 2).ioPos("0-1-300").dc("us"),
        replica(DB3, 3).ioPos("0-1-200").dc("eu"), replica(DB4, 4).ioPos("0-1-250"));
    SuccessorChoice c = choose(t, new SuccessorRules(Map.of(), List.of(), true));
    assertThat(c.successor()).contains(DB3);
    assertThat(c.rejected()).containsOnlyKeys(DB2, DB4);
    assertThat(c.rejected().get(DB2)).contains("us", "eu", "PreventCrossDataCenterMasterFailover");
    assertThat(c.rejected().get(DB4)).contains("(unknown)");
    assertThat(c.siblings()).containsExactly(DB2, DB4);
  }

  @Test
  void withoutTheRuleTheMastersDataCentreIsPreferredAmongEquallyAdvancedReplicas() {
    Topology t = topology(master().dc("eu"), replica(DB2, 2).dc("us"), replica(DB3, 3).dc("eu").lag(20));
    assertThat(choose(t, SuccessorRules.none()).successor()).contains(DB3);
  }

  @Test
  void incomparablePositionsGiveNoSuccessor() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-10,1-2-5"), replica(DB3, 3).ioPos("0-1-9,1-2-6"),
        replica(DB4, 4).ioPos("0-1-1"));
    SuccessorChoice c = choose(t, SuccessorRules.none());
    assertThat(c.successor()).isEmpty();
    assertThat(c.refusal()).contains("split brain").contains("0-1-10,1-2-5").contains("0-1-9,1-2-6");
    assertThat(c.siblings()).containsExactly(DB2, DB3, DB4);
  }

  @Test
  void incomparablePositionsOfARuledOutReplicaDoNotMatter() {
    Topology t = topology(master(), replica(DB2, 2).ioPos("0-1-10,1-2-5"), replica(DB3, 3).ioPos("0-1-9,1-2-6"));
    SuccessorChoice c = choose(t, rules(Map.of(DB3, PromotionRule.MUST_NOT)));
    assertThat(c.successor()).contains(DB2);
  }

  @Test
  void siblingsAreTheOtherDirectReplicasOnly() {
    Node grandchild = new Node(DB5, 5).ioPos("0-1-300");
    grandchild.source = Optional.of(DB2);
    Observation[] obs = {master().dead(), replica(DB2, 2).ioPos("0-1-300").up(), replica(DB3, 3).up(),
        replica(DB4, 4).up(), grandchild.up()};
    SuccessorChoice c = choose(Sample.topology(obs), SuccessorRules.none());
    assertThat(c.successor()).contains(DB2);
    assertThat(c.siblings()).containsExactly(DB3, DB4);
    assertThat(c.rejected()).doesNotContainKey(DB5);
  }

  @Test
  void everyRejectedReplicaSaysWhy() {
    Node noLsu = replica(DB3, 3).ioPos("0-1-400");
    noLsu.logSlaveUpdates = false;
    Node unreachable = replica(DB4, 4).ioPos("0-1-500");
    Observation[] obs = {master().dead(), replica(DB2, 2).ioPos("0-1-900").up(), noLsu.up(),
        Observation.failed(DB4, new ProbeError(ProbeError.Kind.TIMEOUT, "timeout"), T0, Duration.ofMillis(5),
            Optional.of(unreachable.up())),
        replica(DB5, 5).ioPos("0-1-100").up()};
    SuccessorChoice c = choose(Sample.topology(obs), rules(Map.of(DB2, PromotionRule.MUST_NOT)));
    assertThat(c.successor()).contains(DB5);
    assertThat(c.rejected()).containsOnlyKeys(DB2, DB3, DB4);
    assertThat(c.rejected().get(DB2)).contains("must_not");
    assertThat(c.rejected().get(DB3)).contains("log_slave_updates");
    assertThat(c.rejected().get(DB4)).contains("not reached");
    assertThat(c.rejected().keySet()).containsExactly(DB2, DB3, DB4); // sorted
    assertThat(c.siblings()).containsExactly(DB2, DB3, DB4);
  }
}
