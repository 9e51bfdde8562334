package io.herald.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.testing.FreePort;
import io.herald.testing.HeraldProcess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health tells the truth: a node whose raft server Ratis closed after a long pause exits non-zero for its supervisor
 * (it used to live on answering 503 to writes and 200 to /api/health), and a node whose disk fills reports it on
 * /api/health, then recovers or exits once space is back.
 */
class NodeHealthIT {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private int status(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private int post(String url) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  @Test
  void aNodeWhoseRaftServerWasClosedByALongPauseExitsNonZero() throws Exception {
    int port = FreePort.pick();
    Path cfg = dir.resolve("pause.json");
    Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftDataDir\": \"" + dir.resolve("d")
        + "\", \"RaftCloseThresholdSeconds\": 2 }");
    try (HeraldProcess node = new HeraldProcess(cfg, port).start()) {
      await().atMost(Duration.ofSeconds(20)).until(() -> status(node.base() + "/api/health") == 200);
      node.signal("STOP");
      try {
        Thread.sleep(4_000); // the fault itself: a pause of twice the close threshold
      } finally {
        node.signal("CONT");
      }
      assertThat(node.process().waitFor(30, TimeUnit.SECONDS)).as("the node exits").isTrue();
      assertThat(node.process().exitValue()).isEqualTo(3);
    }
  }

  @Test
  void aFullDiskFailsHealthAndTheNodeRecoversOrExitsWhenSpaceIsBack() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a small tmpfs needs root");
    Path mnt = dir.resolve("small");
    Files.createDirectories(mnt);
    int mounted = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mnt.toString()).inheritIO().start().waitFor();
    // a container without the right to mount cannot make a small disk: the test does not apply there
    Assumptions.assumeTrue(mounted == 0, "mount -t tmpfs is not permitted here");
    try {
      int port = FreePort.pick();
      Path cfg = dir.resolve("disk.json");
      Files.writeString(cfg, "{ \"ListenAddress\": \"127.0.0.1:" + port + "\", \"RaftDataDir\": \"" + mnt.resolve("d")
          + "\", \"RaftLogSegmentSizeKB\": 256 }");
      try (HeraldProcess node = new HeraldProcess(cfg, port).start()) {
        await().atMost(Duration.ofSeconds(20)).until(() -> status(node.base() + "/api/health") == 200);
        Path ballast = mnt.resolve("ballast");
        // leave about 300 KB free
        long free = Files.getFileStore(mnt).getUsableSpace();
        try (var ch = java.nio.channels.FileChannel.open(ballast, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE)) {
          byte[] block = new byte[1 << 16];
          for (long written = 0; written < free - 300 * 1024; written += block.length) ch.write(java.nio.ByteBuffer.wrap(block));
        }
        int refused = 0;
        for (int i = 0; i < 5000 && refused == 0; i++) {
          if (post(node.base() + "/api/set-master/full" + i + "/10.7." + (i / 250) + "." + (i % 250 + 1) + "/3306") != 200) refused++;
        }
        assertThat(refused).as("writes fail once the disk is full").isPositive();
        await().atMost(Duration.ofSeconds(20)).until(() -> status(node.base() + "/api/health") == 503 || !node.process().isAlive());
        Files.delete(ballast);
        // space is back: the node either heals (health 200 and writes work again) or exits for a restart
        await().atMost(Duration.ofSeconds(30)).until(() -> !node.process().isAlive()
            || (status(node.base() + "/api/health") == 200 && post(node.base() + "/api/set-master/after/10.8.0.1/3306") == 200));
        if (!node.process().isAlive()) assertThat(node.process().exitValue()).isNotZero();
      }
    } finally {
      new ProcessBuilder("umount", "-l", mnt.toString()).inheritIO().start().waitFor();
    }
  }
}
