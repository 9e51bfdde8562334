package io.herald.publish;

import io.herald.cluster.Alias;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A durable delivery log: an append-only text file, forced to disk on every {@link #record}, and rewritten
 * compactly when opened. Version 2 (written since) starts with the line {@value #HEADER} and holds one
 * {@code alias epoch checked crc} line per record, {@code crc} being the CRC32 of the rest of the line in hex.
 * Version 1 files (no header, {@code alias epoch checked} lines, no checksum) still load, and are rewritten as
 * version 2.
 *
 * <p>Reading it back never trusts it blindly: a record that is torn (a crash mid-append, normal), fails its
 * checksum, cannot be read or holds an impossible value is dropped, and a file with an unknown header is dropped
 * whole; one WARN line names the file and what was dropped. A dropped record means "nothing known": the
 * publisher then re-checks that cluster against the store, which writes nothing if the store already holds it.
 * Dropping is always safe, because every record only ever says less than the one after it.
 */
public final class FileDeliveryLog implements DeliveryLog {
  private static final Logger LOG = LoggerFactory.getLogger(FileDeliveryLog.class);
  static final String HEADER = "herald-delivery-log 2";
  private final Path file;
  /** Written by the publisher thread, read by status readers. */
  private final Map<Alias, Delivered> delivered = new ConcurrentHashMap<>();
  private static final int COMPACT_MIN_LINES = 10_000;
  /** Publisher thread only. */
  private FileChannel channel;
  /** Publisher thread only: records in the file now. */
  private long lines;

  private FileDeliveryLog(Path file) {
    this.file = file;
  }

  /** Opens (creating if needed), checks and compacts the log at {@code file}. */
  public static FileDeliveryLog open(Path file) throws IOException {
    FileDeliveryLog log = new FileDeliveryLog(file);
    log.load();
    return log;
  }

  private void load() throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    if (Files.exists(file)) {
      Loaded loaded = Loaded.parse(Files.readAllBytes(file));
      delivered.putAll(loaded.records());
      if (!loaded.problem().isEmpty()) {
        LOG.warn("delivery log {}: {}; kept {} records; the clusters affected will be re-checked against the store",
            file, loaded.problem(), loaded.records().size());
      }
      LOG.debug("delivery log {}: version {}, {} clusters from {} lines", file, loaded.version(), delivered.size(),
          loaded.lines());
    }
    compact();
  }

  /** What a file held: the good records, and a description of what was dropped (empty when nothing was). */
  record Loaded(int version, Map<Alias, Delivered> records, int lines, String problem) {
    static Loaded parse(byte[] bytes) {
      Map<Alias, Delivered> records = new HashMap<>();
      int start = 0;
      int lineNo = 0;
      int version = 1;
      int bad = 0;
      String firstBad = null;
      String torn = "";
      while (start < bytes.length) {
        int end = start;
        while (end < bytes.length && bytes[end] != '\n') end++;
        lineNo++;
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        boolean complete = end < bytes.length;
        start = end + 1;
        if (lineNo == 1 && line.startsWith("herald-delivery-log ") && line.split(" ").length == 2) {
          if (!line.equals(HEADER) || !complete) {
            return new Loaded(0, Map.of(), lineNo, "unknown header '" + printable(line) + "': dropped the whole file");
          }
          version = 2;
          continue;
        }
        if (!complete) { // the last line, with no newline: a crash mid-append
          torn = "dropped a torn last line " + lineNo + " (normal after a crash)";
          break;
        }
        String why = parseLine(line, version, records);
        if (why != null) {
          bad++;
          if (firstBad == null) firstBad = "line " + lineNo + ": " + why;
        }
      }
      String problem = bad == 0 ? torn
          : "dropped " + bad + " corrupt records (first at " + firstBad + ")" + (torn.isEmpty() ? "" : "; " + torn);
      return new Loaded(version, records, lineNo, problem);
    }

    /** Adds the line's record; null when it was good, else why it was dropped. */
    private static String parseLine(String line, int version, Map<Alias, Delivered> records) {
      String[] f = line.split(" ", -1);
      if (f.length != version + 2) return "expected " + (version + 2) + " fields";
      if (version == 2) {
        String body = line.substring(0, line.lastIndexOf(' '));
        if (!f[3].equals(crc(body))) return "checksum mismatch";
      }
      try {
        long epoch = Long.parseLong(f[1]);
        long checked = Long.parseLong(f[2]);
        if (epoch < 0 || checked < 0) return "negative epoch or request";
        records.put(new Alias(f[0]), new Delivered(epoch, checked));
        return null;
      } catch (IllegalArgumentException e) {
        return "unreadable";
      }
    }

    private static String printable(String s) {
      String cut = s.length() > 40 ? s.substring(0, 40) + "..." : s;
      return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }
  }

  /** Rewrites the file with its header and one record per cluster, atomically, and reopens it for appending. */
  private void compact() throws IOException {
    if (channel != null) channel.close();
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      StringBuilder sb = new StringBuilder(HEADER).append('\n');
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

  static String crc(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  private static void line(StringBuilder sb, Alias a, Delivered d) {
    String body = a.value() + ' ' + d.epoch() + ' ' + d.checked();
    sb.append(body).append(' ').append(crc(body)).append('\n');
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
    StringBuilder sb = new StringBuilder(deliveries.size() * 42);
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
