package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SnapshotSpacingTest {
  @Test
  void smallStatesSnapshotAfterTheConfiguredDelay() {
    assertThat(RatisNode.snapshotDelayMillis(1000, 0)).isEqualTo(1000); // none taken yet
    assertThat(RatisNode.snapshotDelayMillis(1000, TimeUnit.MILLISECONDS.toNanos(13))).isEqualTo(1000);
  }

  @Test
  void aSnapshotThatTakesLongerSpacesTheNextOnesOut() {
    assertThat(RatisNode.snapshotDelayMillis(1000, TimeUnit.MILLISECONDS.toNanos(130))).isEqualTo(2600);
    assertThat(RatisNode.snapshotDelayMillis(0, TimeUnit.MILLISECONDS.toNanos(5))).isEqualTo(100);
  }
}
