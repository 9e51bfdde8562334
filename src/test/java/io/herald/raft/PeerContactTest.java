package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.raft.PeerContact.Event;
import io.herald.raft.PeerContact.Kind;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PeerContactTest {
  private final PeerContact contact = new PeerContact();

  @Test
  void aSilentPeerIsReportedOnceThenRemindedThenWelcomedBack() {
    assertThat(contact.observe(Map.of("a", 100L, "b", 200L), 1_000)).isEmpty();
    assertThat(contact.observe(Map.of("a", 4_999L, "b", 150L), 5_000)).isEmpty();

    assertThat(contact.observe(Map.of("a", 5_000L, "b", 150L), 6_000))
        .containsExactly(new Event(Kind.UNREACHABLE, "a", 5_000));
    // still silent, but reported less than five minutes ago: nothing new to say
    assertThat(contact.observe(Map.of("a", 60_000L, "b", 150L), 61_000)).isEmpty();
    assertThat(contact.observe(Map.of("a", 305_000L, "b", 150L), 306_000))
        .containsExactly(new Event(Kind.STILL_UNREACHABLE, "a", 305_000));
    assertThat(contact.observe(Map.of("a", 306_000L, "b", 150L), 307_000)).isEmpty();

    // it answered 1 s ago: it was silent from t=1,000 (last answer) until t=400,000
    assertThat(contact.observe(Map.of("a", 1_000L, "b", 150L), 401_000))
        .containsExactly(new Event(Kind.BACK, "a", 399_000));
    assertThat(contact.observe(Map.of("a", 100L, "b", 150L), 402_000)).isEmpty();
  }

  @Test
  void losingLeadershipForgetsWhatWasReportedWithoutWelcomingAnyoneBack() {
    assertThat(contact.observe(Map.of("a", 9_000L), 10_000)).hasSize(1);
    assertThat(contact.observe(Map.of(), 11_000)).isEmpty(); // no longer the leader: no follower view
    // leader again later, the peer still silent: reported afresh
    assertThat(contact.observe(Map.of("a", 20_000L), 21_000)).containsExactly(new Event(Kind.UNREACHABLE, "a", 20_000));
  }

  @Test
  void eachPeerHasItsOwnStory() {
    assertThat(contact.observe(Map.of("a", 6_000L, "b", 7_000L), 10_000)).containsExactlyInAnyOrder(
        new Event(Kind.UNREACHABLE, "a", 6_000), new Event(Kind.UNREACHABLE, "b", 7_000));
    assertThat(contact.observe(Map.of("a", 10L, "b", 8_000L), 11_000)).containsExactly(new Event(Kind.BACK, "a", 6_990));
  }
}
