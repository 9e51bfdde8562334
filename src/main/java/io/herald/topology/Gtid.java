package io.herald.topology;

/**
 * One MariaDB GTID, {@code domain-server-seq} (e.g. {@code 0-1-322}): the transaction with sequence number
 * {@code seq} in replication domain {@code domain}, first written by server {@code serverId}.
 */
public record Gtid(long domain, long serverId, long seq) {
  public Gtid {
    if (domain < 0 || serverId < 0 || seq < 0) {
      throw new IllegalArgumentException("invalid GTID " + domain + "-" + serverId + "-" + seq);
    }
  }

  /** Parses {@code domain-server-seq}; throws {@link IllegalArgumentException} naming the text when malformed. */
  public static Gtid parse(String text) {
    String[] p = text.trim().split("-", -1);
    if (p.length != 3) throw new IllegalArgumentException("invalid GTID '" + text + "': expected domain-server-seq");
    try {
      return new Gtid(Long.parseUnsignedLong(p[0]), Long.parseUnsignedLong(p[1]), Long.parseUnsignedLong(p[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid GTID '" + text + "': expected domain-server-seq");
    }
  }

  @Override
  public String toString() {
    return domain + "-" + serverId + "-" + seq;
  }
}
