package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.herald.kv.KvStoreException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsulTlsTest {
  @TempDir Path dir;

  private static Path testCa() throws URISyntaxException {
    return Path.of(ConsulTlsTest.class.getResource("/consul/test-ca.pem").toURI());
  }

  @Test
  void aContextBuildsFromAPemBundle() throws Exception {
    SSLContext ctx = ConsulTls.trusting(testCa());
    assertThat(ctx.getProtocol()).isEqualTo("TLS");
    assertThat(ctx.getSocketFactory()).isNotNull();
  }

  @Test
  void aFileWithoutCertificatesIsRefused() throws Exception {
    Path empty = Files.writeString(dir.resolve("empty.pem"), "");
    assertThatThrownBy(() -> ConsulTls.trusting(empty)).isInstanceOf(GeneralSecurityException.class);
    Path junk = Files.writeString(dir.resolve("junk.pem"),
        "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n");
    assertThatThrownBy(() -> ConsulTls.trusting(junk)).isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void skipVerifyBuildsATrustAllContext() throws Exception {
    assertThat(ConsulTls.trustingAnyone().getProtocol()).isEqualTo("TLS");
  }

  @Test
  void aStoreWithAnUnreadableCaFileFailsToStartForGood() {
    ConsulKvStore s = new ConsulKvStore("consul", new ConsulOptions("127.0.0.1:8501", "https", Optional.empty(), true,
        64, false, Optional.of(dir.resolve("missing.pem")), false, Duration.ofSeconds(1)));
    KvStoreException e = catchThrowableOfType(KvStoreException.class, s::start);
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("missing.pem");
    s.close();
  }

  @Test
  void aStoreWithAGoodCaFileStartsWithoutContactingConsul() throws Exception {
    try (ConsulKvStore s = new ConsulKvStore("consul", new ConsulOptions("127.0.0.1:1", "https", Optional.empty(),
        true, 64, false, Optional.of(testCa()), false, Duration.ofSeconds(1)))) {
      s.start();
      assertThat(s.address()).isEqualTo("https://127.0.0.1:1");
      assertThat(s.requestsSent()).isZero();
    }
  }
}
