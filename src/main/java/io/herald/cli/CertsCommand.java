package io.herald.cli;

import io.herald.cluster.HostPort;
import io.herald.tls.CertificateAuthority;
import io.herald.tls.NodeCertificate;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Makes what raft mutual TLS needs: a CA (kept in the directory, so nodes added later get certificates from the
 * same CA) and a certificate per node naming its raft host. Prints the config keys for each node.
 */
@Command(name = "certs", mixinStandardHelpOptions = true,
    description = "Create a CA (unless DIR has one) and a raft TLS certificate for each node, then print each node's "
        + "RaftTLS* config keys.")
public final class CertsCommand implements Callable<Integer> {
  private static final Duration VALIDITY = Duration.ofDays(3650);

  @Spec CommandSpec spec;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "where the CA and the certificates go")
  Path dir;

  @Parameters(paramLabel = "HOST:PORT", arity = "1..*", description = "each node's raft address (RaftAdvertise)")
  List<String> nodes;

  @Override
  public Integer call() throws IOException {
    for (String n : nodes) {
      try {
        HostPort.parse(n);
      } catch (IllegalArgumentException e) {
        throw new CliException("node " + n + ": " + e.getMessage());
      }
    }
    Files.createDirectories(dir);
    Path caCert = dir.resolve("ca.pem");
    Path caKey = dir.resolve("ca-key.pem");
    CertificateAuthority ca;
    PrintWriter out = spec.commandLine().getOut();
    if (Files.exists(caCert) || Files.exists(caKey)) {
      try {
        ca = CertificateAuthority.read(caCert, caKey);
      } catch (IOException e) {
        throw new CliException("cannot use the CA in " + dir + ": " + e.getMessage());
      }
      out.println("using the CA in " + caCert);
    } else {
      ca = CertificateAuthority.create("herald-raft-ca", VALIDITY);
      ca.writeTo(caCert, caKey);
      out.println("created a CA: " + caCert + " (keep " + caKey + " private; it signs new nodes)");
    }
    for (String n : nodes) {
      HostPort hp = HostPort.parse(n);
      String name = hp.host().replace(':', '_') + "_" + hp.port();
      Path cert = dir.resolve(name + ".pem");
      Path key = dir.resolve(name + "-key.pem");
      NodeCertificate c = ca.issue(hp.host(), VALIDITY);
      CertificateAuthority.write(c, cert, key);
      out.println(n + ": \"RaftTLSCertFile\": \"" + cert.toAbsolutePath() + "\", \"RaftTLSKeyFile\": \""
          + key.toAbsolutePath() + "\", \"RaftTLSCAFile\": \"" + caCert.toAbsolutePath() + "\"");
    }
    return 0;
  }
}
