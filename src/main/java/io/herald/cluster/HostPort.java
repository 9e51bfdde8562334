package io.herald.cluster;

import java.util.regex.Pattern;

/** A MySQL instance address. The host is a name or an IP literal (IPv6 without brackets); port 1..65535. */
public record HostPort(String host, int port) {
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]{1,255}");

  public HostPort {
    if (host == null || !HOST.matcher(host).matches()) {
      throw new IllegalArgumentException("invalid host '" + host + "'");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid port " + port + ": must be 1..65535");
    }
  }

  /** Parses {@code host:port}, {@code [v6]:port} or {@code v6:port} (the last colon splits). */
  public static HostPort parse(String text) {
    if (text == null) throw new IllegalArgumentException("missing host:port");
    String s = text.trim();
    int colon = s.lastIndexOf(':');
    if (colon <= 0 || colon == s.length() - 1) {
      throw new IllegalArgumentException("invalid address '" + text + "': expected host:port");
    }
    String host = s.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
    return new HostPort(host, parsePort(s.substring(colon + 1)));
  }

  public static int parsePort(String text) {
    try {
      int p = Integer.parseInt(text.trim());
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
