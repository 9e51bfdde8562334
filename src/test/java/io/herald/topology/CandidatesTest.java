package io.herald.topology;

import static io.herald.topology.Sample.key;
import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static io.herald.topology.Sample.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.topology.ProbeError.Kind;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CandidatesTest {
  private static final Observation DEAD = master(1).down(Kind.UNREACHABLE);

  @Test
  void theMostAdvancedReceivedPositionWinsThenLagThenKey() {
    Topology t = topology(DEAD, replica(2, 1).ioPos("0-1-57").up(), replica(3, 1).ioPos("0-1-322").lag(5).up(),
        replica(4, 1).ioPos("0-1-322").lag(1).up(), replica(5, 1).ioPos("0-1-322").lag(1).up());
    CandidateRanking r = Candidates.rank(t, key(1), Set.of());
    assertThat(r.ranked()).containsExactly(key(4), key(5), key(3), key(2));
    assertThat(r.best()).contains(key(4));
    assertThat(r.refusal()).isEmpty();
  }

  @Test
  void incomparablePositionsRefuseTheRanking() {
    Topology t = topology(DEAD, replica(2, 1).ioPos("0-1-10,1-2-5").up(), replica(3, 1).ioPos("0-1-9,1-2-6").up(),
        replica(4, 1).ioPos("0-1-1").up());
    CandidateRanking r = Candidates.rank(t, key(1), Set.of());
    assertThat(r.best()).isEmpty();
    assertThat(r.refusal().orElseThrow()).contains("incomparable").contains("0-1-10,1-2-5").contains("0-1-9,1-2-6");
  }

  @Test
  void ineligibleReplicasAreRejectedWithTheReason() {
    Sample noLsu = replica(3, 1).ioPos("0-1-999");
    noLsu.logSlaveUpdates = false;
    Topology t = topology(DEAD, replica(2, 1).ioPos("0-1-5").up(), noLsu.up(),
        replica(4, 1).ioPos("0-1-999").down(Kind.TIMEOUT), replica(5, 1).ioPos("0-1-999").up(),
        replica(6, 2).ioPos("0-1-999").up());
    CandidateRanking r = Candidates.rank(t, key(1), Set.of(key(5)));
    assertThat(r.ranked()).containsExactly(key(2));
    assertThat(r.rejected()).containsOnlyKeys(key(3), key(4), key(5));
    assertThat(r.rejected().get(key(3))).contains("log_slave_updates");
    assertThat(r.rejected().get(key(4))).contains("not reached");
    assertThat(r.rejected().get(key(5))).isEqualTo("excluded");
  }
}
