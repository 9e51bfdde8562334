package io.herald.topology;

/** {@code Slave_IO_Running} of {@code SHOW SLAVE STATUS}: whether the replica is connected to its source. */
public enum IoThread {
  /** Connected and receiving (or waiting for) events. */
  YES,
  /** Trying to (re)connect: the source is not reachable from this replica right now. */
  CONNECTING,
  /** Stopped (by an operator or an error). */
  NO;

  /** Reads the server's text ({@code Yes}, {@code Connecting}, {@code No}); anything else is {@link #NO}. */
  public static IoThread parse(String text) {
    if (text == null) return NO;
    return switch (text.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "yes" -> YES;
      case "connecting", "preparing" -> CONNECTING; // MariaDB shows Preparing between Connecting and Yes
      default -> NO;
    };
  }
}
