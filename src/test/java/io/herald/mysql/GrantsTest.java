package io.herald.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class GrantsTest {
  private static final String FULL = "GRANT SUPER, PROCESS, RELOAD, REPLICATION SLAVE, BINLOG MONITOR, "
      + "REPLICATION SLAVE ADMIN, REPLICATION MASTER ADMIN, SLAVE MONITOR, READ_ONLY ADMIN, CONNECTION ADMIN ON *.* "
      + "TO `herald`@`127.0.0.1` IDENTIFIED BY PASSWORD '*F3A2A51A9B0F2BE2468926B4132313728C250DBF'";

  @Test
  void herald10_11GrantsLackNothing() {
    assertThat(Grants.missing(List.of(FULL, "GRANT SELECT ON `mysql`.* TO `herald`@`127.0.0.1`"))).isEmpty();
  }

  @Test
  void allPrivilegesCoverEverything() {
    assertThat(Grants.missing(List.of("GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"))).isEmpty();
  }

  @Test
  void eachMissingPrivilegeIsNamedAndSelectOnMysqlCountsSeparately() {
    assertThat(Grants.missing(List.of(FULL.replace(" READ_ONLY ADMIN,", ""))))
        .containsExactly("READ_ONLY ADMIN", "SELECT ON mysql.*");
    assertThat(Grants.missing(List.of("GRANT USAGE ON *.* TO `app`@`%`", "GRANT ALL PRIVILEGES ON `app`.* TO `app`@`%`")))
        .hasSize(11).contains("SUPER", "SLAVE MONITOR", "SELECT ON mysql.*");
  }

  @Test
  void oldNamesSchemaGrantsColumnsAndRolesAreReadRightly() {
    assertThat(Grants.missing(List.of(
        "GRANT SUPER, PROCESS, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT, REPLICATION SLAVE ADMIN, "
            + "REPLICATION MASTER ADMIN, SLAVE MONITOR, READ_ONLY ADMIN, CONNECTION ADMIN ON *.* TO `h`@`%`",
        "GRANT ALL PRIVILEGES ON `mysql`.* TO `h`@`%`"))).isEmpty();
    // table and column grants do not give SELECT on the schema; a role grant has no ON and is skipped
    assertThat(Grants.missing(List.of(FULL, "GRANT SELECT (`User`, `Host`) ON `mysql`.`user` TO `h`@`%`",
        "GRANT `dba` TO `h`@`%`"))).containsExactly("SELECT ON mysql.*");
    // a privilege granted on one schema only is not global
    assertThat(Grants.missing(List.of("GRANT SUPER ON `app`.* TO `h`@`%`"))).contains("SUPER");
  }

  @Test
  void aMysqlGreetingIsToldFromOtherListeners() throws IOException {
    byte[] mariadb = {0x5b, 0, 0, 0, 10, '5', '.', '5'};
    assertThat(ProbeFailures.classify(new ByteArrayInputStream(mariadb))).isEqualTo(ProbeFailures.Greeting.MYSQL);
    byte[] tooMany = {0x17, 0, 0, 0, (byte) 0xff, 0x10, 0x04};
    assertThat(ProbeFailures.classify(new ByteArrayInputStream(tooMany))).isEqualTo(ProbeFailures.Greeting.MYSQL);
    assertThat(ProbeFailures.classify(new ByteArrayInputStream("HTTP/1.1 400 Bad Request\r\n".getBytes())))
        .isEqualTo(ProbeFailures.Greeting.NOT_MYSQL);
    assertThat(ProbeFailures.classify(new ByteArrayInputStream("SSH-2.0-OpenSSH_9.2\r\n".getBytes())))
        .isEqualTo(ProbeFailures.Greeting.NOT_MYSQL);
    assertThat(ProbeFailures.classify(new ByteArrayInputStream(new byte[0]))).isEqualTo(ProbeFailures.Greeting.CLOSED);
  }

  @Test
  void flagsReadEveryWayTheServerPrintsThem() {
    assertThat(InstanceQueries.flag("1")).isTrue();
    assertThat(InstanceQueries.flag("ON")).isTrue();
    assertThat(InstanceQueries.flag("NO_LOCK")).isTrue();
    assertThat(InstanceQueries.flag("0")).isFalse();
    assertThat(InstanceQueries.flag("OFF")).isFalse();
    assertThat(InstanceQueries.flag(null)).isFalse();
  }
}
