package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

/**
 * What a figure was measured on: the date, the commit, the CPUs, the JVM, and how busy the (shared) machine was.
 */
final class Machine {
  private Machine() {}

  /** The first three fields of /proc/loadavg (1, 5 and 15 minute load), or why they are unknown. */
  static String load() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException | RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  /**
   * The commit checked out in the working directory ({@code git rev-parse --short HEAD}), marked {@code +changes}
   * when files differ from it, or why it is unknown. Waits at most 5 s per git command.
   */
  static String commit() {
    try {
      String head = git("rev-parse", "--short", "HEAD");
      return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "+changes";
    } catch (IOException e) {
      return "unknown (" + e.getMessage() + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown (interrupted)";
    }
  }

  private static String git(String... args) throws IOException, InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "git";
    System.arraycopy(args, 0, cmd, 1, args.length);
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    if (!p.waitFor(5, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("git " + args[0] + " took over 5 s");
    }
    String text = new String(p.getInputStream().readAllBytes()).trim();
    if (p.exitValue() != 0) throw new IOException("git " + args[0] + ": " + text);
    return text;
  }

  static String describe() {
    Runtime rt = Runtime.getRuntime();
    return "date " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + "; commit " + commit()
        + "; cpus " + rt.availableProcessors()
        + "; java " + System.getProperty("java.vm.name") + " " + Runtime.version()
        + "; max heap " + rt.maxMemory() / (1024 * 1024) + " MB"
        + "; loadavg " + load() + " (shared machine: other builds may be running)";
  }
}
