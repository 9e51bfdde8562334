package io.herald.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;

/** A private key and the certificate that goes with it (a node's, or a CA's). */
public record NodeCertificate(PrivateKey key, X509Certificate certificate) {
  public NodeCertificate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(certificate, "certificate");
  }

  @Override
  public String toString() {
    return "NodeCertificate[" + certificate.getSubjectX500Principal() + "]"; // never the key
  }
}
