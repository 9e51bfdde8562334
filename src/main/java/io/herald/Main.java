package io.herald;

import io.herald.cli.AnalysisCommand;
import io.herald.cli.CertsCommand;
import io.herald.cli.TakeOverCommand;
import io.herald.cli.ClustersCommand;
import io.herald.cli.DiscoverCommand;
import io.herald.cli.ForgetCommand;
import io.herald.cli.InstancesCommand;
import io.herald.cli.ServerCommand;
import io.herald.cli.SetMasterCommand;
import io.herald.cli.StoresCommand;
import io.herald.cli.SubmitCommand;
import io.herald.cli.TopologyCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code herald} command: a server, and clients of its HTTP API. */
@Command(
    name = "herald",
    mixinStandardHelpOptions = true,
    version = "herald 0.1.0",
    description = "Publishes every MySQL cluster's master to Consul, ZooKeeper, etcd and an internal store.",
    subcommands = {ServerCommand.class, SetMasterCommand.class, SubmitCommand.class, ClustersCommand.class,
        StoresCommand.class, CertsCommand.class, TakeOverCommand.class, DiscoverCommand.class, ForgetCommand.class, TopologyCommand.class,
        InstancesCommand.class, AnalysisCommand.class})
public final class Main implements Runnable {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  @Spec CommandSpec spec;

  /** Runs a command line on the process' standard streams and returns its exit code (0 ok, 1 failed, 2 usage). */
  public static int run(String... args) {
    return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
  }

  /** Runs a command line printing to the given writers, flushed before returning; returns its exit code. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = new CommandLine(new Main());
    // orchestrator-client's recovery commands are methods of one class: each becomes a top-level command
    new CommandLine(new io.herald.cli.RecoveryCommands()).getSubcommands().forEach(cli::addSubcommand);
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("herald: " + e.getMessage());
      return 1;
    });
    cli.setParameterExceptionHandler((e, parsed) -> {
      e.getCommandLine().getErr().println("herald: " + e.getMessage());
      return 2;
    });
    try {
      return cli.execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
