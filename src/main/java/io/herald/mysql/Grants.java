package io.herald.mysql;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of the privileges Herald needs on MariaDB 10.11 the lines of {@code SHOW GRANTS} leave out. Pure.
 *
 * <p>Global privileges are read from grants {@code ON *.*}; {@code SELECT ON mysql.*} is satisfied by SELECT (or
 * ALL) on {@code *.*} or {@code mysql.*}. {@code ALL [PRIVILEGES]} covers everything, {@code REPLICATION CLIENT} is
 * the old name of {@code BINLOG MONITOR}. Privileges are taken literally as 10.11 requires them: {@code SUPER} no
 * longer implies {@code READ_ONLY ADMIN} there. Grants through roles and column or table grants are not counted.
 */
final class Grants {
  /** The global privileges, each with what needs it. */
  enum Needed {
    SUPER("SUPER"), PROCESS("PROCESS"), RELOAD("RELOAD"), REPLICATION_SLAVE("REPLICATION SLAVE"),
    BINLOG_MONITOR("BINLOG MONITOR"), REPLICATION_SLAVE_ADMIN("REPLICATION SLAVE ADMIN"),
    REPLICATION_MASTER_ADMIN("REPLICATION MASTER ADMIN"), SLAVE_MONITOR("SLAVE MONITOR"),
    READ_ONLY_ADMIN("READ_ONLY ADMIN"), CONNECTION_ADMIN("CONNECTION ADMIN");

    final String sql;

    Needed(String sql) {
      this.sql = sql;
    }
  }

  static final String SELECT_ON_MYSQL = "SELECT ON mysql.*";
  private static final Pattern GRANT = Pattern.compile("^GRANT\\s+(.+?)\\s+ON\\s+(\\S+)\\s+TO\\s", Pattern.CASE_INSENSITIVE);
  private static final Pattern COLUMNS = Pattern.compile("\\([^)]*\\)");

  private Grants() {}

  /** The missing privileges, in the order of {@link Needed}, then {@code SELECT ON mysql.*}; empty when none. */
  static Set<String> missing(List<String> showGrantsLines) {
    EnumSet<Needed> global = EnumSet.noneOf(Needed.class);
    boolean selectOnMysql = false;
    for (String line : showGrantsLines) {
      Matcher m = GRANT.matcher(line.trim());
      if (!m.find()) continue; // role grants ("GRANT `r` TO ...") and anything else we do not read
      String object = m.group(2).replace("`", "");
      boolean everything = object.equals("*.*");
      boolean mysqlDb = object.equalsIgnoreCase("mysql.*");
      if (!everything && !mysqlDb) continue;
      for (String raw : COLUMNS.matcher(m.group(1)).replaceAll("").split(",")) {
        String p = raw.trim().replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
        boolean all = p.equals("ALL") || p.equals("ALL PRIVILEGES");
        if (all || p.equals("SELECT")) selectOnMysql = true;
        if (!everything) continue;
        if (all) global = EnumSet.allOf(Needed.class);
        else if (p.equals("REPLICATION CLIENT")) global.add(Needed.BINLOG_MONITOR);
        else for (Needed n : Needed.values()) if (n.sql.equals(p)) global.add(n);
      }
    }
    Set<String> missing = new LinkedHashSet<>();
    for (Needed n : Needed.values()) if (!global.contains(n)) missing.add(n.sql);
    if (!selectOnMysql) missing.add(SELECT_ON_MYSQL);
    return missing;
  }
}
