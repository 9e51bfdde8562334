package io.herald.kv.etcd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.herald.kv.KvStore;
import io.herald.kv.KvStoreContract;
import io.herald.kv.KvStoreException;
import io.herald.kv.WriteOutcome;
import io.herald.tls.CertificateAuthority;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store contract over mutual TLS against a real etcd ({@code --client-cert-auth}), and every way TLS must
 * refuse: no client certificate, a server certificate from another CA, a server name the certificate does not
 * hold; and {@code EtcdSSLSkipVerify}, which connects to that other CA's server anyway.
 *
 * <p>Two private etcd processes: {@code tls} on https://127.0.0.1:24379 and https://127.0.0.2:24379 with a
 * certificate for 127.0.0.1 (and localhost) from Herald's CA, {@code other} on https://127.0.0.1:24381 with one from
 * another CA. Both require client certificates from Herald's CA. Certificates are EC P-256, as
 * {@link CertificateAuthority} makes them; etcd 3.4 takes them as they are.
 */
class EtcdTlsIT extends KvStoreContract {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);
  @TempDir static Path dir;
  private static EtcdTlsLab tls;
  private static EtcdTlsLab other;
  private static Path ca;
  private static EtcdTlsLab.Pem client;
  private static Client direct;

  @BeforeAll
  static void startEtcds() throws Exception {
    CertificateAuthority herald = CertificateAuthority.create("herald-test-etcd-ca", Duration.ofDays(1));
    CertificateAuthority stranger = CertificateAuthority.create("some-other-ca", Duration.ofDays(1));
    ca = EtcdTlsLab.writeCa(dir, "herald", herald);
    EtcdTlsLab.writeCa(dir, "other", stranger);
    EtcdTlsLab.Pem server = EtcdTlsLab.write(dir, "server", herald.issue("127.0.0.1", Duration.ofDays(1)));
    EtcdTlsLab.Pem otherServer = EtcdTlsLab.write(dir, "other-server", stranger.issue("127.0.0.1", Duration.ofDays(1)));
    client = EtcdTlsLab.write(dir, "client", herald.issue("herald-client", Duration.ofDays(1)));
    tls = EtcdTlsLab.start(dir, "tls", 24379, 24380, List.of("127.0.0.1", "127.0.0.2"), server, ca);
    other = EtcdTlsLab.start(dir, "other", 24381, 24382, List.of("127.0.0.1"), otherServer, ca);
    direct = Client.builder().sslContext(EtcdTls.context(mutual(Optional.empty())))
        .endpoints(tls.endpoint("127.0.0.1")).build();
  }

  @AfterAll
  static void stopEtcds() throws Exception {
    if (direct != null) direct.close();
    if (tls != null) tls.close();
    if (other != null) other.close();
  }

  private static EtcdOptions.Tls mutual(Optional<String> serverName) {
    return new EtcdOptions.Tls(Optional.of(ca), Optional.of(client.cert()), Optional.of(client.key()), serverName, false);
  }

  private static EtcdKvStore store(String name, String endpoint, EtcdOptions.Tls t) {
    return new EtcdKvStore(name, new EtcdOptions(EtcdOptions.parseEndpoints(endpoint), Optional.empty(),
        Optional.empty(), t, TIMEOUT));
  }

  @Override
  protected KvStore newStore() {
    return store("etcd-tls", tls.endpoint("127.0.0.1"), mutual(Optional.empty()));
  }

  @Override
  protected void tamper(String key, String value) throws Exception {
    ByteSequence k = ByteSequence.from(key, StandardCharsets.UTF_8);
    if (value == null) {
      direct.getKVClient().delete(k).get(5, TimeUnit.SECONDS);
    } else {
      direct.getKVClient().put(k, ByteSequence.from(value, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
    }
  }

  /** Writing fails with a non-retryable store exception, within the timeout, whose message is returned. */
  private String refused(EtcdKvStore s) throws Exception {
    try (s) {
      s.start();
      long start = System.nanoTime();
      Throwable[] caught = new Throwable[1];
      assertThatThrownBy(() -> s.write(List.of(entries("c1", "127.0.0.5", 3306, 7))))
          .isInstanceOfSatisfying(KvStoreException.class, e -> caught[0] = e);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
      System.out.println(s.name() + ": " + caught[0].getMessage());
      assertThat(((KvStoreException) caught[0]).retryable()).isFalse();
      // a health check is a read: it fails the same way, as fast
      start = System.nanoTime();
      assertThatThrownBy(() -> s.get(layout.masterKey(io.herald.cluster.Alias.of("c1"))))
          .isInstanceOf(KvStoreException.class).hasMessageContaining("TLS handshake with etcd failed");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
      assertThat(caught[0].getMessage()).doesNotContain("PRIVATE KEY").doesNotContain(Files.readString(client.key())
          .lines().skip(1).findFirst().orElseThrow());
      return caught[0].getMessage();
    }
  }

  @Test
  void theAddressShowsHttpsAndTheStoreWorksOverMutualTls() throws Exception {
    assertThat(store.address()).isEqualTo("https://127.0.0.1:24379");
    assertThat(store.write(List.of(entries("c1", "127.0.0.5", 3306, 7))).values()).containsOnly(WriteOutcome.WRITTEN);
    assertThat(direct.getKVClient().get(ByteSequence.from(layout.masterKey(io.herald.cluster.Alias.of("c1")),
        StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS).getKvs()).hasSize(1);
  }

  @Test
  void aClientWithoutACertificateIsRefused() throws Exception {
    var noCert = new EtcdOptions.Tls(Optional.of(ca), Optional.empty(), Optional.empty(), Optional.empty(), false);
    String m = refused(store("no-client-cert", tls.endpoint("127.0.0.1"), noCert));
    assertThat(m).contains("TLS").contains("EtcdCertFile");
  }

  @Test
  void aClientCertificateFromAnotherCaIsRefused() throws Exception {
    EtcdTlsLab.Pem stranger = EtcdTlsLab.write(dir, "stranger-client",
        CertificateAuthority.create("stranger-ca", Duration.ofDays(1)).issue("herald-client", Duration.ofDays(1)));
    var t = new EtcdOptions.Tls(Optional.of(ca), Optional.of(stranger.cert()), Optional.of(stranger.key()),
        Optional.empty(), false);
    assertThat(refused(store("stranger-client", tls.endpoint("127.0.0.1"), t))).contains("EtcdCertFile");
  }

  @Test
  void httpsToAPlainTextEtcdIsRefused() throws Exception {
    String plain = io.herald.testing.TestServers.etcd().replace("http://", "https://");
    var skip = new EtcdOptions.Tls(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
    try (EtcdKvStore s = store("https-to-plain", plain, skip)) {
      s.start();
      long start = System.nanoTime();
      // retryable: a closed connection may also be a server going away
      assertThatThrownBy(() -> s.write(List.of(entries("c1", "127.0.0.5", 3306, 7))))
          .isInstanceOf(KvStoreException.class).hasMessageContaining("does the endpoint speak TLS");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }
  }

  @Test
  void plainTextToATlsEtcdFailsFast() throws Exception {
    try (EtcdKvStore s = new EtcdKvStore("http-to-tls", new EtcdOptions(EtcdOptions.parseEndpoints("http://127.0.0.1:"
        + tls.clientPort), Optional.empty(), Optional.empty(), TIMEOUT))) {
      s.start();
      long start = System.nanoTime();
      assertThatThrownBy(() -> s.write(List.of(entries("c1", "127.0.0.5", 3306, 7))))
          .isInstanceOf(KvStoreException.class).hasMessageContaining("use https:// endpoints and EtcdCAFile");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(TIMEOUT.plusSeconds(2));
    }
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefused() throws Exception {
    String m = refused(store("other-ca", other.endpoint("127.0.0.1"), mutual(Optional.empty())));
    assertThat(m).contains("TLS").contains("EtcdCAFile");
  }

  @Test
  void aServerNameTheCertificateDoesNotHoldIsRefused() throws Exception {
    // the certificate names 127.0.0.1 and localhost; 127.0.0.2 is the same etcd under a name it does not hold
    String m = refused(store("wrong-host", tls.endpoint("127.0.0.2"), mutual(Optional.empty())));
    assertThat(m).contains("TLS").contains("EtcdServerName");
    refused(store("wrong-name", tls.endpoint("127.0.0.1"), mutual(Optional.of("etcd.wrong.test"))));
  }

  @Test
  void aMatchingServerNameIsAccepted() throws Exception {
    for (var c : List.of(List.of("127.0.0.2", "127.0.0.1"), List.of("127.0.0.2", "localhost"))) {
      try (EtcdKvStore s = store("named-" + c.get(1), tls.endpoint(c.get(0)), mutual(Optional.of(c.get(1))))) {
        s.start();
        s.write(List.of(entries("named", "127.0.0.6", 3306, 1)));
        assertThat(s.get(layout.masterKey(io.herald.cluster.Alias.of("named")))).contains("127.0.0.6:3306");
      }
    }
  }

  @Test
  void skipVerifyConnectsToTheServerOfAnotherCa() throws Exception {
    var skip = new EtcdOptions.Tls(Optional.empty(), Optional.of(client.cert()), Optional.of(client.key()),
        Optional.empty(), true);
    try (EtcdKvStore s = store("skip-verify", other.endpoint("127.0.0.1"), skip)) {
      s.start();
      assertThat(s.write(List.of(entries("c1", "127.0.0.5", 3306, 7))).values()).containsOnly(WriteOutcome.WRITTEN);
      assertThat(s.get(layout.masterKey(io.herald.cluster.Alias.of("c1")))).contains("127.0.0.5:3306");
    }
  }

  @Test
  void aBadKeyFileFailsTheStartNamingTheKeyAndNotTheContents() throws Exception {
    Path bad = dir.resolve("bad.key");
    Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n");
    var t = new EtcdOptions.Tls(Optional.of(ca), Optional.of(client.cert()), Optional.of(bad), Optional.empty(), false);
    try (EtcdKvStore s = store("bad-key", tls.endpoint("127.0.0.1"), t)) {
      assertThatThrownBy(s::start).isInstanceOfSatisfying(KvStoreException.class, e -> assertThat(e.getMessage())
          .contains("EtcdKeyFile").doesNotContain("c2VjcmV0LWtleS1tYXRlcmlhbA").satisfies(m -> assertThat(e.retryable()).isFalse()));
    }
  }
}
