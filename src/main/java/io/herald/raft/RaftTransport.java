package io.herald.raft;

/** How a node's raft port is protected; shown by {@code /api/raft-status} and {@code /metrics}. */
public enum RaftTransport {
  /** Mutual TLS with the operator's certificates: only holders of a certificate from the group's CA get in. */
  MUTUAL_TLS,
  /**
   * A standalone node: mutual TLS with a CA and certificate made in memory at start and never written anywhere, so
   * the port accepts only this process.
   */
  LOCAL_TLS,
  /** Plaintext, accepted explicitly ({@code RaftInsecureTransport}): anyone who reaches the port can write. */
  INSECURE
}
