package io.herald.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileDeliveryLogTest {
  private static final Alias ORDERS = Alias.of("orders");
  private static final Alias USERS = Alias.of("users");

  @TempDir Path dir;

  private Path file() {
    return dir.resolve("stores").resolve("consul.delivered");
  }

  @Test
  void anUnknownClusterHasNothingDelivered() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(Delivered.NOTHING);
    }
    assertThat(file()).exists();
  }

  @Test
  void recordsSurviveReopening() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 2), USERS, new Delivered(7, 0)));
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 2));
    }
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 2));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
  }

  @Test
  void theNewestRecordWins() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 0)));
      log.record(Map.of(ORDERS, new Delivered(9, 3)));
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(9, 3));
    }
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(9, 3));
    }
  }

  @Test
  void aTornLastLineIsIgnoredAndTheLogStillWorks() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 0)));
      log.record(Map.of(USERS, new Delivered(7, 0)));
    }
    append("orders 1"); // a crash in the middle of "orders 12 0\n"

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 0));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
      log.record(Map.of(ORDERS, new Delivered(12, 0)));
    }
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(12, 0));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
  }

  @Test
  void garbageWithoutANewlineIsIgnored() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 1)));
    }
    append("x/y z? w");
    append("\u0000\u0000\u0000");

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 1));
      log.record(Map.of(USERS, new Delivered(3, 0)));
    }
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(USERS)).isEqualTo(new Delivered(3, 0));
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 1));
    }
  }

  @Test
  void aTornLineWithANonNumberIsIgnored() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 1)));
    }
    append("orders 9 x");
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 1));
    }
  }

  @Test
  void reopeningCompactsToOneLinePerCluster() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      for (int i = 1; i <= 20; i++) {
        log.record(Map.of(ORDERS, new Delivered(i, 0), USERS, new Delivered(i + 100, i)));
      }
    }
    assertThat(Files.readAllLines(file())).hasSize(41);

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(Files.readAllLines(file())).containsExactlyInAnyOrder(FileDeliveryLog.HEADER,
          "orders 20 0 " + FileDeliveryLog.crc("orders 20 0"), "users 120 20 " + FileDeliveryLog.crc("users 120 20"));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(120, 20));
    }
    assertThat(dir.resolve("stores").resolve("consul.delivered.tmp")).doesNotExist();
  }

  @Test
  void recordingNothingWritesNothing() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of());
    }
    assertThat(Files.readAllLines(file())).containsExactly(FileDeliveryLog.HEADER);
  }

  @Test
  void twoHundredRandomBytesAppendedAreDroppedAndTheGoodRecordsKept() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 1), USERS, new Delivered(7, 0)));
    }
    byte[] noise = new byte[200];
    new java.util.Random(42).nextBytes(noise);
    noise[17] = '\n'; // several "lines" of noise, not just a torn tail
    noise[90] = '\n';
    noise[91] = (byte) 0xff; // never valid UTF-8: a strict reader failed here with "Input length = 1"
    Files.write(file(), noise, StandardOpenOption.APPEND);

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(5, 1));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
    assertThat(Files.readAllLines(file())).hasSize(3); // rewritten clean: header and two records
  }

  @Test
  void aRecordWhoseEpochWasGarbledIsDroppedNotTrusted() throws IOException {
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      log.record(Map.of(ORDERS, new Delivered(5, 1), USERS, new Delivered(7, 0)));
    }
    String text = Files.readString(file()).replaceFirst("(?m)^orders 5 ", "orders 99999999 ");
    Files.writeString(file(), text);

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(Delivered.NOTHING); // re-checked against the store, never "it holds it"
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
  }

  @Test
  void aVersionOneFileWithoutChecksumsStillLoadsAndIsRewrittenAsVersionTwo() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "orders 5 1\nusers 7 0\norders 9 2\n");

    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(9, 2));
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
    assertThat(Files.readAllLines(file())).first().isEqualTo(FileDeliveryLog.HEADER);
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(new Delivered(9, 2));
    }
  }

  @Test
  void aVersionOneRecordWithANegativeEpochIsDropped() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "orders -5 1\nusers 7 0\n");
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(Delivered.NOTHING);
      assertThat(log.get(USERS)).isEqualTo(new Delivered(7, 0));
    }
  }

  @Test
  void aFileOfAnUnknownVersionIsDroppedWhole() throws IOException {
    Files.createDirectories(file().getParent());
    Files.writeString(file(), "herald-delivery-log 3\norders 5 1 whatever\n");
    try (FileDeliveryLog log = FileDeliveryLog.open(file())) {
      assertThat(log.get(ORDERS)).isEqualTo(Delivered.NOTHING);
    }
    assertThat(Files.readAllLines(file())).containsExactly(FileDeliveryLog.HEADER);
  }

  @Test
  void whatWasDroppedIsDescribedInOneLine() {
    String good = "orders 5 1 " + FileDeliveryLog.crc("orders 5 1");
    String text = FileDeliveryLog.HEADER + "\n" + good + "\nusers 7 0 00000000\nbilling 3";
    FileDeliveryLog.Loaded loaded = FileDeliveryLog.Loaded.parse(text.getBytes(StandardCharsets.UTF_8));
    assertThat(loaded.records()).containsOnlyKeys(ORDERS);
    assertThat(loaded.problem()).isEqualTo("dropped 1 corrupt records (first at line 3: checksum mismatch); "
        + "dropped a torn last line 4 (normal after a crash)");
  }

  private void append(String text) throws IOException {
    Files.writeString(file(), text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  @Test
  void theFileStaysSmallWhileTheSameClustersAreRecordedOverAndOver() throws Exception {
    Path file = dir.resolve("grow.log");
    try (FileDeliveryLog log = FileDeliveryLog.open(file)) {
      for (int round = 1; round <= 12; round++) {
        java.util.Map<Alias, Delivered> batch = new java.util.HashMap<>();
        for (int k = 0; k < 1000; k++) batch.put(Alias.of("c" + k), new Delivered(round, round));
        log.record(batch);
      }
      assertThat(java.nio.file.Files.readAllLines(file).size()).isLessThanOrEqualTo(4000);
    }
    try (FileDeliveryLog reopened = FileDeliveryLog.open(file)) {
      assertThat(reopened.get(Alias.of("c999"))).isEqualTo(new Delivered(12, 12));
      assertThat(java.nio.file.Files.readAllLines(file)).hasSize(1001);
    }
  }
}
