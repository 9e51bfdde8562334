package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.cluster.HostPort;

/** Instance keys on the command line and in the API's JSON ({@code {"Hostname":..,"Port":..}}). */
final class InstanceKey {
  private InstanceKey() {}

  /** {@code host:port} from the command line; a bad one is a {@link CliException} naming what is wrong. */
  static HostPort parse(String text) {
    try {
      return HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new CliException(e.getMessage());
    }
  }

  /** The {@code :host/:port} path segments of the API. */
  static String path(HostPort key) {
    return ApiClient.segment(key.host()) + "/" + key.port();
  }

  /** {@code host:port} of a JSON key; {@code -} for orchestrator's empty key (no master). */
  static String text(JsonNode key) {
    String host = key.path("Hostname").asText("");
    return host.isEmpty() ? "-" : host + ":" + key.path("Port").asInt();
  }
}
