package io.herald;

import io.herald.cli.ClustersCommand;
import io.herald.cli.ServerCommand;
import io.herald.cli.SetMasterCommand;
import io.herald.cli.StoresCommand;
import io.herald.cli.SubmitCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code herald} command: a server, and clients of its HTTP API. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    version = "herald 0.1.0",
    description = "Publishes every MySQL cluster's master to Consul, ZooKeeper, etcd and an internal store.",
    subcommands = {ServerCommand.class, SetMasterCommand.class, SubmitCommand.class, ClustersCommand.class,
        StoresCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (0 ok, 1 failed, 2 usage). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new Main());
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("herald: " + e.getMessage());
      return 1;
    });
    cli.setParameterExceptionHandler((e, parsed) -> {
      e.getCommandLine().getErr().println("herald: " + e.getMessage());
      return 2;
    });
    return cli.execute(args);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
