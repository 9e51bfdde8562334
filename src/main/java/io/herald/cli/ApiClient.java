package io.herald.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Talks to a Herald node's HTTP API as orchestrator-client does. A {@code "Code":"ERROR"} answer, a non-2xx status
 * or an unreachable node becomes a {@link CliException} carrying the one line to print.
 *
 * <p>The base URL is {@code http(s)://host:port}, optionally with a path prefix; a trailing {@code /api}
 * (orchestrator-client's convention) is dropped, since every call names its {@code /api/...} path. Credentials in the
 * URL ({@code user:password@}) are refused, never echoed: they come from {@code HERALD_API_USER} and
 * {@code HERALD_API_PASSWORD}.
 */
final class ApiClient {
  static {
    // HttpURLConnection sends a buffered POST again, once, when reading its answer fails (a reset connection): a
    // set-master or recovery applied twice. Never.
    System.setProperty("sun.net.http.retryPost", "false");
  }

  private final URI base;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<String, String> env;

  ApiClient(String base, Map<String, String> env) {
    String b = base.strip();
    while (b.endsWith("/")) b = b.substring(0, b.length() - 1);
    if (b.endsWith("/api")) b = b.substring(0, b.length() - "/api".length());
    URI uri;
    try {
      uri = URI.create(b);
    } catch (IllegalArgumentException e) {
      uri = null;
    }
    if (uri != null && (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      throw new CliException("the API URL " + redacted(base) + " carries credentials: leave them out of the URL and set "
          + "HERALD_API_USER and HERALD_API_PASSWORD");
    }
    if (uri == null || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
      throw new CliException("invalid API URL " + redacted(base) + ": expected http://host:port");
    }
    this.base = uri;
    this.env = env;
  }

  /** The URL for a message: anything before an '@' in the authority hidden. */
  private static String redacted(String url) {
    return "'" + url.replaceFirst("^([^/]*//)[^/]*@", "$1***@") + "'";
  }

  static String segment(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send("GET", path);
  }

  JsonNode post(String path) {
    return send("POST", path);
  }

  /**
   * One call. HttpURLConnection rather than java.net.http: the latter sets up TLS eagerly, a quarter of a second
   * of a CLI call spent for nothing on plain http.
   */
  private JsonNode send(String method, String path) {
    int status;
    String text;
    try {
      HttpURLConnection c = (HttpURLConnection) base.resolve(base.getPath() + path).toURL().openConnection();
      c.setRequestMethod(method);
      c.setConnectTimeout(5_000);
      c.setReadTimeout(130_000); // above the 120 s a recovery request may wait for its recovery to end
      String user = env.get("HERALD_API_USER");
      String password = env.get("HERALD_API_PASSWORD");
      if (user != null && password != null) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        c.setRequestProperty("Authorization", "Basic " + token);
      }
      if (method.equals("POST")) {
        // an empty body, buffered: in streaming mode a 401's body (the node's message) could not be read
        c.setDoOutput(true);
        c.getOutputStream().close();
      }
      status = c.getResponseCode();
      InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
      try (in) {
        text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new CliException("cannot reach Herald at " + base + ": " + (e.getMessage() == null ? e : e.getMessage()));
    }
    JsonNode body;
    try {
      body = mapper.readTree(text);
    } catch (IOException e) {
      throw new CliException("unexpected answer from " + base + path + " (HTTP " + status + ")");
    }
    if (body != null && body.isObject() && "ERROR".equals(body.path("Code").asText())) {
      throw new CliException(body.path("Message").asText("error") + " (HTTP " + status + ")");
    }
    if (status / 100 != 2) throw new CliException("HTTP " + status + " from " + base + path);
    return body;
  }
}
