package io.herald.raft;

import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Once a second, looks at how long each follower has been silent (as the leader sees it; empty elsewhere) and logs
 * what {@link PeerContact} says an operator should know. Owns one daemon thread, from {@link #start} to
 * {@link #close}.
 */
final class FollowerWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FollowerWatch.class);
  private final Supplier<Map<String, Long>> silence;
  /** Used on the watch thread only. */
  private final PeerContact contact = new PeerContact();
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "raft-followers");
    t.setDaemon(true);
    return t;
  });

  /** @param silence each follower's milliseconds since it last answered the leader; must not block for long */
  FollowerWatch(Supplier<Map<String, Long>> silence) {
    this.silence = silence;
  }

  void start() {
    thread.scheduleWithFixedDelay(() -> {
      try {
        look();
      } catch (RuntimeException e) {
        LOG.warn("raft follower watch failed (again in 1 s): {}", e.toString()); // a thrown task would stop for good
      }
    }, 1, 1, TimeUnit.SECONDS);
  }

  private void look() {
    for (PeerContact.Event e : contact.observe(silence.get(), System.nanoTime() / 1_000_000)) {
      long s = e.silentMillis() / 1000;
      switch (e.kind()) {
        case UNREACHABLE -> LOG.warn("raft peer {} has not answered the leader for {} s; the group goes on without "
            + "it, and it catches up when it returns", e.peer(), s);
        case STILL_UNREACHABLE -> LOG.warn("raft peer {} still does not answer the leader ({} s)", e.peer(), s);
        case BACK -> LOG.info("raft peer {} answers the leader again, after about {} s", e.peer(), s);
      }
    }
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
