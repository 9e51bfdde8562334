package io.herald.config;

/** The configuration is wrong; the message names the key and what is wrong with it. */
public final class ConfigException extends Exception {
  private final String key;

  public ConfigException(String key, String message) {
    super(key.isEmpty() ? message : key + ": " + message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
