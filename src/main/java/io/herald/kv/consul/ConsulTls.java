package io.herald.kv.consul;

import io.herald.kv.TrustAll;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** How https connections to Consul are verified: against a PEM CA bundle, or (when asked) not at all. */
final class ConsulTls {
  private ConsulTls() {}

  /**
   * A context that trusts exactly the certificates in a PEM file (one or more {@code BEGIN CERTIFICATE} blocks).
   *
   * @throws IOException when the file cannot be read
   * @throws GeneralSecurityException when it holds no certificate or one that does not parse
   */
  static SSLContext trusting(Path pemFile) throws IOException, GeneralSecurityException {
    Collection<? extends Certificate> certs;
    try (InputStream in = Files.newInputStream(pemFile)) {
      certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certs.isEmpty()) throw new GeneralSecurityException("no certificate in " + pemFile);
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    int i = 0;
    for (Certificate c : certs) trust.setCertificateEntry("ca-" + i++, c);
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
    return ctx;
  }

  /** A context that accepts any certificate: for {@code ConsulSSLSkipVerify} only. */
  static SSLContext trustingAnyone() throws GeneralSecurityException {
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
    return ctx;
  }
}
