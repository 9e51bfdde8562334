package io.herald.cli;

import picocli.CommandLine.Option;

/** The {@code --api} option shared by client commands: the node to talk to. */
final class ApiOptions {
  @Option(names = "--api", paramLabel = "URL",
      description = "Herald API URL (default: $HERALD_API, else http://127.0.0.1:3000)")
  String api;

  ApiClient client() {
    String url = api != null ? api : System.getenv().getOrDefault("HERALD_API", "http://127.0.0.1:3000");
    return new ApiClient(url, System.getenv());
  }
}
