package io.herald.cluster;

import java.util.regex.Pattern;

/**
 * A MySQL instance address. The host is a name or an IP literal (IPv6 without brackets); port 1..65535.
 *
 * <p>The constructor checks only the characters, so that whatever an older version stored still reads back;
 * input from operators and every raft command goes through {@link #checked} (or {@link #parse}), which also wants
 * a well-formed name: dot-separated labels of 1 to 63 letters, digits, '-' or '_', not starting or ending with
 * '-'; a name that a resolver would read as a number must be a canonical IPv4 address ({@link IpLiteral}); an IPv6
 * literal must be valid and carry no zone id.
 */
public record HostPort(String host, int port) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,255}");
  private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?");
  private static final Pattern PORT = Pattern.compile("[1-9][0-9]{0,4}");

  public HostPort {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("invalid host '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port + ": must be 1..65535");
    }
  }

  /** An address from an operator: as the constructor, and the host must be a well-formed name or IP literal. */
  public static HostPort checked(String host, int port) {
    HostPort hp = new HostPort(host, port);
    if (host.contains(":")) {
      if (!IpLiteral.isIpv6(host)) throw new IllegalArgumentException("invalid IPv6 address '" + host + "'");
    } else if (IpLiteral.looksNumeric(host)) {
      if (!IpLiteral.isIpv4(host)) {
        throw new IllegalArgumentException("invalid IPv4 address '" + host + "': use four decimal parts 0..255 "
            + "without leading zeros (resolvers read other forms differently)");
      }
    } else if (host.length() > 253 || !host.chars().allMatch(c -> c != '%')
        || !java.util.Arrays.stream(host.split("\\.", -1)).allMatch(l -> LABEL.matcher(l).matches())) {
      throw new IllegalArgumentException("invalid host '" + host + "': use dot-separated labels of 1 to 63 letters, "
          + "digits, '-' or '_', not starting or ending with '-'");
    }
    return hp;
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code v6:port} (the last colon splits), as {@link #checked}. */
  public static HostPort parse(String text) {
    if (text == null) throw new IllegalArgumentException("missing host:port");
    String s = text;
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("invalid address '" + text + "': expected host:port");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return checked(host, parsePort(s.substring(colon + 1)));
  }

  /** A port written as 1 to 5 digits without a leading zero or spaces, 1..65535. */
  public static int parsePort(String text) {
    try {
      if (text == null || !PORT.matcher(text).matches()) throw new NumberFormatException();
      int p = Integer.parseInt(text);
      if (p < 1 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid port '" + text + "': must be 1..65535");
    }
  }

  @Override
  public String toString() {
    return host + ":" + port;
  }
}
