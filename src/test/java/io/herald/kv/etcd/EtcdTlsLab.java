package io.herald.kv.etcd;

import io.herald.tls.CertificateAuthority;
import io.herald.tls.NodeCertificate;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private etcd speaking TLS on fixed loopback ports (below 32768, away from bin/test-servers' ports), with its
 * certificates made by Herald's own {@link CertificateAuthority}, and the PEM files a client needs.
 */
final class EtcdTlsLab implements AutoCloseable {
  final Path dir;
  final int clientPort;
  private Process etcd;

  private EtcdTlsLab(Path dir, int clientPort) {
    this.dir = dir;
    this.clientPort = clientPort;
  }

  /** PEM files of a certificate: {@code name.crt} and {@code name.key} in {@code dir}. */
  record Pem(Path cert, Path key) {}

  static Pem write(Path dir, String name, NodeCertificate c) throws IOException {
    Pem p = new Pem(dir.resolve(name + ".crt"), dir.resolve(name + ".key"));
    CertificateAuthority.write(c, p.cert(), p.key());
    return p;
  }

  static Path writeCa(Path dir, String name, CertificateAuthority ca) throws IOException {
    Path cert = dir.resolve(name + "-ca.crt");
    ca.writeTo(cert, dir.resolve(name + "-ca.key"));
    return cert;
  }

  /**
   * Starts etcd serving {@code server} on {@code https://H:clientPort} for every host H of {@code hosts}, requiring
   * client certificates signed by the CA in {@code clientCa}; waits until the port is open.
   */
  static EtcdTlsLab start(Path dir, String name, int clientPort, int peerPort, List<String> hosts, Pem server,
      Path clientCa) throws Exception {
    for (int port : new int[] {clientPort, peerPort}) {
      try (ServerSocket s = new ServerSocket()) {
        s.bind(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        throw new IllegalStateException("port " + port + " is taken (an etcd left by a killed run?): " + e.getMessage());
      }
    }
    List<String> urls = new ArrayList<>();
    for (String h : hosts) urls.add("https://" + h + ":" + clientPort);
    String clients = String.join(",", urls);
    String peer = "http://127.0.0.1:" + peerPort;
    Path data = dir.resolve(name + "-data");
    EtcdTlsLab lab = new EtcdTlsLab(dir, clientPort);
    lab.etcd = new ProcessBuilder("etcd", "--name", name, "--data-dir", data.toString(),
        "--listen-client-urls", clients, "--advertise-client-urls", urls.get(0),
        "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer, "--initial-cluster", name + "=" + peer,
        "--cert-file", server.cert().toString(), "--key-file", server.key().toString(),
        "--trusted-ca-file", clientCa.toString(), "--client-cert-auth")
        .redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      if (!lab.etcd.isAlive()) {
        throw new IllegalStateException("etcd " + name + " exited " + lab.etcd.exitValue() + ": "
            + Files.readString(dir.resolve(name + ".log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", clientPort), 500);
        break;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          lab.close();
          throw new IllegalStateException("etcd " + name + " did not open port " + clientPort + " in 30 s");
        }
        Thread.sleep(100);
      }
    }
    return lab;
  }

  String endpoint(String host) {
    return "https://" + host + ":" + clientPort;
  }

  /** Stops etcd: SIGTERM, then SIGKILL after 10 s. */
  @Override
  public void close() throws InterruptedException {
    if (etcd == null) return;
    etcd.destroy();
    if (!etcd.waitFor(10, TimeUnit.SECONDS)) {
      etcd.destroyForcibly();
      etcd.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
