package io.herald.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * The user and password of an {@code Authorization: Basic} header (RFC 7617). The scheme is case-insensitive
 * (RFC 7235); a header that is not Basic, is not base64 or has no ':' is absent credentials, never an error, so a
 * malformed header answers 401 like a missing one.
 */
record BasicCredentials(String user, String password) {

  static Optional<BasicCredentials> parse(String header) {
    if (header == null) return Optional.empty();
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Basic")) return Optional.empty();
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(h.substring(space + 1).strip()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException notBase64) {
      return Optional.empty();
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) return Optional.empty();
    return Optional.of(new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1)));
  }

  @Override
  public String toString() {
    return "BasicCredentials[user=" + user + ", password=***]";
  }
}
