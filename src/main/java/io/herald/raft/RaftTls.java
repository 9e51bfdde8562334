package io.herald.raft;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Mutual TLS for the raft transport: every node presents {@code certFile} (PEM, with {@code keyFile} a PKCS#8 PEM
 * key) and accepts only peers whose certificate is signed by {@code caFile}. A host without such a certificate can
 * neither join nor feed the group. Certificates must name the node's address (e.g. an IP SAN of 127.0.0.1).
 */
public record RaftTls(Path certFile, Path keyFile, Path caFile) {
  public RaftTls {
    Objects.requireNonNull(certFile, "certFile");
    Objects.requireNonNull(keyFile, "keyFile");
    Objects.requireNonNull(caFile, "caFile");
  }
}
