package io.herald.mysql;

import io.herald.cluster.Secret;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Herald connects to and reads the MySQL/MariaDB instances (orchestrator's {@code MySQLTopology*} keys).
 *
 * @param user Herald's user on every instance
 * @param password its password (never logged or shown)
 * @param connectTimeout TCP connect and handshake bound (default 2 s)
 * @param readTimeout bound on each statement's answer (socket read; default 3 s)
 * @param discoverByShowSlaveHosts list replicas with {@code SHOW SLAVE HOSTS} ({@code report_host:report_port});
 *     when false, or when it fails or lists none, the processlist's Binlog Dump threads are used (default true)
 * @param detectClusterAliasQuery run on instances that replicate from nobody; the first column of its first row
 *     is the cluster alias
 * @param detectDataCenterQuery run on every instance; the first column of its first row is the data center
 * @param dataCenterPattern a regular expression with one group, matched against the instance's host, used when
 *     {@code detectDataCenterQuery} is not set
 * @param sslCaFile the CA (or server) certificate, PEM, to verify the server with (driver's {@code serverSslCert})
 * @param sslKeyStore a PKCS#12 or JKS key store holding the client certificate and key, for mutual TLS (the driver
 *     takes no PEM client key)
 * @param sslKeyStorePassword the key store's password
 * @param sslSkipVerify encrypt but do not verify the server's certificate
 *     <p>TLS is used when any of {@code sslCaFile}, {@code sslKeyStore} or {@code sslSkipVerify} is set: verified
 *     against the CA and the host name ({@code verify-full}) unless {@code sslSkipVerify}.
 */
public record MySqlOptions(
    String user, Secret password, Duration connectTimeout, Duration readTimeout, boolean discoverByShowSlaveHosts,
    Optional<String> detectClusterAliasQuery, Optional<String> detectDataCenterQuery, Optional<Pattern> dataCenterPattern,
    Optional<Path> sslCaFile, Optional<Path> sslKeyStore, Optional<Secret> sslKeyStorePassword, boolean sslSkipVerify) {
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(2);
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(3);

  public MySqlOptions {
    if (user == null || user.isBlank()) throw new IllegalArgumentException("MySQLTopologyUser must be set");
    Objects.requireNonNull(password, "password");
    positive("MySQLConnectTimeoutSeconds", connectTimeout);
    positive("MySQLReadTimeoutSeconds", readTimeout);
    Objects.requireNonNull(detectClusterAliasQuery, "detectClusterAliasQuery");
    Objects.requireNonNull(detectDataCenterQuery, "detectDataCenterQuery");
    Objects.requireNonNull(dataCenterPattern, "dataCenterPattern");
    Objects.requireNonNull(sslCaFile, "sslCaFile");
    Objects.requireNonNull(sslKeyStore, "sslKeyStore");
    Objects.requireNonNull(sslKeyStorePassword, "sslKeyStorePassword");
    if (detectClusterAliasQuery.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("DetectClusterAliasQuery is blank");
    }
    if (detectDataCenterQuery.filter(String::isBlank).isPresent()) {
      throw new IllegalArgumentException("DetectDataCenterQuery is blank");
    }
    if (dataCenterPattern.filter(p -> p.matcher("").groupCount() < 1).isPresent()) {
      throw new IllegalArgumentException("DataCenterPattern needs one group, e.g. '[.]([^.]+)[.]example[.]com'");
    }
    if (sslKeyStorePassword.isPresent() && sslKeyStore.isEmpty()) {
      throw new IllegalArgumentException("a key store password without a key store");
    }
  }

  /** The defaults for everything but the credentials. */
  public static MySqlOptions of(String user, Secret password) {
    return new MySqlOptions(user, password, DEFAULT_CONNECT_TIMEOUT, DEFAULT_READ_TIMEOUT, true, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), false);
  }

  public MySqlOptions withTimeouts(Duration connect, Duration read) {
    return new MySqlOptions(user, password, connect, read, discoverByShowSlaveHosts, detectClusterAliasQuery,
        detectDataCenterQuery, dataCenterPattern, sslCaFile, sslKeyStore, sslKeyStorePassword, sslSkipVerify);
  }

  public MySqlOptions withDiscoverByShowSlaveHosts(boolean on) {
    return new MySqlOptions(user, password, connectTimeout, readTimeout, on, detectClusterAliasQuery,
        detectDataCenterQuery, dataCenterPattern, sslCaFile, sslKeyStore, sslKeyStorePassword, sslSkipVerify);
  }

  public MySqlOptions withDetection(Optional<String> clusterAliasQuery, Optional<String> dataCenterQuery,
      Optional<Pattern> dataCenter) {
    return new MySqlOptions(user, password, connectTimeout, readTimeout, discoverByShowSlaveHosts, clusterAliasQuery,
        dataCenterQuery, dataCenter, sslCaFile, sslKeyStore, sslKeyStorePassword, sslSkipVerify);
  }

  /** TLS is on. */
  public boolean ssl() {
    return sslCaFile.isPresent() || sslKeyStore.isPresent() || sslSkipVerify;
  }

  private static void positive(String key, Duration d) {
    if (d == null || d.isNegative() || d.isZero() || d.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(key + " must be a positive duration, got " + d);
    }
  }
}
