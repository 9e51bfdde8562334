package io.herald.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request refused before it reaches Javalin: NUL or bad UTF-8 in the path, a URL over
 * the header limit, an unparsable request line) in Herald's JSON error shape instead of Jetty's HTML page. Set on the
 * server; thread-safe (stateless).
 */
final class JsonErrorHandler extends ErrorHandler {
  private final ApiJson json;

  JsonErrorHandler(ApiJson json) {
    this.json = json;
  }

  private byte[] body(int code, String message) {
    String reason = message == null || message.isBlank() ? HttpStatus.getMessage(code) : message;
    return json.text(ApiResponse.error("HTTP " + code + ": " + reason)).getBytes(StandardCharsets.UTF_8);
  }

  /** JSON whatever the client accepts: Herald's API answers nothing else. */
  @Override
  protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
      List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
    return super.generateAcceptableResponse(request, response, callback, "application/json",
        List.of(StandardCharsets.UTF_8), code, message, cause);
  }

  @Override
  protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
    writer.write(new String(body(code, message), StandardCharsets.UTF_8));
  }

  /** A request Jetty could not parse at all (no request object exists): the body of its error answer. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status, reason));
  }
}
