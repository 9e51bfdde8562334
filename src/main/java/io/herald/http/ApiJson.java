package io.herald.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/**
 * Writes JSON bodies with one shared, thread-safe mapper; and, to a client that sends {@code Accept: text/plain}
 * exactly (bin/herald's curl client, which has no JSON parser to start), the few routes that have one answer with
 * the lines the CLI prints, and errors with their message as one line. Any other Accept gets JSON, as before.
 */
final class ApiJson {
  private final ObjectMapper mapper = new ObjectMapper();

  /** Set on every request this answered, so that the 404 handler does not overwrite a route's own 404. */
  static final String ANSWERED = "herald.answered";

  void send(Context ctx, int status, Object body) {
    ctx.attribute(ANSWERED, true);
    ctx.status(status).contentType("application/json").result(text(body));
  }

  private static void sendText(Context ctx, int status, String text) {
    ctx.attribute(ANSWERED, true);
    ctx.status(status).contentType("text/plain; charset=utf-8").result(text);
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

  /** Whether the client asked for the plain-text view. */
  static boolean wantsText(Context ctx) {
    String accept = ctx.header("Accept");
    return accept != null && accept.strip().equals("text/plain");
  }

  /** 200 with {@code body} as JSON, or with {@code text} (built only then) when the client asked for text. */
  <T> void ok(Context ctx, T body, java.util.function.Function<T, String> text) {
    if (wantsText(ctx)) {
      sendText(ctx, 200, text.apply(body));
    } else {
      send(ctx, 200, body);
    }
  }

  /** An error: {@code {"Code":"ERROR","Message":..}}, or the message as one line of text when asked for. */
  void error(Context ctx, int status, String message) {
    if (wantsText(ctx)) {
      sendText(ctx, status, String.valueOf(message).replace('\n', ' ') + "\n");
    } else {
      send(ctx, status, ApiResponse.error(message));
    }
  }
}
