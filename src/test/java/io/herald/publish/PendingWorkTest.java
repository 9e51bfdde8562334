package io.herald.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.publish.PendingWork.Job;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PendingWorkTest {
  private static final long FAR = TimeUnit.SECONDS.toNanos(60);

  private static Cluster cluster(String alias, long epoch, long submitted) {
    return new Cluster(Alias.of(alias), new Master(new HostPort("db" + epoch, 3306), "", ""), epoch, submitted);
  }

  private static List<String> masters(List<Job> jobs) {
    List<String> out = new ArrayList<>();
    for (Job j : jobs) out.add(j.cluster().alias().value() + "@" + j.cluster().epoch() + (j.verify() ? "v" : ""));
    return out;
  }

  @Test
  void theNewestWorkPerClusterWinsWhateverOrderItCameIn() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    work.add(List.of(cluster("a", 5, 0)), false);
    work.add(List.of(cluster("a", 3, 0), cluster("b", 1, 0)), false); // a lagging copy of a: ignored
    work.add(List.of(cluster("b", 1, 0)), true); // same epoch, a verify: kept, it does more

    assertThat(work.count()).isEqualTo(2);
    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("a@5", "b@1v");
    assertThat(work.idle()).isFalse(); // handed out, not yet done
    work.done();
    assertThat(work.idle()).isTrue();
  }

  @Test
  void aFailedBatchGoesBackButNewerWorkMeanwhileWins() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    work.add(List.of(cluster("a", 1, 0), cluster("b", 2, 0)), false);
    List<Job> batch = work.next(10, System.nanoTime() + FAR);
    work.add(List.of(cluster("b", 7, 0)), false);

    work.putBack(batch);

    assertThat(work.epochLag(a -> 0)).isEqualTo(7);
    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("a@1", "b@7");
  }

  @Test
  void batchesAreCappedOldestFirst() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    List<Cluster> many = new ArrayList<>();
    for (int i = 0; i < 5; i++) many.add(cluster("c" + i, i + 1, 0));
    work.add(many, false);

    assertThat(masters(work.next(3, System.nanoTime() + FAR))).containsExactly("c0@1", "c1@2", "c2@3");
    work.done();
    assertThat(masters(work.next(3, System.nanoTime() + FAR))).containsExactly("c3@4", "c4@5");
  }

  @Test
  void withNoWorkByTheCheckTimeAnEmptyBatchComesBack() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    assertThat(work.next(10, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20))).isEmpty();
  }

  @Test
  void aLoneChangeNeverAsksWhetherTheNodeIsCatchingUpButABurstDoes() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    PendingWork work = new PendingWork(() -> asked.incrementAndGet() < 3); // behind for the first two questions
    work.add(List.of(cluster("lone", 1, 0)), false);
    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("lone@1");
    assertThat(asked).hasValue(0);
    work.done();

    work.add(List.of(cluster("x", 2, 0)), false);
    work.add(List.of(cluster("x", 3, 0)), false); // right after the first: a burst
    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("x@3");
    assertThat(asked).hasValue(3);
  }

  @Test
  void aChangeGoesBeforeAPassOfChecksQueuedEarlierAndTakesOverItsClustersCheck() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    List<Cluster> pass = new ArrayList<>();
    for (int i = 0; i < 60; i++) pass.add(cluster("c" + i, i + 1, 0));
    work.add(pass, true);
    work.add(List.of(cluster("c30", 100, 0), cluster("new", 101, 0)), false);

    assertThat(work.count()).isEqualTo(61); // c30's check became its change
    List<Job> first = work.next(3, System.nanoTime() + FAR);
    assertThat(masters(first)).containsExactly("c30@100", "new@101", "c0@1v");
  }

  @Test
  void checksAloneGoOutAtOnceAndDoNotMakeTheNextLoneChangeABurst() throws Exception {
    AtomicInteger asked = new AtomicInteger();
    PendingWork work = new PendingWork(() -> asked.incrementAndGet() > 0);
    List<Cluster> pass = new ArrayList<>();
    for (int i = 0; i < 100; i++) pass.add(cluster("c" + i, i + 1, 0));
    work.add(pass, true);
    assertThat(work.next(1000, System.nanoTime() + FAR)).hasSize(100);
    work.done();

    work.add(List.of(cluster("lone", 500, 0)), false);
    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("lone@500");
    assertThat(asked).hasValue(0); // "catching up" would have held it 30 s
  }

  @Test
  void aFailedBatchOfChecksGoesBackBeforeTheOtherChecksButAfterChanges() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    work.add(List.of(cluster("a", 1, 0), cluster("b", 2, 0), cluster("c", 3, 0)), true);
    List<Job> batch = work.next(2, System.nanoTime() + FAR);
    work.add(List.of(cluster("x", 9, 0)), false);

    work.putBack(batch);

    assertThat(masters(work.next(10, System.nanoTime() + FAR))).containsExactly("x@9", "a@1v", "b@2v", "c@3v");
  }

  @Test
  void closingWakesAWaiterAndHappensOnce() throws Exception {
    PendingWork work = new PendingWork(() -> false);
    CompletableFuture<List<Job>> taken = new CompletableFuture<>();
    Thread waiter = new Thread(() -> {
      try {
        taken.complete(work.next(10, System.nanoTime() + FAR));
      } catch (InterruptedException e) {
        taken.completeExceptionally(e);
      }
    });
    waiter.start();
    await().atMost(Duration.ofSeconds(5)).until(() -> waiter.getState() == Thread.State.TIMED_WAITING);

    assertThat(work.close()).isTrue();

    assertThat(taken.get(5, TimeUnit.SECONDS)).isNull();
    assertThat(work.close()).isFalse();
    assertThat(work.pause(Duration.ofSeconds(30))).isFalse();
  }
}
