package io.herald.mysql;

import io.herald.cluster.HostPort;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens MariaDB Connector/J connections to instances as {@link MySqlOptions} says (user, TLS, timeouts), without a
 * pool, for the probe and for the mutating operations alike. Every connect is bounded by
 * {@link MySqlOptions#connectTimeout}; every answer by the read timeout given (the socket timeout). Sessions wait
 * for a metadata lock (e.g. {@code SET GLOBAL read_only=1} behind a {@code LOCK TABLES}) a second less than the read
 * timeout (at least 1 s), rather than the server's default of a year: a statement queued for the global read lock
 * blocks every other writer while it waits, and the server then says why (error 1205). Thread-safe and stateless.
 */
final class JdbcConnector {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcConnector.class);

  private final MySqlOptions options;
  private final org.mariadb.jdbc.Driver driver = new org.mariadb.jdbc.Driver();

  JdbcConnector(MySqlOptions options) {
    this.options = options;
  }

  /** A new connection whose statements answer within the options' read timeout. */
  Connection open(HostPort instance) throws SQLException {
    return open(instance, options.readTimeout());
  }

  /** A new connection whose statements answer within {@code readTimeout} (for statements that wait on purpose). */
  Connection open(HostPort instance, Duration readTimeout) throws SQLException {
    String host = instance.host().contains(":") ? "[" + instance.host() + "]" : instance.host();
    Connection c = driver.connect("jdbc:mariadb://" + host + ":" + instance.port() + "/", properties(readTimeout));
    if (c == null) throw new IllegalStateException("the MariaDB driver refused its own URL");
    return c;
  }

  private Properties properties(Duration readTimeout) {
    Properties p = new Properties();
    p.setProperty("user", options.user());
    p.setProperty("password", options.password().value());
    p.setProperty("connectTimeout", Long.toString(options.connectTimeout().toMillis()));
    p.setProperty("socketTimeout", Long.toString(readTimeout.toMillis()));
    p.setProperty("autocommit", "true");
    p.setProperty("tcpKeepAlive", "true");
    // whole seconds, a second short of the socket timeout, so the server says why rather than the socket timing out
    long lockWait = Math.max(1, readTimeout.toSeconds() - 1);
    p.setProperty("sessionVariables", "lock_wait_timeout=" + lockWait);
    if (options.ssl()) {
      p.setProperty("sslMode", options.sslSkipVerify() ? "trust" : "verify-full");
      options.sslCaFile().ifPresent(f -> p.setProperty("serverSslCert", f.toString()));
      options.sslKeyStore().ifPresent(f -> {
        p.setProperty("keyStore", f.toString());
        String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
        p.setProperty("keyStoreType", name.endsWith(".jks") ? "JKS" : "PKCS12");
      });
      options.sslKeyStorePassword().ifPresent(s -> p.setProperty("keyStorePassword", s.value()));
    } else {
      p.setProperty("sslMode", "disable");
    }
    return p;
  }

  /** Aborts a connection at once (no COM_QUIT round trip to a server that may be hung); null is ignored. */
  static void abort(Connection c) {
    if (c == null) return;
    try {
      c.abort(Runnable::run);
    } catch (SQLException e) {
      LOG.debug("aborting a connection failed: {}", e.getMessage());
    }
  }
}
