package io.herald.kv;

/**
 * A store call failed. Carries the store's name and whether retrying may help (a store that is down or slow) or
 * not (a request the store refuses, such as an ACL denial, which needs a person).
 */
public final class KvStoreException extends Exception {
  private final String store;
  private final boolean retryable;

  public KvStoreException(String store, String message, boolean retryable, Throwable cause) {
    super(store + ": " + message, cause);
    this.store = store;
    this.retryable = retryable;
  }

  public KvStoreException(String store, String message, boolean retryable) {
    this(store, message, retryable, null);
  }

  public String store() {
    return store;
  }

  public boolean retryable() {
    return retryable;
  }
}
