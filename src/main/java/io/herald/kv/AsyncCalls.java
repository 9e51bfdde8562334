package io.herald.kv;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/** Waiting on many asynchronous store calls at once, for adapters whose clients are asynchronous. */
public final class AsyncCalls {
  private AsyncCalls() {}

  /**
   * Waits for all calls, at most {@code timeout}; throws the first failure, preferring one that retrying can't fix.
   *
   * @param backend the server, for messages (e.g. "etcd http://127.0.0.1:2379")
   * @param translate turns a backend failure into a store exception (restoring the interrupt flag where needed)
   */
  public static void awaitAll(String store, String what, String backend, Duration timeout,
      List<? extends CompletableFuture<?>> calls, Function<Throwable, KvStoreException> translate)
      throws KvStoreException {
    try {
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      return;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KvStoreException(store, what + ": interrupted", true, e);
    } catch (TimeoutException e) {
      throw new KvStoreException(store, what + ": no answer from " + backend + " within " + timeout, true, e);
    } catch (ExecutionException e) {
      // inspected below, call by call
    }
    KvStoreException first = null;
    int failed = 0;
    for (CompletableFuture<?> f : calls) {
      if (!f.isCompletedExceptionally()) continue;
      failed++;
      KvStoreException k = translate.apply(f.handle((v, t) -> t).join());
      if (first == null || (first.retryable() && !k.retryable())) first = k;
    }
    if (first == null) throw new KvStoreException(store, what + ": failed", true);
    if (failed > 1) {
      first.addSuppressed(new KvStoreException(store, failed + " of " + calls.size() + " failed", first.retryable()));
    }
    throw first;
  }

  /** The failure inside any {@link CompletionException} and {@link ExecutionException} wrappers. */
  public static Throwable cause(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    return c;
  }

  /**
   * The failures every adapter translates alike, as a store exception: one already translated, or an interrupt
   * (restoring the interrupt flag). Null for anything else.
   */
  public static KvStoreException translatedOrInterrupted(String store, String what, Throwable cause) {
    if (cause instanceof KvStoreException e) return e;
    if (cause instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new KvStoreException(store, what + ": interrupted", true, cause);
    }
    return null;
  }

  /**
   * When {@code source} completes, hands its value to {@code onValue}, which completes {@code results}; if the
   * source fails or {@code onValue} throws, every result fails with that error. Never blocks.
   */
  public static <T, R> void fanOut(CompletableFuture<T> source, List<CompletableFuture<R>> results,
      java.util.function.Consumer<T> onValue) {
    source.whenComplete((value, failure) -> {
      try {
        if (failure != null) {
          results.forEach(r -> r.completeExceptionally(failure));
        } else {
          onValue.accept(value);
        }
      } catch (RuntimeException e) {
        results.forEach(r -> r.completeExceptionally(e));
      }
    });
  }

  /** Completes {@code target} as {@code source} completes, value or failure. */
  public static <R> void relay(CompletableFuture<R> source, CompletableFuture<R> target) {
    source.whenComplete((v, t) -> {
      if (t != null) target.completeExceptionally(t); else target.complete(v);
    });
  }
}
