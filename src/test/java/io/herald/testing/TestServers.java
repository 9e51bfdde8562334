package io.herald.testing;

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

  /** A key prefix no other test run uses, so tests can share one server. */
  public static String uniquePrefix(String what) {
    return "t" + Long.toString(System.nanoTime(), 36) + "/" + what;
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}
