package io.herald.recovery;

import io.herald.testing.InProcessNode;
import io.herald.testing.MariaDbLab;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client that writes through the published master: it reads the master from Herald's internal store
 * ({@code /api/kv/mysql/master/<alias>}) and inserts rows one at a time as the lab's {@code app} user (no SUPER:
 * read_only stops it), counting a row only when its commit was acknowledged. A failed insert is not retried with
 * the same id: its outcome is unknown. Bounded: at most {@code maxRows} rows and {@code maxMillis} of running.
 */
final class AckedWriter implements AutoCloseable {
  private final InProcessNode node;
  private final String alias;
  private final int maxRows;
  private final long deadline;
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Set<Integer> acked = java.util.Collections.synchronizedSet(new TreeSet<>());
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;

  AckedWriter(InProcessNode node, String alias, int maxRows, long maxMillis) {
    this.node = node;
    this.alias = alias;
    this.maxRows = maxRows;
    this.deadline = System.currentTimeMillis() + maxMillis;
    this.thread = new Thread(this::run, "acked-writer");
    this.thread.setDaemon(true);
  }

  static void createTable(MariaDbLab lab, int master) {
    lab.sql(master, "CREATE TABLE IF NOT EXISTS app.t (id INT PRIMARY KEY, at BIGINT NOT NULL)");
  }

  AckedWriter start() {
    thread.start();
    return this;
  }

  private String master() {
    return node.get("/api/kv/mysql/master/" + alias).body().path("Value").asText();
  }

  private void run() {
    int next = 1;
    Connection c = null;
    String at = "";
    while (!stop.get() && next <= maxRows && System.currentTimeMillis() < deadline) {
      try {
        String m = master();
        if (c == null || !m.equals(at)) {
          if (c != null) c.close();
          at = m;
          c = DriverManager.getConnection("jdbc:mariadb://" + m + "/app?user=app&password=apppass&connectTimeout=1000"
              + "&socketTimeout=2000");
        }
        int id = next++;
        try (Statement s = c.createStatement()) {
          s.executeUpdate("INSERT INTO t VALUES (" + id + ", " + System.currentTimeMillis() + ")");
        }
        acked.add(id);
      } catch (SQLException e) {
        errors.add(e.getMessage());
        try {
          if (c != null) c.close();
        } catch (SQLException ignored) {
          // the connection is gone already
        }
        c = null;
        try {
          Thread.sleep(20); // a bounded retry pace, not a wait for a condition
        } catch (InterruptedException x) {
          return;
        }
      }
    }
    try {
      if (c != null) c.close();
    } catch (SQLException ignored) {
      // closing
    }
  }

  Set<Integer> acked() {
    synchronized (acked) {
      return new TreeSet<>(acked);
    }
  }

  int errors() {
    return errors.size();
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }
}
