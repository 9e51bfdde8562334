package io.herald.testing;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Records every distinct value a reader returns, polling every 10 ms on its own thread until closed: what a
 * consumer watching a store would see. A null read (store down, key absent) is not recorded.
 */
public final class ValueWatcher implements AutoCloseable {
  private final List<String> seen = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;

  public ValueWatcher(String name, Supplier<String> reader) {
    thread = new Thread(() -> {
      String last = null;
      while (running) {
        String v = reader.get();
        if (v != null && !Objects.equals(v, last)) {
          seen.add(v);
          last = v;
        }
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "watch-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  public List<String> seen() {
    return List.copyOf(seen);
  }

  /** The values seen, as numbers (for epochs). */
  public List<Long> seenAsLongs() {
    return seen.stream().map(Long::parseLong).toList();
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
  }
}
