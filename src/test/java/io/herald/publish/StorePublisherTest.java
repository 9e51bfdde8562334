package io.herald.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import io.herald.kv.KvStore;
import io.herald.kv.internal.InternalKvStore;
import io.herald.testing.FailingKvStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StorePublisherTest {
  private static final KeyLayout LAYOUT = KeyLayout.defaults();
  private static final PublishOptions FAST =
      new PublishOptions(Duration.ofMillis(10), Duration.ofMillis(50), 100, Duration.ofSeconds(60),
          Duration.ofMillis(200));
  private static final Alias ORDERS = Alias.of("orders");
  private static final Alias USERS = Alias.of("users");
  private static final Alias BILLING = Alias.of("billing");

  @TempDir Path dir;
  private final List<StorePublisher> started = new ArrayList<>();

  @AfterEach
  void closeAll() {
    started.forEach(StorePublisher::close);
  }

  private StorePublisher start(KvStore store, DeliveryLog log) {
    return start(store, log, () -> false);
  }

  private StorePublisher start(KvStore store, DeliveryLog log, BooleanSupplier catchingUp) {
    return start(store, log, catchingUp, () -> Long.MAX_VALUE);
  }

  private StorePublisher start(KvStore store, DeliveryLog log, BooleanSupplier catchingUp, LongSupplier epochBound) {
    StorePublisher p = new StorePublisher(store, LAYOUT, log, FAST, PublishListener.NONE, Clock.systemUTC(),
        catchingUp, epochBound);
    started.add(p);
    p.start();
    return p;
  }

  private static Cluster cluster(Alias alias, String host, long epoch) {
    return new Cluster(alias, new Master(new HostPort(host, 3306), "10.0.0." + epoch % 250, ""), epoch, 0);
  }

  private static Optional<String> masterIn(KvStore store, Alias alias) throws Exception {
    return store.get(LAYOUT.masterKey(alias));
  }

  private static void awaitHolds(KvStore store, Cluster c) {
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      for (var p : LAYOUT.entries(c).allPairs()) assertThat(store.get(p.key())).as(p.key()).contains(p.value());
    });
  }

  @Test
  void offeredClustersArriveInTheStore() {
    InternalKvStore store = new InternalKvStore();
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    Cluster orders = cluster(ORDERS, "db1", 3);
    Cluster users = cluster(USERS, "db2", 4);

    publisher.offer(List.of(orders, users));

    awaitHolds(store, orders);
    awaitHolds(store, users);
    await().atMost(Duration.ofSeconds(10)).until(publisher::idle);
    StoreStatus s = publisher.status();
    assertThat(s.healthy()).isTrue();
    assertThat(s.written()).isEqualTo(2);
    assertThat(s.pending()).isZero();
    assertThat(s.epochLag()).isZero();
    assertThat(s.lastSuccess()).isPresent();
    assertThat(s.name()).isEqualTo("internal");
  }

  @Test
  void aClusterTheDeliveryLogCoversIsNotWrittenAgain() throws Exception {
    FailingKvStore store = new FailingKvStore("covered");
    MemoryDeliveryLog log = new MemoryDeliveryLog();
    log.record(Map.of(ORDERS, new Delivered(5, 0)));
    StorePublisher publisher = start(store, log);

    publisher.offer(List.of(cluster(ORDERS, "db1", 5), cluster(USERS, "db2", 6)));
    awaitHolds(store, cluster(USERS, "db2", 6));
    publisher.offer(List.of(cluster(USERS, "db2", 6), cluster(BILLING, "db3", 7)));
    awaitHolds(store, cluster(BILLING, "db3", 7));

    assertThat(store.writesOf(ORDERS)).isZero();
    assertThat(masterIn(store, ORDERS)).isEmpty();
    assertThat(store.writesOf(USERS)).isEqualTo(1);
    assertThat(store.writesOf(BILLING)).isEqualTo(1);
  }

  @Test
  void workTheDeliveryLogCoversLeavesADownStoreUnhealthy() {
    FailingKvStore store = new FailingKvStore("down");
    store.failReads(true);
    MemoryDeliveryLog log = new MemoryDeliveryLog();
    log.record(Map.of(ORDERS, new Delivered(5, 0)));
    StorePublisher publisher = start(store, log);
    await().atMost(Duration.ofSeconds(5)).until(() -> publisher.status().lastError().isPresent());

    publisher.offer(List.of(cluster(ORDERS, "db1", 5))); // already delivered: no call to the store

    await().atMost(Duration.ofSeconds(5)).until(publisher::idle);
    // several health checks (every 200 ms) fail meanwhile; none of it may look like a success
    await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(3)).until(() -> !publisher.status().healthy());
    assertThat(publisher.status().lastSuccess()).isEmpty();
    assertThat(store.writesOf(ORDERS)).isZero();
  }

  @Test
  void aNewerEpochThanTheDeliveryLogShowsIsWritten() {
    FailingKvStore store = new FailingKvStore("newer");
    MemoryDeliveryLog log = new MemoryDeliveryLog();
    StorePublisher publisher = start(store, log);

    publisher.offer(List.of(cluster(ORDERS, "db1", 5)));
    awaitHolds(store, cluster(ORDERS, "db1", 5));
    publisher.offer(List.of(cluster(ORDERS, "db2", 8)));
    awaitHolds(store, cluster(ORDERS, "db2", 8));

    assertThat(store.writesOf(ORDERS)).isEqualTo(2);
    assertThat(log.get(ORDERS)).isEqualTo(new Delivered(8, 0));
  }

  @Test
  void aGarbledEpochInTheDeliveryLogNoLongerKeepsTheStoreStale() throws Exception {
    FailingKvStore store = new FailingKvStore("garbled");
    Path logFile = dir.resolve("garbled.log");
    StorePublisher first = start(store, FileDeliveryLog.open(logFile));
    first.offer(List.of(cluster(ORDERS, "db1", 5), cluster(USERS, "db2", 6)));
    awaitHolds(store, cluster(USERS, "db2", 6));
    await().atMost(Duration.ofSeconds(10)).until(first::idle);
    first.close();
    // what the adversarial test did: edit orders' epoch by hand, in a file with checksums and in an old one without
    String v2 = Files.readString(logFile).replaceFirst("(?m)^orders 5 ", "orders 99999999 ");
    Path oldFile = dir.resolve("garbled-v1.log");
    Files.writeString(oldFile, "orders 99999999 0\nusers 6 0\n");

    for (Path file : List.of(logFile, oldFile)) {
      if (file == logFile) Files.writeString(logFile, v2);
      long epoch = file == logFile ? 7 : 8;
      StorePublisher second = start(store, FileDeliveryLog.open(file), () -> false, () -> 20);
      second.offer(List.of(cluster(ORDERS, "db3", epoch)));
      awaitHolds(store, cluster(ORDERS, "db3", epoch));
      assertThat(second.status().healthy()).isTrue();
      second.close();
    }
  }

  @Test
  void aRestartedPublisherWritesNothingTheFileLogShowsDelivered() throws Exception {
    FailingKvStore store = new FailingKvStore("restart");
    Path logFile = dir.resolve("restart.delivered");
    StorePublisher first = start(store, FileDeliveryLog.open(logFile));
    first.offer(List.of(cluster(ORDERS, "db1", 5)));
    awaitHolds(store, cluster(ORDERS, "db1", 5));
    await().atMost(Duration.ofSeconds(10)).until(first::idle);
    first.close();

    StorePublisher second = start(store, FileDeliveryLog.open(logFile));
    second.offer(List.of(cluster(ORDERS, "db1", 5), cluster(USERS, "db2", 6)));
    awaitHolds(store, cluster(USERS, "db2", 6));

    assertThat(store.writesOf(ORDERS)).isEqualTo(1);
  }

  @Test
  void retriesAfterFailedWritesUntilTheStoreTakesThem() {
    FailingKvStore store = new FailingKvStore("flaky");
    store.failNextWrites(3);
    StorePublisher publisher = start(store, new MemoryDeliveryLog());

    publisher.offer(List.of(cluster(ORDERS, "db1", 5)));

    awaitHolds(store, cluster(ORDERS, "db1", 5));
    assertThat(store.failedCalls()).isEqualTo(3);
    assertThat(store.writesOf(ORDERS)).isEqualTo(1);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      StoreStatus s = publisher.status();
      assertThat(s.healthy()).isTrue();
      assertThat(s.retries()).isEqualTo(3);
    });
  }

  @Test
  void duringAnOutageOffersCoalesceAndEachClusterArrivesOnceAfterwards() {
    FailingKvStore store = new FailingKvStore("outage");
    store.failNextWrites(Integer.MAX_VALUE);
    StorePublisher publisher = start(store, new MemoryDeliveryLog());

    publisher.offer(List.of(cluster(ORDERS, "db1", 1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.failedCalls() >= 1);
    for (int epoch = 2; epoch <= 30; epoch += 2) {
      publisher.offer(List.of(cluster(ORDERS, "db" + epoch, epoch), cluster(USERS, "u" + epoch, epoch + 1)));
    }
    publisher.offer(List.of(cluster(BILLING, "b1", 40)));

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
      StoreStatus s = publisher.status();
      assertThat(s.healthy()).isFalse();
      assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("injected failure"));
      assertThat(s.pending()).isEqualTo(3);
      assertThat(s.epochLag()).isEqualTo(40);
      assertThat(s.retries()).isPositive();
    });
    assertThat(store.writesOf(ORDERS) + store.writesOf(USERS) + store.writesOf(BILLING)).isZero();

    store.recover();

    awaitHolds(store, cluster(ORDERS, "db30", 30));
    awaitHolds(store, cluster(USERS, "u30", 31));
    awaitHolds(store, cluster(BILLING, "b1", 40));
    await().atMost(Duration.ofSeconds(10)).until(publisher::idle);
    assertThat(store.writesOf(ORDERS)).isEqualTo(1);
    assertThat(store.writesOf(USERS)).isEqualTo(1);
    assertThat(store.writesOf(BILLING)).isEqualTo(1);
    StoreStatus after = publisher.status();
    assertThat(after.healthy()).isTrue();
    assertThat(after.pending()).isZero();
    assertThat(after.epochLag()).isZero();
    assertThat(after.written()).isEqualTo(3);
  }

  /** Collects StorePublisher's INFO and WARN lines, as rendered. */
  private static ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logLines() {
    var logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StorePublisher.class);
    var appender = new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    appender.start();
    logger.addAppender(appender);
    return appender;
  }

  private static List<String> messages(
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender) {
    synchronized (appender.list) {
      return appender.list.stream().map(e -> e.getLevel() + " " + e.getFormattedMessage()).toList();
    }
  }

  @Test
  void aStoreThatComesBackSaysHowLongItWasDownAndHowManyClustersItWasGiven() {
    var lines = logLines();
    FailingKvStore store = new FailingKvStore("returning");
    store.failNextWrites(Integer.MAX_VALUE);
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    publisher.offer(List.of(cluster(ORDERS, "db1", 1)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.failedCalls() >= 1);
    publisher.offer(List.of(cluster(USERS, "db2", 2), cluster(BILLING, "db3", 3)));
    await().atMost(Duration.ofSeconds(10)).until(() -> publisher.status().pending() == 3);

    store.recover();

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(messages(lines))
        .anyMatch(m -> m.matches("INFO store returning: back after [0-9]+\\.[0-9] s; rewrote 3 clusters")));
    assertThat(StorePublisher.seconds(Duration.ofMillis(12_400))).isEqualTo("12");
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StorePublisher.class)).detachAppender(lines);
  }

  @Test
  void antiEntropyRepairsAreLoggedWithTheClustersNamed() throws Exception {
    var lines = logLines();
    InternalKvStore store = new InternalKvStore();
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    List<Cluster> all = List.of(cluster(ORDERS, "db1", 5), cluster(USERS, "db2", 6), cluster(BILLING, "db3", 7));
    publisher.offer(all);
    for (Cluster c : all) awaitHolds(store, c);
    await().atMost(Duration.ofSeconds(10)).until(publisher::idle);

    store.putRaw("mysql/master/orders", "intruder:3306");
    store.putRaw("mysql/master/billing/port", null);
    publisher.verify(all);

    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(messages(lines)).contains(
        "INFO store internal: anti-entropy repaired 2 clusters (keys differed or were deleted): billing, orders"));
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(StorePublisher.class)).detachAppender(lines);
  }

  @Test
  void aLongListOfClustersIsCappedInALogLine() {
    List<Alias> many = new ArrayList<>();
    for (int i = 0; i < 13; i++) many.add(Alias.of("c" + i));
    assertThat(StorePublisher.capped(many)).isEqualTo("c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, ... (3 more)");
    assertThat(StorePublisher.capped(many.subList(0, 2))).isEqualTo("c0, c1");
  }

  @Test
  void verifyRepairsATamperedStoreThatAnOfferWouldSkip() throws Exception {
    InternalKvStore store = new InternalKvStore();
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    Cluster orders = cluster(ORDERS, "db1", 5);
    publisher.offer(List.of(orders));
    awaitHolds(store, orders);

    store.putRaw("mysql/master/orders", "intruder:3306");
    store.putRaw("mysql/master/orders/ipv4", null);
    // an offer is covered by the delivery log and does not look at the store
    publisher.offer(List.of(orders, cluster(USERS, "db2", 6)));
    awaitHolds(store, cluster(USERS, "db2", 6));
    await().atMost(Duration.ofSeconds(10)).until(publisher::idle);
    assertThat(masterIn(store, ORDERS)).contains("intruder:3306");

    publisher.verify(List.of(orders));

    awaitHolds(store, orders);
  }

  @Test
  void aBurstWaitsWhileTheNodeCatchesUpThenWritesEachClusterOnce() {
    FailingKvStore store = new FailingKvStore("catch-up");
    AtomicBoolean behind = new AtomicBoolean(true);
    StorePublisher publisher = start(store, new MemoryDeliveryLog(), behind::get);
    List<Alias> aliases = new ArrayList<>();
    for (int i = 0; i < 60; i++) aliases.add(Alias.of("c" + i));

    for (int round = 1; round <= 3; round++) {
      List<Cluster> batch = new ArrayList<>();
      for (int i = 0; i < aliases.size(); i++) batch.add(cluster(aliases.get(i), "r" + round, round * 100L + i));
      publisher.offer(batch);
    }
    await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
        .until(() -> store.writesOf(aliases.get(0)) == 0 && publisher.status().pending() == 60);

    behind.set(false);

    for (int i = 0; i < aliases.size(); i++) awaitHolds(store, cluster(aliases.get(i), "r3", 300L + i));
    await().atMost(Duration.ofSeconds(10)).until(publisher::idle);
    for (Alias a : aliases) assertThat(store.writesOf(a)).as(a.value()).isEqualTo(1);
  }

  @Test
  void aLoneChangeIsNotHeldByTheCatchUpSignal() {
    InternalKvStore store = new InternalKvStore();
    AtomicInteger asked = new AtomicInteger();
    StorePublisher publisher = start(store, new MemoryDeliveryLog(), () -> {
      asked.incrementAndGet();
      return true;
    });
    Cluster orders = cluster(ORDERS, "db1", 3);

    publisher.offer(List.of(orders));

    // written well within the 30 s a catch-up may hold, and without asking the node at all
    await().atMost(Duration.ofSeconds(5)).until(publisher::idle);
    awaitHolds(store, orders);
    assertThat(asked).hasValue(0);
  }

  @Test
  void anIdleStoreIsCheckedSoItsHealthFollowsTheStore() {
    FailingKvStore store = new FailingKvStore("idle");
    store.failReads(true);
    StorePublisher publisher = start(store, new MemoryDeliveryLog());

    // never reached: not healthy, and the error says why
    await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
      StoreStatus s = publisher.status();
      assertThat(s.healthy()).isFalse();
      assertThat(s.lastSuccess()).isEmpty();
      assertThat(s.lastError()).hasValueSatisfying(e -> assertThat(e).contains("read refused"));
    });
    assertThat(publisher.status().healthy()).isFalse();

    store.failReads(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> publisher.status().healthy());
    int readsWhenHealthy = store.reads();

    // no master changes at all: the 200 ms checks alone notice the store going away, and coming back
    store.failReads(true);
    await().atMost(Duration.ofSeconds(5)).until(() -> !publisher.status().healthy());
    assertThat(store.reads()).isGreaterThan(readsWhenHealthy);
    store.failReads(false);
    await().atMost(Duration.ofSeconds(5)).until(() -> publisher.status().healthy());
    assertThat(publisher.status().lastSuccess()).isPresent();
    assertThat(store.writesOf(ORDERS)).isZero();
  }

  @Test
  void closeIsIdempotentAndStopsTheThread() {
    FailingKvStore store = new FailingKvStore("closing");
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    publisher.offer(List.of(cluster(ORDERS, "db1", 5)));
    awaitHolds(store, cluster(ORDERS, "db1", 5));
    assertThat(publisherThreadAlive("closing")).isTrue();

    publisher.close();
    publisher.close();

    assertThat(publisherThreadAlive("closing")).isFalse();
    assertThat(store.closeCalls()).isEqualTo(1);
  }

  @Test
  void closeStopsAThreadThatIsBackingOff() {
    FailingKvStore store = new FailingKvStore("closing-while-failing");
    store.failNextWrites(Integer.MAX_VALUE);
    StorePublisher publisher = start(store, new MemoryDeliveryLog());
    publisher.offer(List.of(cluster(ORDERS, "db1", 5)));
    await().atMost(Duration.ofSeconds(10)).until(() -> store.failedCalls() >= 2);

    publisher.close();

    assertThat(publisherThreadAlive("closing-while-failing")).isFalse();
  }

  private static boolean publisherThreadAlive(String storeName) {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("publish-" + storeName) && t.isAlive());
  }
}
