package io.herald.cluster;

import java.util.regex.Pattern;

/**
 * A cluster's alias: the stable name under which its master is published ({@code <prefix><alias>}).
 * One to 128 of letters, digits, {@code -}, {@code _} and {@code .}; never {@code /}, and never {@code .} or
 * {@code ..} (ZooKeeper refuses those as path elements).
 */
public record Alias(String value) implements Comparable<Alias> {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

  public Alias {
    if (value == null || !VALID.matcher(value).matches() || value.equals(".") || value.equals("..")) {
      throw new IllegalArgumentException("invalid cluster alias '" + printable(value)
          + "': use 1 to 128 letters, digits, '-', '_' or '.' (not '.' or '..' alone)");
    }
  }

  public static Alias of(String value) {
    return new Alias(value);
  }

  private static String printable(String s) {
    if (s == null) return "null";
    String cut = s.length() > 140 ? s.substring(0, 140) + "..." : s;
    return cut.replaceAll("\\p{Cntrl}", "?");
  }

  @Override
  public int compareTo(Alias o) {
    return value.compareTo(o.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
