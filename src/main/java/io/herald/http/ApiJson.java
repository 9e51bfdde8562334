package io.herald.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes JSON bodies with one shared, thread-safe mapper. */
final class ApiJson {
  private final ObjectMapper mapper = new ObjectMapper();

  void send(Context ctx, int status, Object body) {
    ctx.status(status).contentType("application/json").result(text(body));
  }

  String text(Object body) {
    try {
      return mapper.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  void ok(Context ctx, Object body) {
    send(ctx, 200, body);
  }
}
