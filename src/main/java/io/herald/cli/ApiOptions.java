package io.herald.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The {@code --api} option shared by client commands: the node to talk to, and where the command prints. */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "URL",
      description = "Herald API URL (default: $HERALD_API, else http://127.0.0.1:3000)")
  String api;

  @Spec(Spec.Target.MIXEE) CommandSpec command;

  ApiClient client() {
    String url = api != null ? api : System.getenv().getOrDefault("HERALD_API", "http://127.0.0.1:3000");
    return new ApiClient(url, System.getenv());
  }

  /** The command's standard output (the caller's writer, not necessarily System.out). */
  PrintWriter out() {
    return command.commandLine().getOut();
  }
}
