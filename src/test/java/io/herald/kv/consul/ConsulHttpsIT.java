package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.herald.kv.KvStoreException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https to a stand-in for Consul (the JDK's HttpsServer with a self-signed certificate made by keytool): trusted
 * through the CA file, refused with the system trust, accepted unverified only when asked.
 */
class ConsulHttpsIT {
  private static final String PASS = "changeit";
  @TempDir static Path dir;
  private static HttpsServer server;
  private static Path caFile;

  @BeforeAll
  static void startServer() throws Exception {
    Path ks = dir.resolve("server.p12");
    caFile = dir.resolve("ca.pem");
    keytool("-genkeypair", "-alias", "consul", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", ks.toString(), "-storetype", "PKCS12",
        "-storepass", PASS, "-keypass", PASS);
    keytool("-exportcert", "-rfc", "-alias", "consul", "-keystore", ks.toString(), "-storepass", PASS,
        "-file", caFile.toString());
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(ks)) {
      keys.load(in, PASS.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASS.toCharArray());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), null, null);
    server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ctx));
    server.createContext("/v1/kv/", exchange -> {
      byte[] body = "[{\"Key\":\"k\",\"Value\":\"aGk=\",\"ModifyIndex\":1}]".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
  }

  @AfterAll
  static void stopServer() {
    if (server != null) server.stop(0);
  }

  private static void keytool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
  }

  private static ConsulKvStore store(Optional<Path> ca, boolean skipVerify) {
    return new ConsulKvStore("consul", new ConsulOptions("127.0.0.1:" + server.getAddress().getPort(), "https",
        Optional.empty(), true, 64, false, ca, skipVerify, Duration.ofSeconds(5)));
  }

  @Test
  void aCertificateSignedByTheCaFileIsTrusted() throws Exception {
    try (ConsulKvStore s = store(Optional.of(caFile), false)) {
      s.start();
      assertThat(s.get("k")).contains("hi");
    }
  }

  @Test
  void withTheSystemTrustAnUnknownCertificateIsRefused() throws Exception {
    try (ConsulKvStore s = store(Optional.empty(), false)) {
      s.start();
      KvStoreException e = catchThrowableOfType(KvStoreException.class, () -> s.get("k"));
      assertThat(e).isNotNull();
      assertThat(e.getMessage()).containsIgnoringCase("SSL");
    }
  }

  @Test
  void skipVerifyAcceptsAnyCertificate() throws Exception {
    try (ConsulKvStore s = store(Optional.empty(), true)) {
      s.start();
      assertThat(s.get("k")).contains("hi");
    }
  }
}
