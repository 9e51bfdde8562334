package io.herald.cli;

import io.herald.HeraldNode;
import io.herald.config.ConfigException;
import io.herald.config.ConfigLoader;
import io.herald.config.HeraldConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a Herald node until it is stopped (SIGTERM / Ctrl-C close it cleanly). */
@Command(name = "server", mixinStandardHelpOptions = true,
    description = "Run a Herald node (embedded defaults: HTTP 127.0.0.1:3000, data in ./herald-data, internal store).")
public final class ServerCommand implements Callable<Integer> {
  @Option(names = {"--config", "-c"}, paramLabel = "FILE", description = "JSON config (orchestrator's key names)")
  Path config;

  @Override
  public Integer call() throws IOException, InterruptedException {
    ConfigLoader loader = new ConfigLoader(System.getenv());
    HeraldConfig cfg;
    try {
      cfg = config == null ? loader.defaults() : loader.load(config);
    } catch (ConfigException e) {
      throw new CliException("bad config: " + e.getMessage());
    }
    HeraldNode node = new HeraldNode(cfg, why -> {
      // exit off the health thread: the shutdown hook closes the node, and a supervisor restarts it
      Thread exit = new Thread(() -> System.exit(3), "exit");
      exit.start();
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      node.close();
      stopped.countDown();
    }, "shutdown"));
    node.start();
    stopped.await();
    return 0;
  }
}
