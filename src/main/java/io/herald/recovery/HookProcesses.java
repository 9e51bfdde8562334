package io.herald.recovery;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs hook processes the way orchestrator does: each command through {@code bash -c}, one after another, with
 * {@code {placeholder}}s replaced and the same values in {@code ORC_*} environment variables. A command ending in
 * {@code &} runs in the background and its outcome is not waited for. Each has a timeout (then it is killed and
 * counts as failed); its output goes to the log, one line per line, at most 100 lines.
 */
final class HookProcesses {
  private static final Logger LOG = LoggerFactory.getLogger(HookProcesses.class);
  private static final int MAX_LOGGED_LINES = 100;

  /** The outcome of one process. */
  record Outcome(String hook, int index, String command, int exitCode, Duration took, boolean background) {
    boolean ok() {
      return exitCode == 0;
    }

    /** One line for the recovery's record. */
    String describe() {
      if (background) return hook + "[" + index + "] started in the background";
      return hook + "[" + index + "] " + (exitCode == TIMED_OUT ? "timed out" : exitCode == NOT_STARTED ? "could not start"
          : "exited " + exitCode) + " after " + took.toMillis() + " ms";
    }
  }

  static final int TIMED_OUT = -1;
  static final int NOT_STARTED = -2;
  private final Duration timeout;

  HookProcesses(Duration timeout) {
    this.timeout = timeout;
  }

  /**
   * Runs every command of a hook in order; with {@code stopOnFailure} (PreFailoverProcesses) it stops at the first
   * that fails. Returns the outcomes of those run.
   */
  List<Outcome> run(String hook, List<String> commands, Map<String, String> values, boolean stopOnFailure) {
    List<Outcome> out = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      Outcome o = runOne(hook, i, commands.get(i), values);
      out.add(o);
      if (stopOnFailure && !o.ok()) break;
    }
    return out;
  }

  /** {@code {failedHost}} and friends replaced by their values. */
  static String expand(String command, Map<String, String> values) {
    String s = command;
    for (Map.Entry<String, String> e : values.entrySet()) s = s.replace("{" + e.getKey() + "}", e.getValue());
    return s;
  }

  /** {@code failedHost} → {@code ORC_FAILED_HOST}. */
  static String envName(String placeholder) {
    return "ORC_" + placeholder.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  private Outcome runOne(String hook, int index, String command, Map<String, String> values) {
    String expanded = expand(command, values).trim();
    boolean background = expanded.endsWith("&");
    if (background) expanded = expanded.substring(0, expanded.length() - 1).trim();
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", expanded).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    for (Map.Entry<String, String> e : new TreeMap<>(values).entrySet()) env.put(envName(e.getKey()), e.getValue());
    long start = System.nanoTime();
    Process p;
    try {
      p = pb.start();
    } catch (IOException e) {
      LOG.warn("hook {}[{}] could not start: {}", hook, index, e.getMessage());
      return new Outcome(hook, index, command, NOT_STARTED, Duration.ZERO, background);
    }
    Thread reader = new Thread(() -> logOutput(hook, index, p), "hook-output");
    reader.setDaemon(true);
    reader.start();
    if (background) return new Outcome(hook, index, command, 0, Duration.ZERO, true);
    try {
      boolean done = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (!done) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        LOG.warn("hook {}[{}] killed after {} s (HookTimeoutSeconds)", hook, index, timeout.toSeconds());
        return new Outcome(hook, index, command, TIMED_OUT, took, false);
      }
      reader.join(1000);
      int code = p.exitValue();
      LOG.info("hook {}[{}] exited {} after {} ms", hook, index, code, took.toMillis());
      return new Outcome(hook, index, command, code, took, false);
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Outcome(hook, index, command, TIMED_OUT, Duration.ofNanos(System.nanoTime() - start), false);
    }
  }

  private static void logOutput(String hook, int index, Process p) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int n = 0;
      while ((line = r.readLine()) != null) {
        if (n++ < MAX_LOGGED_LINES) LOG.info("hook {}[{}]: {}", hook, index, line);
      }
    } catch (IOException e) {
      // the process ended or was killed
    }
  }
}
