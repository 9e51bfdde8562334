package io.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalLong;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class GtidPositionTest {
  private static GtidPosition p(String text) {
    return GtidPosition.parse(text);
  }

  @Test
  void comparesOneDomainBySequenceNumberOnly() {
    assertThat(p("0-1-322").compareWith(p("0-1-57"))).isEqualTo(GtidOrder.AHEAD);
    assertThat(p("0-1-57").compareWith(p("0-1-322"))).isEqualTo(GtidOrder.BEHIND);
    assertThat(p("0-2-323").compareWith(p("0-1-322"))).isEqualTo(GtidOrder.AHEAD);
    assertThat(p("0-2-322").compareWith(p("0-1-322"))).isEqualTo(GtidOrder.EQUAL);
  }

  @Test
  void aheadInOneDomainAndBehindInAnotherIsIncomparable() {
    assertThat(p("0-1-10,1-2-5").compareWith(p("0-1-9,1-2-6"))).isEqualTo(GtidOrder.INCOMPARABLE);
    assertThat(p("0-1-9,1-2-6").compareWith(p("0-1-10,1-2-5"))).isEqualTo(GtidOrder.INCOMPARABLE);
  }

  @Test
  void multiDomainAheadNeedsEveryDomainAtLeastAsFar() {
    assertThat(p("1-2-6,0-1-10").compareWith(p("0-1-10,1-2-5"))).isEqualTo(GtidOrder.AHEAD);
    assertThat(p("0-1-10,1-2-5").compareWith(p("1-2-5,0-1-10"))).isEqualTo(GtidOrder.EQUAL);
  }

  @Test
  void aMissingDomainCountsAsBehind() {
    assertThat(p("0-1-10,1-2-1").compareWith(p("0-1-10"))).isEqualTo(GtidOrder.AHEAD);
    assertThat(p("0-1-10").compareWith(p("0-1-10,1-2-1"))).isEqualTo(GtidOrder.BEHIND);
    assertThat(p("0-1-11").compareWith(p("0-1-10,1-2-1"))).isEqualTo(GtidOrder.INCOMPARABLE);
    assertThat(GtidPosition.EMPTY.compareWith(p("0-1-1"))).isEqualTo(GtidOrder.BEHIND);
    assertThat(GtidPosition.EMPTY.compareWith(GtidPosition.EMPTY)).isEqualTo(GtidOrder.EQUAL);
  }

  @Test
  void containsIsPerDomainAtLeast() {
    assertThat(p("0-1-10,1-2-5").contains(p("1-2-5"))).isTrue();
    assertThat(p("0-1-10,1-2-5").contains(p("1-2-6"))).isFalse();
    assertThat(p("0-1-10").contains(p("0-1-10,2-3-1"))).isFalse();
    assertThat(p("0-1-10").contains(GtidPosition.EMPTY)).isTrue();
  }

  @Test
  void aBinlogStateReadAsPositionKeepsTheHighestOfEachDomain() {
    GtidPosition pos = GtidPosition.of(GtidList.parse("0-1-322,0-2-400,0-3-7,1-5-3"));
    assertThat(pos.toString()).isEqualTo("0-2-400,1-5-3");
    assertThat(pos.seq(0)).isEqualTo(OptionalLong.of(400));
    assertThat(pos.seq(9)).isEmpty();
  }

  @Test
  void refusesAGtidFiledUnderAnotherDomain() {
    TreeMap<Long, Gtid> wrong = new TreeMap<>();
    wrong.put(1L, Gtid.parse("0-1-1"));
    assertThatThrownBy(() -> new GtidPosition(wrong)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0-1-1");
  }
}
