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

/** Translates jetcd and gRPC failures into {@link KvStoreException}s, so that none escapes the adapter. */
final class EtcdFailures {
  /** Codes of a server that is away, slow, busy or electing: retrying later may succeed. */
  private static final Set<ErrorCode> TRANSIENT = EnumSet.of(ErrorCode.UNAVAILABLE, ErrorCode.DEADLINE_EXCEEDED,
      ErrorCode.RESOURCE_EXHAUSTED, ErrorCode.ABORTED, ErrorCode.CANCELLED, ErrorCode.UNKNOWN, ErrorCode.INTERNAL);
  private static final Set<ErrorCode> REFUSED = EnumSet.of(ErrorCode.PERMISSION_DENIED, ErrorCode.UNAUTHENTICATED);

  private EtcdFailures() {}

  /** The failure of {@code what} (e.g. "write 3 clusters") as a store exception; restores the interrupt flag. */
  static KvStoreException translate(String store, String what, Throwable t) {
    Throwable c = AsyncCalls.cause(t);
    KvStoreException common = AsyncCalls.translatedOrInterrupted(store, what, c);
    if (common != null) return common;
    if (c instanceof TimeoutException) return new KvStoreException(store, what + ": timed out", true, c);
    if (c instanceof ClosedClientException) return new KvStoreException(store, what + ": store is closed", false, c);
    if (c instanceof EtcdException e) return of(store, what, e.getErrorCode(), e.getMessage(), c);
    if (c instanceof StatusRuntimeException e) {
      Status s = e.getStatus();
      return of(store, what, code(s.getCode()), String.valueOf(s.getDescription()), c);
    }
    return new KvStoreException(store, what + ": " + c, true, c);
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
