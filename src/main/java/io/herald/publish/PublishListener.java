package io.herald.publish;

import io.herald.kv.WriteOutcome;
import java.time.Duration;
import java.util.Map;

/** Observes publishing (for metrics). Called on publisher threads; must be quick and must not throw. */
public interface PublishListener {
  void onWrite(String store, Map<WriteOutcome, Integer> outcomes, Duration took);

  void onFailure(String store, Exception error, Duration took);

  PublishListener NONE = new PublishListener() {
    @Override
    public void onWrite(String store, Map<WriteOutcome, Integer> outcomes, Duration took) {}

    @Override
    public void onFailure(String store, Exception error, Duration took) {}
  };
}
