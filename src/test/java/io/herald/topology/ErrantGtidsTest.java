package io.herald.topology;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrantGtidsTest {
  private static String errant(String replica, String master) {
    return ErrantGtids.of(GtidList.parse(replica), GtidList.parse(master)).toString();
  }

  @Test
  void noneWhenTheMasterHasEveryPairAtLeastAsFar() {
    assertThat(ErrantGtids.of(GtidList.parse("0-1-100"), GtidList.parse("0-1-120")).isEmpty()).isTrue();
    assertThat(errant("0-1-100", "0-1-100")).isEmpty();
    assertThat(errant("", "0-1-100")).isEmpty();
  }

  @Test
  void aWriteOnTheReplicaIsAPairTheMasterLacks() {
    // the lab's quick sign: replica 0-2-7 (its own server id) where the master is at 0-1-6
    assertThat(errant("0-1-6,0-2-7", "0-1-6")).isEqualTo("0-2-7");
  }

  @Test
  void aHigherSequenceForAPairTheMasterHasIsErrant() {
    assertThat(errant("0-1-101", "0-1-100")).isEqualTo("0-1-101");
  }

  @Test
  void earlierMastersInTheHistoryAreNotErrant() {
    // server 1 was master up to 0-1-322, then server 2 took over; server 3 is the new master since 0-3-500
    String master = "0-1-322,0-2-499,0-3-510";
    assertThat(errant("0-1-322,0-2-499,0-3-505", master)).isEmpty();
    assertThat(errant("0-1-322,0-2-499", master)).isEmpty();
  }

  @Test
  void anOldMasterWithTransactionsNeverReplicatedIsErrantForExactlyThosePairs() {
    // the old master 1 wrote 0-1-323..327 after the fork at 0-1-322 (the new master 2 never received them)
    assertThat(errant("0-1-327,0-2-10", "0-1-322,0-2-330")).isEqualTo("0-1-327");
  }

  @Test
  void eachDomainIsJudgedOnItsOwn() {
    assertThat(errant("0-1-50,1-1-9,1-4-2,2-7-1", "1-1-9,0-1-60,2-7-3")).isEqualTo("1-4-2");
  }
}
