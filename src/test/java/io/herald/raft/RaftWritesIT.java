package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.testing.TcpProxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three Ratis nodes in this JVM, of which two are then stopped: a write to the one left, whether it was the leader
 * (its own server holds the write) or a follower (its stream to the stopped leader fails), is answered with an error
 * within the write timeout and one retry interval (well before RaftWrites' last-resort timeout, the write timeout plus
 * one attempt and a second); and a node closed while writes wait answers each of them at once.
 */
class RaftWritesIT {
  @TempDir Path dir;
  private InJvmGroup group;

  @AfterEach
  void close() {
    if (group != null) group.close();
  }

  private void group(Duration writeTimeout) {
    group = new InJvmGroup(dir, writeTimeout, RatisNode.ELECTION_TIMEOUT_MILLIS);
  }

  private int leader() {
    return group.leader();
  }

  @Test
  void aLeaderLeftAloneAnswersAtTheWriteTimeout() throws Exception {
    group(Duration.ofSeconds(2));
    int leader = leader();
    assertFailsWithin(alone(leader), Duration.ofMillis(2000 + RatisNode.WRITE_RETRY_MILLIS + 1500));
  }

  @Test
  void aFollowerLeftAloneAnswersAtTheWriteTimeout() throws Exception {
    group(Duration.ofSeconds(2));
    int follower = (leader() + 1) % 3;
    assertFailsWithin(alone(follower), Duration.ofMillis(2000 + RatisNode.WRITE_RETRY_MILLIS + 1500));
  }

  @Test
  void closingANodeAnswersEveryWriteWaitingThere() throws Exception {
    group(Duration.ofSeconds(60));
    RatisNode left = alone((leader() + 1) % 3);
    List<CompletableFuture<CommandResult>> waiting = new ArrayList<>();
    for (int i = 0; i < 5; i++) waiting.add(left.submit(change("w" + i)));
    assertThat(waiting).noneMatch(CompletableFuture::isDone); // none can succeed without a majority
    left.close();
    for (CompletableFuture<CommandResult> w : waiting) {
      try {
        w.get(2, TimeUnit.SECONDS);
        throw new AssertionError("a write without a majority succeeded");
      } catch (ExecutionException e) {
        assertThat(e.getCause()).isInstanceOf(RaftUnavailableException.class);
      }
    }
  }

  /**
   * A node that cannot commit holds at most {@link RatisNode#WRITES_WAITING} writes: the next one is refused at once
   * with "too many raft writes waiting" (the API's 503), not queued behind them, and answering it answers none of
   * them.
   */
  @Test
  void aWriteBeyondTheWaitingLimitIsRefusedAtOnce() throws Exception {
    group(Duration.ofSeconds(60));
    RatisNode left = alone((leader() + 1) % 3);
    List<CompletableFuture<CommandResult>> waiting = new ArrayList<>();
    for (int i = 0; i < RatisNode.WRITES_WAITING; i++) waiting.add(left.submit(change("w" + i)));
    assertThat(waiting).noneMatch(CompletableFuture::isDone); // none can succeed without a majority
    CompletableFuture<CommandResult> beyond = left.submit(change("beyond"));
    assertThat(beyond).isCompletedExceptionally();
    assertThatThrownBy(beyond::get).hasCauseInstanceOf(RaftUnavailableException.class)
        .hasMessageContaining("too many raft writes waiting (" + RatisNode.WRITES_WAITING + ")");
    assertThat(waiting).noneMatch(CompletableFuture::isDone); // the refusal answered none of those waiting
    left.close();
    for (CompletableFuture<CommandResult> w : waiting) {
      assertThatThrownBy(() -> w.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(RaftUnavailableException.class);
    }
  }

  /**
   * The leader applies a follower's write but its answer is lost (a proxy in front of the leader drops what it
   * sends back, then the connection is cut): the follower's retry carries the same client and call id, so Ratis'
   * retry cache answers it with the first attempt's reply, and the change is applied once.
   */
  @Test
  void aWriteWhoseAnswerIsLostIsAnsweredByItsRetryAndAppliedOnce() throws Exception {
    group = new InJvmGroup(dir, Duration.ofSeconds(30), RatisNode.ELECTION_TIMEOUT_MILLIS, true);
    int leader = leader();
    RatisNode l = group.nodes.get(leader);
    RatisNode follower = group.nodes.get((leader + 1) % 3);
    assertThat(follower.submit(change("before")).get(10, TimeUnit.SECONDS).error()).isEmpty(); // its stream is open
    long before = l.status().appliedIndex();
    long term = l.status().term();
    long epochBefore = group.states.get(leader).get(new Alias("writes")).orElseThrow().epoch();
    TcpProxy intoLeader = group.proxies.get(leader);
    intoLeader.dropAnswers();
    CompletableFuture<CommandResult> w = follower.submit(change("lost-answer"));
    await().atMost(Duration.ofSeconds(10)).until(() -> l.status().appliedIndex() > before);
    assertThat(w).isNotDone(); // the answer was dropped
    intoLeader.sever();
    intoLeader.restore();
    CommandResult r = w.get(20, TimeUnit.SECONDS);
    assertThat(r.error()).isEmpty();
    assertThat(r.clusters().get(0).master().address().host()).isEqualTo("lost-answer.example.com");
    // a second apply would come before the retry's answer: one entry, and the epoch moved by one
    assertThat(l.status().term()).as("no election meanwhile (a new term's first entry would count too)").isEqualTo(term);
    assertThat(l.status().appliedIndex()).isEqualTo(before + 1);
    assertThat(r.clusters().get(0).epoch()).isEqualTo(epochBefore + 1);
    assertThat(group.states.get(leader).get(new Alias("writes")).orElseThrow().epoch()).isEqualTo(epochBefore + 1);
  }

  private void assertFailsWithin(RatisNode node, Duration bound) throws Exception {
    long t0 = System.nanoTime();
    CompletableFuture<CommandResult> w = node.submit(change("alone"));
    try {
      w.get(bound.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("a write without a majority succeeded");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).isInstanceOf(RaftUnavailableException.class);
      assertThat(e.getCause().getMessage()).contains("may still be applied");
    }
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(bound);
  }

  /** Closes every node but this one, after a write through it succeeded; returns it. */
  private RatisNode alone(int index) throws Exception {
    List<RatisNode> nodes = group.nodes;
    RatisNode n = nodes.get(index);
    assertThat(n.submit(change("before")).get(10, TimeUnit.SECONDS).error()).isEmpty();
    for (int i = 0; i < nodes.size(); i++) if (i != index) nodes.get(i).close();
    return n;
  }

  private static Command change(String host) {
    return Command.SetMaster.declared(new Alias("writes"), new Master(new HostPort(host + ".example.com", 3306), "", ""), 0);
  }

}
