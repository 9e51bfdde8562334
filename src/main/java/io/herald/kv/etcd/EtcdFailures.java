package io.herald.kv.etcd;

import io.etcd.jetcd.common.exception.ClosedClientException;
import io.etcd.jetcd.common.exception.ErrorCode;
import io.etcd.jetcd.common.exception.EtcdException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.herald.kv.AsyncCalls;
import io.herald.kv.KvStoreException;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/** Translates jetcd and gRPC failures into {@link KvStoreException}s, so that none escapes the adapter. */
final class EtcdFailures {
  /** Codes of a server that is away, slow, busy or electing: retrying later may succeed. */
  private static final Set<ErrorCode> TRANSIENT = EnumSet.of(ErrorCode.UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED,
      ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.ABORTED, ErrorCode.CANCELLED, ErrorCode.UNKNOWN, ErrorCode.INTERNAL);
  private static final Set<ErrorCode> REFUSED = EnumSet.of(ErrorCode.PERMISSION_DENIED, ErrorCode.UNAUTHENTICATED);

  private EtcdFailures() {}

  /** The failure of {@code what} (e.g. "write 3 clusters") as a store exception; restores the interrupt flag. */
  static KvStoreException translate(String store, String what, Throwable t) {
    return translate(store, what, t, false);
  }

  /** As {@link #translate(String, String, Throwable)}, for a client that speaks TLS ({@code tls}) or plain text. */
  static KvStoreException translate(String store, String what, Throwable t, boolean tls) {
    Throwable c = AsyncCalls.cause(t);
    KvStoreException common = AsyncCalls.translatedOrInterrupted(store, what, c);
    if (common != null) return common;
    if (c instanceof TimeoutException) return new KvStoreException(store, what + ": timed out", true, c);
    if (c instanceof ClosedClientException) return new KvStoreException(store, what + ": store is closed", false, c);
    KvStoreException handshake = tlsFailure(store, what, c);
    if (handshake != null) return handshake;
    if (c instanceof EtcdException e) return of(store, what, e.getErrorCode(), e.getMessage(), c);
    if (c instanceof StatusRuntimeException e) {
      Status s = e.getStatus();
      String d = String.valueOf(s.getDescription());
      // a TLS etcd closes a plain-text connection: gRPC says "Network closed for unknown reason" or, racing the
      // close, only "io exception"
      if (!tls && s.getCode() == Status.Code.UNAVAILABLE
          && (d.contains("Network closed for unknown reason") || d.contains("io exception"))) {
        d += " (an etcd that serves TLS closes plain-text connections so: then use https:// endpoints and EtcdCAFile)";
      }
      return of(store, what, code(s.getCode()), d, c);
    }
    return new KvStoreException(store, what + ": " + c, true, c);
  }

  /**
   * A TLS handshake that failed, said in words with the setting to check; null when {@code e} is not one. Not
   * retryable: certificates and names do not fix themselves (the publisher still retries, with a long backoff).
   */
  static KvStoreException tlsFailure(String store, String what, Throwable e) {
    Throwable ssl = null;
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      if (t instanceof SSLException || t instanceof CertificateException) ssl = t;
    }
    if (ssl == null) {
      String d = String.valueOf(e instanceof StatusRuntimeException r ? r.getStatus().getDescription() : e.getMessage());
      // gRPC says "TLS negotiation" when the connection closes in the handshake; an I/O error there instead names
      // the pipeline, whose ClientTlsHandler is still in place until the handshake completed (seen once in CI)
      if (!(e instanceof StatusRuntimeException || e instanceof EtcdException)
          || !d.contains("TLS negotiation") && !d.contains("ClientTlsHandler")) {
        return null;
      }
      // no handshake error, the connection just closed: a plain-text server, or one going away (so retryable)
      return new KvStoreException(store, what + ": TLS handshake with etcd failed (" + d.lines().findFirst().orElse("")
          + "): does the endpoint speak TLS? A plain-text etcd needs http:// endpoints", true, e);
    }
    String detail = String.valueOf(ssl.getMessage()).lines().findFirst().orElse("");
    String low = detail.toLowerCase(java.util.Locale.ROOT);
    String hint;
    if (low.contains("subject alternative") || low.contains("no name matching")) {
      hint = "etcd's certificate does not hold the name connected to; set EtcdServerName to a name it holds, or "
          + "use that name in EtcdEndpoints";
    } else if (low.contains("certification path") || low.contains("pkix") || low.contains("unknown_ca")
        && !low.contains("received")) {
      hint = "etcd's certificate is not signed by the CA in EtcdCAFile";
    } else if (low.contains("certificate_required") || low.contains("bad_certificate") || low.contains("unknown_ca")) {
      hint = "etcd did not accept Herald's client certificate, or wants one; set EtcdCertFile and EtcdKeyFile to one signed by "
          + "the CA etcd trusts (its --trusted-ca-file)";
    } else if (low.contains("not an ssl/tls record")) {
      hint = "the endpoint does not speak TLS; use http:// endpoints for a plain-text etcd";
    } else {
      hint = "check EtcdCAFile (the CA of etcd's certificate), EtcdServerName (a name the certificate holds) and "
          + "EtcdCertFile/EtcdKeyFile (a client certificate etcd trusts)";
    }
    return new KvStoreException(store, what + ": TLS handshake with etcd failed (" + detail + "): " + hint, false, e);
  }

  private static ErrorCode code(Status.Code code) {
    for (ErrorCode e : ErrorCode.values()) {
      if (e.name().equals(code.name())) return e;
    }
    return ErrorCode.UNKNOWN;
  }

  private static KvStoreException of(String store, String what, ErrorCode code, String message, Throwable cause) {
    boolean authFailed = message != null && message.contains("authentication failed");
    if (REFUSED.contains(code) || authFailed) {
      return new KvStoreException(store, what + ": etcd refused access (" + code + ": " + message
          + "); check EtcdUser, EtcdPassword and the user's roles", false, cause);
    }
    return new KvStoreException(store, what + ": " + code + ": " + message, TRANSIENT.contains(code), cause);
  }
}
