package io.herald.mysql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the sessions that can write on a read_only instance: those of users holding SUPER or READ_ONLY ADMIN
 * (READ_ONLY ADMIN is what bypasses read_only on MariaDB 10.11; SUPER is counted too, as it does on MySQL and older
 * MariaDB), granted directly or through roles. Users are matched by name on any host: a same-named account without
 * the privilege is killed too, which errs on the side of stopping writes. Reading every account's privileges needs
 * {@code SELECT} on {@code mysql.*} (without it, the roles query is refused and the operation fails, rather than
 * missing users).
 */
final class WriteSessions {
  static final String PRIVILEGED = "SELECT GRANTEE FROM information_schema.USER_PRIVILEGES"
      + " WHERE PRIVILEGE_TYPE IN ('SUPER', 'READ_ONLY ADMIN')";
  static final String ROLES = "SELECT User, Role FROM mysql.roles_mapping";
  static final String SESSIONS = "SELECT ID, USER, HOST, COMMAND, TIME FROM information_schema.PROCESSLIST";
  /** Threads that are the server's own or a replica's, never an application's. */
  private static final Set<String> SYSTEM_COMMANDS = Set.of("binlog dump", "binlog dump gtid", "daemon", "slave_io",
      "slave_sql", "slave_worker", "killed");
  private static final Set<String> SYSTEM_USERS = Set.of("system user", "event_scheduler", "unauthenticated user");

  private WriteSessions() {}

  /** The user names holding SUPER or READ_ONLY ADMIN, through roles too; {@code PUBLIC} stands for every user. */
  static Set<String> privilegedUsers(List<Map<String, String>> grantees, List<Map<String, String>> roleMappings) {
    Set<String> names = new TreeSet<>();
    for (Map<String, String> r : grantees) names.add(userOf(String.valueOf(r.get("GRANTEE"))));
    // a role granted to a role: follow the mappings until nothing new comes
    boolean grew = true;
    while (grew) {
      grew = false;
      for (Map<String, String> m : roleMappings) {
        if (names.contains(m.get("Role")) && m.get("User") != null && !m.get("User").isEmpty()) {
          grew |= names.add(m.get("User"));
        }
      }
    }
    return names;
  }

  /** {@code 'user'@'host'} or a role's {@code 'role'} -> the name. */
  static String userOf(String grantee) {
    String g = grantee.trim();
    int at = g.lastIndexOf("'@'");
    String name = at > 0 ? g.substring(0, at + 1) : g;
    if (name.length() >= 2 && name.startsWith("'") && name.endsWith("'")) name = name.substring(1, name.length() - 1);
    return name.replace("''", "'");
  }

  /** The sessions to kill among the processlist's rows. */
  static List<SessionKill.Session> toKill(List<Map<String, String>> processlist, Set<String> privileged, long ownId,
      String heraldUser) {
    boolean everyone = privileged.contains("PUBLIC");
    List<SessionKill.Session> out = new ArrayList<>();
    for (Map<String, String> r : processlist) {
      long id = Long.parseLong(r.get("ID"));
      String user = r.get("USER") == null ? "" : r.get("USER");
      String command = r.get("COMMAND") == null ? "" : r.get("COMMAND");
      if (id == ownId || user.equals(heraldUser) || SYSTEM_USERS.contains(user.toLowerCase(Locale.ROOT))) continue;
      if (SYSTEM_COMMANDS.contains(command.toLowerCase(Locale.ROOT))) continue;
      if (!everyone && !privileged.contains(user)) continue;
      String time = r.get("TIME");
      out.add(new SessionKill.Session(id, user, r.get("HOST") == null ? "" : r.get("HOST"), command,
          time == null ? 0 : Long.parseLong(time)));
    }
    return out;
  }
}
