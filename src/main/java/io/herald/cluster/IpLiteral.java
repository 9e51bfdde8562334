package io.herald.cluster;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * The rules for IP literals that Herald publishes: IPv4 only in canonical dotted-quad form (four decimal parts
 * 0..255 without leading zeros), IPv6 as Java parses a literal, without a zone id; never an unspecified address
 * ({@code 0.0.0.0}, {@code ::}). Non-canonical forms are refused rather than normalised, because resolvers disagree
 * on them: glibc reads {@code 0177.0.0.1} as 127.0.0.1 (octal) and {@code 1.2.3} as 1.2.0.3. Pure, no lookups.
 */
public final class IpLiteral {
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
  /** A part of what inet_aton would read as a number: decimal, octal or hex. */
  private static final Pattern NUMERIC_PART = Pattern.compile("[0-9]+|0[xX][0-9A-Fa-f]*");
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private IpLiteral() {}

  /** A canonical dotted-quad IPv4 address other than 0.0.0.0. */
  public static boolean isIpv4(String s) {
    return s != null && IPV4.matcher(s).matches() && !s.equals("0.0.0.0");
  }

  /** A valid IPv6 literal (no brackets, no zone id) other than {@code ::}. */
  public static boolean isIpv6(String s) {
    if (s == null || !s.contains(":") || !IPV6_CHARS.matcher(s).matches()) return false;
    try {
      // a string with ':' is parsed as a literal only: InetAddress never looks it up
      InetAddress a = InetAddress.getByName(s);
      return !a.isAnyLocalAddress(); // an IPv4-mapped literal comes back as an Inet4Address: still valid
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /**
   * True when a resolver could read {@code host} as a numeric IPv4 address in some form (every dot-separated part
   * decimal, octal or hex): such a host must be {@link #isIpv4 canonical} to be accepted as a name.
   */
  public static boolean looksNumeric(String host) {
    for (String part : host.split("\\.", -1)) {
      if (!NUMERIC_PART.matcher(part).matches()) return false;
    }
    return true;
  }
}
