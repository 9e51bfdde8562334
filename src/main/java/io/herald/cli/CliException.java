package io.herald.cli;

/** A client command failed; the message is the one line printed to stderr. */
final class CliException extends RuntimeException {
  CliException(String message) {
    super(message);
  }
}
