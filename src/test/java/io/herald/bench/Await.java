package io.herald.bench;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a native client's future within a limit, turning its failures into {@link IOException}. */
final class Await {
  static final Duration LIMIT = Duration.ofSeconds(30);

  private Await() {}

  static <T> T result(Future<T> f, String what) throws IOException {
    try {
      return f.get(LIMIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(what + ": interrupted");
    } catch (ExecutionException e) {
      throw new IOException(what + ": " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IOException(what + ": no answer within " + LIMIT, e);
    }
  }
}
