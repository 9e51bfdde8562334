package io.herald.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A small certificate authority for the raft transport's mutual TLS: it makes a CA and signs node certificates
 * (EC P-256, ECDSA-SHA256) that name a node's host as an IP or DNS subject alternative name and serve both as TLS
 * server and client certificates. Keys are written as unencrypted PKCS#8 PEM readable by their owner only.
 *
 * <p>Immutable and thread-safe once built.
 */
public final class CertificateAuthority {
  private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final SecureRandom RANDOM = new SecureRandom();
  private final NodeCertificate ca;

  private CertificateAuthority(NodeCertificate ca) {
    this.ca = ca;
  }

  /** A new CA named {@code name}, valid for {@code validity}. */
  public static CertificateAuthority create(String name, Duration validity) {
    KeyPair pair = keyPair();
    X500Name subject = new X500Name("CN=" + name);
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(subject, serial(), Date.from(now.minusSeconds(300)),
          Date.from(now.plus(validity)), subject, pair.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new CertificateAuthority(new NodeCertificate(pair.getPrivate(), sign(b, pair.getPrivate())));
    } catch (IOException e) {
      throw new IllegalStateException("cannot build a CA certificate", e);
    }
  }

  /** Reads a CA written by {@link #writeTo}; throws {@link IOException} naming the file that is missing or bad. */
  public static CertificateAuthority read(Path certFile, Path keyFile) throws IOException {
    return new CertificateAuthority(new NodeCertificate(readKey(keyFile), readCertificate(certFile)));
  }

  public X509Certificate certificate() {
    return ca.certificate();
  }

  /** A certificate for a node reached at {@code host} (IP literal or DNS name), signed by this CA. */
  public NodeCertificate issue(String host, Duration validity) {
    KeyPair pair = keyPair();
    Instant now = Instant.now();
    try {
      JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(ca.certificate(), serial(),
          Date.from(now.minusSeconds(300)), Date.from(now.plus(validity)), new X500Name("CN=" + host), pair.getPublic());
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement));
      b.addExtension(Extension.extendedKeyUsage, false,
          new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names(host)));
      return new NodeCertificate(pair.getPrivate(), sign(b, ca.key()));
    } catch (IOException e) {
      throw new IllegalStateException("cannot build a certificate for " + host, e);
    }
  }

  private static GeneralName[] names(String host) {
    List<GeneralName> names = new ArrayList<>();
    boolean ip = IPV4.matcher(host).matches() || host.contains(":");
    names.add(new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, host));
    if (!host.equals("localhost") && isLoopback(host)) names.add(new GeneralName(GeneralName.dNSName, "localhost"));
    return names.toArray(GeneralName[]::new);
  }

  private static boolean isLoopback(String host) {
    try {
      return (IPV4.matcher(host).matches() || host.contains(":")) && InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false; // a literal never needs a lookup; anything else is not ours to resolve
    }
  }

  /** Writes this CA's certificate and key as PEM files (the key readable by its owner only). */
  public void writeTo(Path certFile, Path keyFile) throws IOException {
    write(new NodeCertificate(ca.key(), ca.certificate()), certFile, keyFile);
  }

  /** Writes a certificate and its key as PEM files (the key readable by its owner only). */
  public static void write(NodeCertificate cert, Path certFile, Path keyFile) throws IOException {
    Files.writeString(certFile, pem(cert.certificate()), StandardCharsets.US_ASCII);
    Files.deleteIfExists(keyFile);
    Files.createFile(keyFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(keyFile, pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(cert.key(), null).generate()),
        StandardCharsets.US_ASCII);
  }

  private static String pem(Object o) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(o);
    }
    return s.toString();
  }

  private static X509Certificate readCertificate(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      if (!(o instanceof X509CertificateHolder h)) throw new IOException(file + " holds no PEM certificate");
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (GeneralSecurityException e) {
      throw new IOException(file + " holds a certificate that cannot be read: " + e.getMessage(), e);
    }
  }

  private static PrivateKey readKey(Path file) throws IOException {
    try (PEMParser p = new PEMParser(Files.newBufferedReader(file, StandardCharsets.US_ASCII))) {
      Object o = p.readObject();
      if (!(o instanceof PrivateKeyInfo info)) throw new IOException(file + " holds no PKCS#8 PEM private key");
      return new JcaPEMKeyConverter().getPrivateKey(info);
    }
  }

  private static KeyPair keyPair() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JVM cannot make EC P-256 keys", e);
    }
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).add(BigInteger.ONE);
  }

  private static X509Certificate sign(JcaX509v3CertificateBuilder b, PrivateKey signer) {
    try {
      return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    } catch (OperatorCreationException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot sign a certificate", e);
    }
  }
}
