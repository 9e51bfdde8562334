package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LeaderCommitWatchTest {

  /** A leader that answers after {@code delayMs}, counting probes and the most in flight at once. */
  private static final class SlowLeader {
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final AtomicLong commit = new AtomicLong(42);
    final List<String> threads = java.util.Collections.synchronizedList(new ArrayList<>());
    final long delayMs;

    SlowLeader(long delayMs) {
      this.delayMs = delayMs;
    }

    long ask() {
      probes.incrementAndGet();
      threads.add(Thread.currentThread().getName());
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        Thread.sleep(delayMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        inFlight.decrementAndGet();
      }
      return commit.get();
    }
  }

  @Test
  void anIdleNodeSendsNothing() throws Exception {
    SlowLeader leader = new SlowLeader(0);
    try (LeaderCommitWatch watch = new LeaderCommitWatch(leader::ask)) {
      watch.start();
      Thread.sleep(5 * LeaderCommitWatch.REFRESH.toMillis());
      assertThat(leader.probes).hasValue(0);
    }
  }

  @Test
  void readersNeverWaitForASlowLeaderAndLearnItsCommitFromTheWatchThread() throws Exception {
    SlowLeader leader = new SlowLeader(400);
    try (LeaderCommitWatch watch = new LeaderCommitWatch(leader::ask)) {
      watch.start();
      long t0 = System.nanoTime();
      OptionalLong first = watch.commit();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(100));
      assertThat(first).isEmpty(); // nothing heard yet: the caller treats that as "maybe behind"

      await().atMost(Duration.ofSeconds(3)).until(() -> watch.commit().equals(OptionalLong.of(42)));
      assertThat(leader.threads).allMatch(n -> n.equals("raft-leader-commit"));
    }
  }

  @Test
  void concurrentReadersCauseOneProbeAtATime() throws Exception {
    SlowLeader leader = new SlowLeader(50);
    ExecutorService readers = Executors.newFixedThreadPool(8);
    try (LeaderCommitWatch watch = new LeaderCommitWatch(leader::ask)) {
      watch.start();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        done.add(readers.submit(() -> {
          go.await();
          long until = System.nanoTime() + Duration.ofMillis(600).toNanos();
          while (System.nanoTime() < until) watch.commit();
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : done) f.get();
      assertThat(leader.mostInFlight).hasValue(1);
      // about one probe per refresh period while asked, not one per reader call
      assertThat(leader.probes.get()).isBetween(1, 15);
    } finally {
      readers.shutdownNow();
    }
  }

  @Test
  void theWatchStopsProbingSoonAfterTheLastQuestion() throws Exception {
    SlowLeader leader = new SlowLeader(0);
    try (LeaderCommitWatch watch = new LeaderCommitWatch(leader::ask)) {
      watch.start();
      watch.commit();
      await().atMost(Duration.ofSeconds(2)).until(() -> leader.probes.get() > 0);
      Thread.sleep(LeaderCommitWatch.WANTED_FOR.toMillis() + 3 * LeaderCommitWatch.REFRESH.toMillis());
      int after = leader.probes.get();
      Thread.sleep(5 * LeaderCommitWatch.REFRESH.toMillis());
      assertThat(leader.probes).hasValue(after);
      leader.commit.set(43);
      watch.commit(); // the old reading is no longer fresh: asked again, and answered anew
      await().atMost(Duration.ofSeconds(2)).until(() -> watch.commit().equals(OptionalLong.of(43)));
    }
  }
}
