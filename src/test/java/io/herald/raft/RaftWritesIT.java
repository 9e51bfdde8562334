package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
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
