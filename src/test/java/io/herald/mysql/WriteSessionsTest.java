package io.herald.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriteSessionsTest {

  @Test
  void granteesAreReadAsUserNamesAndRolesAreFollowedToTheirUsers() {
    List<Map<String, String>> grantees = List.of(Map.of("GRANTEE", "'root'@'127.0.0.1'"),
        Map.of("GRANTEE", "'o''brien'@'%'"), Map.of("GRANTEE", "'dba_role'"));
    List<Map<String, String>> roles = List.of(Map.of("User", "alice", "Role", "nested_role"),
        Map.of("User", "nested_role", "Role", "dba_role"), Map.of("User", "bob", "Role", "reader_role"));
    assertThat(WriteSessions.privilegedUsers(grantees, roles))
        .containsExactlyInAnyOrder("root", "o'brien", "dba_role", "nested_role", "alice");
  }

  @Test
  void onlyPrivilegedApplicationSessionsAreKilled() {
    List<Map<String, String>> processlist = List.of(
        session(1, "system user", "", "Slave_IO"),
        session(2, "system user", "", "Slave_SQL"),
        session(3, "repl", "127.0.0.1:40000", "Binlog Dump"),
        session(4, "herald", "127.0.0.1:40001", "Sleep"),
        session(5, "herald", "127.0.0.1:40002", "Query"),
        session(6, "root", "127.0.0.1:40003", "Query"),
        session(7, "app", "127.0.0.1:40004", "Sleep"),
        session(8, "event_scheduler", "localhost", "Daemon"),
        session(9, "writer", "127.0.0.1:40005", "Killed"));
    List<SessionKill.Session> kill = WriteSessions.toKill(processlist, Set.of("root", "herald", "writer", "repl"), 5,
        "herald");
    assertThat(kill).extracting(SessionKill.Session::id).containsExactly(6L);
    assertThat(kill.get(0)).isEqualTo(new SessionKill.Session(6, "root", "127.0.0.1:40003", "Query", 12));
  }

  @Test
  void aPrivilegeGrantedToPublicMakesEveryApplicationUserPrivileged() {
    List<SessionKill.Session> kill = WriteSessions.toKill(List.of(session(7, "app", "h:1", "Sleep")), Set.of("PUBLIC"),
        1, "herald");
    assertThat(kill).hasSize(1);
  }

  private static Map<String, String> session(long id, String user, String host, String command) {
    return Map.of("ID", Long.toString(id), "USER", user, "HOST", host, "COMMAND", command, "TIME", "12");
  }
}
