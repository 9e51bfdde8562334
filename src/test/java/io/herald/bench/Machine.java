package io.herald.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/** What a figure was measured on: the date, the CPUs, the JVM, and how busy the (shared) machine was. */
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

  static String describe() {
    Runtime rt = Runtime.getRuntime();
    return "date " + ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME)
        + "; cpus " + rt.availableProcessors()
        + "; java " + System.getProperty("java.vm.name") + " " + Runtime.version()
        + "; max heap " + rt.maxMemory() / (1024 * 1024) + " MB"
        + "; loadavg " + load() + " (shared machine: other builds may be running)";
  }
}
