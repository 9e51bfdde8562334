package io.herald.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Makes a CA and node certificates (PEM, PKCS#8 keys, IP SAN 127.0.0.1) with the openssl command, for raft TLS
 * tests. Nothing here is a mock: the certificates are real and the TLS handshakes are real.
 */
public final class TestCertificates {
  private final Path dir;

  public TestCertificates(Path dir) {
    this.dir = dir;
  }

  /** Creates {@code <name>-ca.pem} and {@code <name>-ca.key}. */
  public Path ca(String name) throws IOException, InterruptedException {
    Path key = dir.resolve(name + "-ca.key");
    Path cert = dir.resolve(name + "-ca.pem");
    run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(), "-out", cert.toString(),
        "-days", "2", "-subj", "/CN=" + name + "-ca");
    return cert;
  }

  /** Creates {@code <name>.pem} and {@code <name>.key} signed by the CA {@code caName}; returns {cert, key}. */
  public Path[] node(String name, String caName) throws IOException, InterruptedException {
    Path key = dir.resolve(name + ".key");
    Path csr = dir.resolve(name + ".csr");
    Path cert = dir.resolve(name + ".pem");
    Path ext = dir.resolve(name + ".ext");
    Files.writeString(ext, "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n");
    run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", key.toString());
    run("openssl", "req", "-new", "-key", key.toString(), "-out", csr.toString(), "-subj", "/CN=" + name);
    run("openssl", "x509", "-req", "-in", csr.toString(), "-CA", dir.resolve(caName + "-ca.pem").toString(), "-CAkey",
        dir.resolve(caName + "-ca.key").toString(), "-CAcreateserial", "-out", cert.toString(), "-days", "2",
        "-extfile", ext.toString());
    return new Path[] {cert, key};
  }

  private void run(String... cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) throw new IOException(String.join(" ", cmd) + " failed: " + out);
  }
}
