package io.herald.mysql;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import io.herald.topology.ProbeError;
import io.herald.topology.ProbeError.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

/**
 * Turns driver failures into {@link ProbeError}s an operator can act on. Messages name the instance and, for a
 * refused statement, the statement and the server's own words (which name the missing privilege); the password is
 * never in them (and is cut out of anything the driver says, to be sure).
 */
final class ProbeFailures {
  private static final int ACCESS_DENIED = 1045;

  private final MySqlOptions options;

  ProbeFailures(MySqlOptions options) {
    this.options = options;
  }

  /**
   * What went wrong, for an operator, and the driver's exception copied with the secrets cut out (not chained: its
   * message or causes could, in some driver version, quote a password).
   */
  record Failure(ProbeError error, SQLException cause) {}

  /** A failure to connect (TCP, greeting, TLS or authentication), for the probe. */
  InstanceReadException connectFailed(HostPort key, SQLException e) {
    Failure f = onConnect(key, e);
    return new InstanceReadException(f.error(), f.cause());
  }

  /** A failure while running {@code statement} on an open connection, for the probe. */
  InstanceReadException statementFailed(HostPort key, String fullStatement, SQLException e) {
    Failure f = onStatement(key, fullStatement, e, List.of(), options.readTimeout());
    return new InstanceReadException(f.error(), f.cause());
  }

  /** A failure to connect (TCP, greeting, TLS or authentication). */
  Failure onConnect(HostPort key, SQLException e) {
    if (hasCause(e, SocketTimeoutException.class)) {
      return error(Kind.TIMEOUT, key + ": no MySQL greeting or answer within " + seconds(options.connectTimeout())
          + " of connecting (a hung or overloaded server, or a port that waits for the client to speak)", e);
    }
    if (hasCause(e, ConnectException.class) || hasCause(e, NoRouteToHostException.class)) {
      return error(Kind.UNREACHABLE, key + ": connection refused (nothing listens there, or no route)", e);
    }
    if (hasCause(e, UnknownHostException.class)) {
      return error(Kind.UNREACHABLE, key + ": unknown host", e);
    }
    if (e.getErrorCode() == ACCESS_DENIED) {
      return error(Kind.ACCESS_DENIED, key + ": access denied for user '" + options.user()
          + "' (error 1045): check MySQLTopologyUser and MySQLTopologyPassword", e);
    }
    Greeting g = greeting(key);
    return switch (g) {
      case NOT_MYSQL -> error(Kind.NOT_MYSQL, key + ": the listener there does not speak the MySQL protocol", e);
      case SILENT -> error(Kind.TIMEOUT, key + ": no MySQL greeting within " + seconds(options.connectTimeout()), e);
      case CLOSED -> error(Kind.UNREACHABLE, key + ": the connection was closed before any greeting", e);
      case MYSQL -> error(Kind.QUERY_FAILED, key + ": connecting failed: " + driverWords(e), e);
    };
  }

  /**
   * A failure while running {@code statement} on an open connection; {@code hidden} are further secrets (e.g. a
   * replication password in the statement) cut out of every text, as Herald's own password is. The statement is
   * named as given, cut to 60 characters: pass a label without secrets. {@code readTimeout} is the connection's
   * socket timeout, for the message.
   */
  Failure onStatement(HostPort key, String fullStatement, SQLException e, List<Secret> hidden, Duration readTimeout) {
    String statement = fullStatement.length() <= 60 ? fullStatement : fullStatement.substring(0, 45) + " ...";
    if (hasCause(e, SocketTimeoutException.class)) {
      return error(Kind.TIMEOUT, key + ": no answer to " + statement + " within " + seconds(readTimeout)
          + " (a hung or overloaded server)", e, hidden);
    }
    if (lostConnection(e)) {
      return error(Kind.UNREACHABLE, key + ": connection lost during " + statement + ": " + driverWords(e, hidden), e,
          hidden);
    }
    return error(Kind.QUERY_FAILED, key + ": " + statement + " failed: " + driverWords(e, hidden)
        + (e.getErrorCode() != 0 ? " (error " + e.getErrorCode() + ")" : ""), e, hidden);
  }

  /** The connection itself is gone (not a refused statement): a new one is needed. */
  static boolean lostConnection(SQLException e) {
    return e instanceof SQLNonTransientConnectionException || e instanceof SQLTransientConnectionException
        || hasCause(e, IOException.class) || "08".equals(sqlStateClass(e));
  }

  private static String sqlStateClass(SQLException e) {
    return e.getSQLState() == null || e.getSQLState().length() < 2 ? "" : e.getSQLState().substring(0, 2);
  }

  private Failure error(Kind kind, String message, SQLException cause) {
    return error(kind, message, cause, List.of());
  }

  private Failure error(Kind kind, String message, SQLException cause, List<Secret> hidden) {
    SQLException copy = new SQLException(redact(cause.getClass().getSimpleName() + ": " + cause.getMessage(), hidden),
        cause.getSQLState(), cause.getErrorCode());
    copy.setStackTrace(cause.getStackTrace());
    return new Failure(new ProbeError(kind, redact(message, hidden)), copy);
  }

  /** The driver's message, first line, without the passwords. */
  private String driverWords(SQLException e) {
    return driverWords(e, List.of());
  }

  private String driverWords(SQLException e, List<Secret> hidden) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return redact(nl < 0 ? m : m.substring(0, nl), hidden);
  }

  /** {@code text} with Herald's password and every {@code hidden} secret replaced by {@code ****}. */
  String redact(String text, List<Secret> hidden) {
    String out = text;
    for (Secret s : hidden) if (!s.value().isEmpty()) out = out.replace(s.value(), "****");
    String pw = options.password().value();
    return pw.isEmpty() ? out : out.replace(pw, "****");
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
    for (Throwable c = t; c != null; c = c.getCause()) if (type.isInstance(c)) return true;
    return false;
  }

  enum Greeting { MYSQL, NOT_MYSQL, SILENT, CLOSED }

  /**
   * What the listener says first. A MySQL server speaks first: a packet with sequence number 0 holding protocol
   * version 10, or an error packet (0xFF, e.g. "too many connections").
   */
  Greeting greeting(HostPort key) {
    int timeout = (int) options.connectTimeout().toMillis();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(key.host(), key.port()), timeout);
      s.setSoTimeout(timeout);
      return classify(s.getInputStream());
    } catch (SocketTimeoutException e) {
      return Greeting.SILENT;
    } catch (IOException e) {
      return Greeting.CLOSED;
    }
  }

  static Greeting classify(InputStream in) throws IOException {
    byte[] h = in.readNBytes(5);
    if (h.length == 0) return Greeting.CLOSED;
    if (h.length < 5) return Greeting.NOT_MYSQL;
    int length = (h[0] & 0xff) | (h[1] & 0xff) << 8 | (h[2] & 0xff) << 16;
    boolean looksLikeMysql = length > 0 && length < 1024 && h[3] == 0 && (h[4] == 10 || (h[4] & 0xff) == 0xff);
    return looksLikeMysql ? Greeting.MYSQL : Greeting.NOT_MYSQL;
  }
}
