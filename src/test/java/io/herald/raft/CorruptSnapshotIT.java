package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.testing.InProcessNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot whose bytes no longer match the MD5 saved with it stops the node at start, with a message naming the
 * file and what to do (before, it loaded silently and anti-entropy copied its values into every store).
 */
class CorruptSnapshotIT {
  @TempDir Path dir;

  @Test
  void aCorruptSnapshotStopsStartupNamingTheFile() throws Exception {
    Path data = dir.resolve("d");
    try (InProcessNode node = InProcessNode.start(data, "")) {
      assertThat(node.post("/api/set-master/k1/10.201.0.1/3306").status()).isEqualTo(200);
      assertThat(node.post("/api/raft-snapshot").status()).isEqualTo(200);
    }
    Path snapshot = newestSnapshot(data);
    byte[] bytes = Files.readAllBytes(snapshot);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("10.201.0.1");
    assertThat(at).isPositive();
    bytes[at + 3] = '6'; // 10.601.0.1: what the adversarial test did, 3 bytes changed, .md5 left in place
    Files.write(snapshot, bytes);
    assertThatThrownBy(() -> InProcessNode.start(data, "").close())
        .hasStackTraceContaining("raft snapshot " + snapshot.toFile())
        .hasStackTraceContaining("is corrupt");
  }

  @Test
  void onlyTheNewestSnapshotsAreKeptAndUnfinishedOnesAreDeletedAtStart() throws Exception {
    Path data = dir.resolve("keep");
    try (InProcessNode node = InProcessNode.start(data, "")) {
      for (int i = 1; i <= 8; i++) {
        assertThat(node.post("/api/set-master/k" + i + "/10.201.0." + i + "/3306").status()).isEqualTo(200);
        assertThat(node.post("/api/raft-snapshot").status()).isEqualTo(200);
      }
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> snapshots(data).size() <= 3);
    }
    Path stale = newestSnapshot(data).resolveSibling("snapshot.1_999.tmp");
    Files.writeString(stale, "half");
    try (InProcessNode node = InProcessNode.start(data, "")) {
      assertThat(stale).doesNotExist();
      assertThat(node.get("/api/master/k8").status()).isEqualTo(200);
    }
  }

  private static List<Path> snapshots(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve("raft"))) {
      return files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
          && !p.getFileName().toString().endsWith(".md5")).toList();
    }
  }

  private static Path newestSnapshot(Path data) throws Exception {
    try (Stream<Path> files = Files.walk(data.resolve("raft"))) {
      List<Path> snaps = files.filter(p -> p.getFileName().toString().startsWith("snapshot.")
          && !p.getFileName().toString().endsWith(".md5")).sorted().toList();
      assertThat(snaps).isNotEmpty();
      return snaps.get(snaps.size() - 1);
    }
  }
}
