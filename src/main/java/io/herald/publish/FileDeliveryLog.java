package io.herald.publish;

import io.herald.cluster.Alias;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable delivery log: an append-only text file of {@code alias epoch checked} lines, forced to disk on every
 * {@link #record}, and rewritten compactly when opened. A torn last line (a crash mid-append) is ignored: the
 * cluster is then re-checked against the store, which writes nothing if the store already holds it.
 */
public final class FileDeliveryLog implements DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger(FileDeliveryLog.class);
  private final Path file;
  /** Written by the publisher thread, read by status readers. */
  private final Map<Alias, Delivered> delivered = new ConcurrentHashMap<>();
  private static final int COMPACT_MIN_LINES = 10_000;
  /** Publisher thread only. */
  private FileChannel channel;
  /** Publisher thread only: lines in the file now. */
  private long lines;

  private FileDeliveryLog(Path file) {
    this.file = file;
  }

  /** Opens (creating if needed) and compacts the log at {@code file}. */
  public static FileDeliveryLog open(Path file) throws IOException {
    FileDeliveryLog log = new FileDeliveryLog(file);
    log.load();
    return log;
  }

  private void load() throws IOException {
    Files.createDirectories(file.getParent());
    int read = 0;
    if (Files.exists(file)) {
      try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        for (String line; (line = r.readLine()) != null; ) {
          read++;
          String[] f = line.split(" ");
          if (f.length != 3) continue;
          try {
            delivered.put(new Alias(f[0]), new Delivered(Long.parseLong(f[1]), Long.parseLong(f[2])));
          } catch (IllegalArgumentException torn) {
            LOG.warn("delivery log {}: skipping unreadable line {}", file, read);
          }
        }
      }
    }
    compact();
    LOG.debug("delivery log {}: {} clusters from {} lines", file, delivered.size(), read);
  }

  /** Rewrites the file with one line per cluster, atomically, and reopens it for appending. */
  private void compact() throws IOException {
    if (channel != null) channel.close();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder sb = new StringBuilder();
      for (var e : delivered.entrySet()) line(sb, e.getKey(), e.getValue());
      write(out, sb);
      out.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true); // lines appended from now on go to the new file: its name must survive a power cut too
    }
    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    lines = delivered.size();
  }

  private static void line(StringBuilder sb, Alias a, Delivered d) {
    sb.append(a.value()).append(' ').append(d.epoch()).append(' ').append(d.checked()).append('\n');
  }

  private static void write(FileChannel ch, StringBuilder sb) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
    while (buf.hasRemaining()) ch.write(buf);
  }

  @Override
  public Delivered get(Alias alias) {
    return delivered.getOrDefault(alias, Delivered.NOTHING);
  }

  @Override
  public void record(Map<Alias, Delivered> deliveries) throws IOException {
    if (deliveries.isEmpty()) return;
    StringBuilder sb = new StringBuilder(deliveries.size() * 32);
    for (var e : deliveries.entrySet()) line(sb, e.getKey(), e.getValue());
    write(channel, sb);
    channel.force(false);
    delivered.putAll(deliveries);
    lines += deliveries.size();
    // the file only grows between compactions; keep it within a few times one line per cluster
    if (lines > Math.max(COMPACT_MIN_LINES, 4L * delivered.size())) compact();
  }

  @Override
  public void close() throws IOException {
    if (channel != null) channel.close();
  }
}
