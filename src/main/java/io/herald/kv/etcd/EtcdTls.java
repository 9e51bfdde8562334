package io.herald.kv.etcd;

import io.herald.kv.TrustAll;
import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The grpc-netty {@link SslContext} jetcd speaks TLS with, read from {@link EtcdOptions.Tls}'s PEM files.
 *
 * <p>The JDK's TLS is used (not netty's OpenSSL): its trust manager checks the server's name against the endpoint
 * host (or {@code EtcdServerName}), which grpc asks for, and {@code EtcdSSLSkipVerify}'s trust-all manager skips
 * exactly that and the chain, nothing else. Error messages name the configuration key and file, never what a key
 * file holds.
 */
public final class EtcdTls {
  private EtcdTls() {}

  /**
   * The context for {@code tls}, which must be {@link EtcdOptions.Tls#enabled() enabled}.
   *
   * @throws EtcdOptions.Invalid naming the key whose file is missing, unreadable or holds no usable PEM
   */
  public static SslContext context(EtcdOptions.Tls tls) {
    if (!tls.enabled()) throw new IllegalArgumentException("TLS is off");
    SslContextBuilder b = SslContextBuilder.forClient();
    if (tls.skipVerify()) {
      b.trustManager(new TrustAll());
    } else {
      b.trustManager(certificates("EtcdCAFile", tls.caFile().orElseThrow()).toArray(X509Certificate[]::new));
    }
    if (tls.certFile().isPresent()) {
      List<X509Certificate> chain = certificates("EtcdCertFile", tls.certFile().get());
      PrivateKey key = privateKey(tls.keyFile().orElseThrow());
      matches(key, chain.get(0), tls.keyFile().get(), tls.certFile().get());
      b.keyManager(key, chain.toArray(X509Certificate[]::new));
    }
    try {
      return GrpcSslContexts.configure(b, SslProvider.JDK).build();
    } catch (SSLException | IllegalArgumentException e) {
      // a key that does not belong to the certificate shows here; the message names no key material
      String key = tls.certFile().isPresent() ? "EtcdKeyFile" : tls.skipVerify() ? "EtcdSSLSkipVerify" : "EtcdCAFile";
      throw new EtcdOptions.Invalid(key, "cannot build TLS from these files: " + e.getMessage());
    }
  }

  /** Every certificate in a PEM file (one or more {@code BEGIN CERTIFICATE} blocks). */
  static List<X509Certificate> certificates(String key, Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      List<X509Certificate> out = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
          .map(X509Certificate.class::cast).toList();
      if (out.isEmpty()) throw new EtcdOptions.Invalid(key, file + " holds no PEM certificate");
      return out;
    } catch (IOException e) {
      throw new EtcdOptions.Invalid(key, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    } catch (GeneralSecurityException e) {
      throw new EtcdOptions.Invalid(key, file + " holds no PEM certificate that can be read (" + e.getMessage() + ")");
    }
  }

  /** An unencrypted private key: PKCS#8 ({@code BEGIN PRIVATE KEY}), or PKCS#1 RSA / SEC1 EC PEM. */
  static PrivateKey privateKey(Path file) {
    String key = "EtcdKeyFile";
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
      Object o;
      try {
        o = p.readObject();
      } catch (IOException | RuntimeException e) {
        throw new EtcdOptions.Invalid(key, file + " holds no PEM private key that can be read");
      }
      JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
      if (o instanceof PrivateKeyInfo info) return conv.getPrivateKey(info);
      if (o instanceof PEMKeyPair pair) return conv.getKeyPair(pair).getPrivate();
      if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
        throw new EtcdOptions.Invalid(key, file + " holds an encrypted private key; give an unencrypted one "
            + "(e.g. openssl pkcs8 -topk8 -nocrypt), readable by Herald's user only");
      }
      throw new EtcdOptions.Invalid(key, file + " holds no PEM private key");
    } catch (EtcdOptions.Invalid e) {
      throw e;
    } catch (IOException e) {
      throw new EtcdOptions.Invalid(key, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** Refuses a key that is not the certificate's: signs a few bytes with it and checks them with the certificate. */
  static void matches(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
    String alg = switch (key.getAlgorithm()) {
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> null; // another kind: the handshake will tell
    };
    if (alg == null) return;
    boolean ok;
    try {
      byte[] probe = new byte[32];
      new SecureRandom().nextBytes(probe);
      Signature sign = Signature.getInstance(alg);
      sign.initSign(key);
      sign.update(probe);
      Signature check = Signature.getInstance(alg);
      check.initVerify(cert.getPublicKey());
      check.update(probe);
      ok = check.verify(sign.sign());
    } catch (GeneralSecurityException e) {
      ok = false; // e.g. an EC key with an RSA certificate
    }
    if (!ok) {
      throw new EtcdOptions.Invalid("EtcdKeyFile", "the key in " + keyFile + " is not the key of the certificate in "
          + certFile + " (EtcdCertFile)");
    }
  }
}
