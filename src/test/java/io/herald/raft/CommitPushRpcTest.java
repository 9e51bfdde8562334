package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** When the leader pushes a commit index to a follower (the empty append of {@link CommitPushRpc}). */
class CommitPushRpcTest {
  @Test
  void pushesWhatTheFollowerFlushedAndTheGroupCommittedWhenItWasToldLess() {
    // leader committed 10, next entry 11; the follower flushed 10, was told 9 (by its answer or a request), has been sent everything
    assertThat(CommitPushRpc.Appender.pushTo(10, 10, 9, false, false)).isEqualTo(10);
  }

  @Test
  void pushesNoMoreThanTheFollowerFlushed() {
    // committed 10 by the leader and another follower; this one flushed only 8 and was told 7
    assertThat(CommitPushRpc.Appender.pushTo(10, 8, 7, false, false)).isEqualTo(8);
  }

  @Test
  void nothingWhenTheFollowerWasAlreadyToldAllItCanApply() {
    assertThat(CommitPushRpc.Appender.pushTo(10, 10, 10, false, false)).isEqualTo(-1);
    assertThat(CommitPushRpc.Appender.pushTo(10, 8, 8, false, false)).isEqualTo(-1);
  }

  @Test
  void nothingWhileAnEntryWaitsToBeSentToTheFollower() {
    // entry 11 is not sent yet: the append that carries it carries the commit index too
    assertThat(CommitPushRpc.Appender.pushTo(10, 10, 9, true, false)).isEqualTo(-1);
  }

  @Test
  void nothingWhileAnAppendAwaitsTheFollowersAnswer() {
    // a heartbeat sent now would carry no previous entry, so no usable commit index; the answer checks again
    assertThat(CommitPushRpc.Appender.pushTo(10, 10, 9, false, true)).isEqualTo(-1);
  }

  @Test
  void pushesTheGroupsFirstEntry() {
    assertThat(CommitPushRpc.Appender.pushTo(0, 0, -1, false, false)).isZero();
  }

  @Test
  void nothingBeforeAnythingIsCommitted() {
    assertThat(CommitPushRpc.Appender.pushTo(-1, 0, -1, false, false)).isEqualTo(-1);
  }
}
