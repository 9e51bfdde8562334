package io.herald.testing;

import io.herald.cluster.HostPort;
import io.herald.cluster.Secret;
import java.util.Arrays;
import java.util.List;

/**
 * Addresses of the real servers started by {@code bin/test-servers} (the test command starts them). Each can be
 * overridden with the environment variable that script prints.
 */
public final class TestServers {
  private TestServers() {}

  public static String zookeeper() {
    return env("HERALD_TEST_ZK", "127.0.0.1:22181");
  }

  public static String etcd() {
    return env("HERALD_TEST_ETCD", "http://127.0.0.1:22379");
  }

  public static String consul() {
    return env("HERALD_TEST_CONSUL", "127.0.0.1:28500");
  }

  public static String consulAclDc1() {
    return env("HERALD_TEST_CONSUL_ACL_DC1", "127.0.0.1:28600");
  }

  public static String consulAclDc2() {
    return env("HERALD_TEST_CONSUL_ACL_DC2", "127.0.0.1:28700");
  }

  public static String consulAclToken() {
    return env("HERALD_TEST_CONSUL_ACL_TOKEN", "3f1c2a7e-5b7d-4c1e-9a8f-6d2b0c4e1a11");
  }

  /** MariaDB cluster A: the master first, then its two replicas. Tests must not change it (read only). */
  public static List<HostPort> mariaDbClusterA() {
    return addresses(env("HERALD_TEST_MARIADB_A", "127.0.0.1:23306,127.0.0.1:23307,127.0.0.1:23308"));
  }

  /** MariaDB cluster B: the master, its replica, and that replica's replica (chained). Read only. */
  public static List<HostPort> mariaDbClusterB() {
    return addresses(env("HERALD_TEST_MARIADB_B", "127.0.0.1:23316,127.0.0.1:23317,127.0.0.1:23318"));
  }

  /** Herald's user on the MariaDB test servers (discovery and failover grants). */
  public static String mariaDbUser() {
    return env("HERALD_TEST_MARIADB_USER", "herald");
  }

  public static Secret mariaDbPassword() {
    return new Secret(env("HERALD_TEST_MARIADB_PASSWORD", "heraldpass"));
  }

  private static List<HostPort> addresses(String list) {
    return Arrays.stream(list.split(",")).map(HostPort::parse).toList();
  }

  /** A key prefix no other test run uses, so tests can share one server. */
  public static String uniquePrefix(String what) {
    return "t" + Long.toString(System.nanoTime(), 36) + "/" + what;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
