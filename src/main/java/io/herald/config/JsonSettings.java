package io.herald.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Typed reads of a JSON config object that remember which keys were read, so that the rest can be reported as
 * unknown. Every failure names the key. Empty strings count as unset, as in orchestrator's config.
 */
final class JsonSettings {
  private final ObjectNode root;
  private final Set<String> read = new HashSet<>();

  JsonSettings(ObjectNode root) {
    this.root = root;
  }

  private Optional<JsonNode> node(String key) {
    read.add(key);
    JsonNode n = root.get(key);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n);
  }

  Optional<String> string(String key) throws ConfigException {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) return Optional.empty();
    if (!n.get().isTextual()) throw new ConfigException(key, "expected a string, got " + n.get().getNodeType().name().toLowerCase());
    String s = n.get().asText().trim();
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }

  String string(String key, String fallback) throws ConfigException {
    return string(key).orElse(fallback);
  }

  boolean bool(String key, boolean fallback) throws ConfigException {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) return fallback;
    if (!n.get().isBoolean()) throw new ConfigException(key, "expected true or false, got " + n.get());
    return n.get().asBoolean();
  }

  long integer(String key, long fallback, long min, long max) throws ConfigException {
    Optional<JsonNode> n = node(key);
    if (n.isEmpty()) return fallback;
    if (!n.get().isIntegralNumber()) throw new ConfigException(key, "expected a whole number, got " + n.get());
    long v = n.get().asLong();
    if (v < min || v > max) throw new ConfigException(key, "must be between " + min + " and " + max + ", got " + v);
    return v;
  }

  Duration seconds(String key, long fallback, long min, long max) throws ConfigException {
    return Duration.ofSeconds(integer(key, fallback, min, max));
  }

  Duration millis(String key, long fallback, long min, long max) throws ConfigException {
    return Duration.ofMillis(integer(key, fallback, min, max));
  }

  List<String> strings(String key) throws ConfigException {
    Optional<JsonNode> n = node(key);
    List<String> out = new ArrayList<>();
    if (n.isEmpty()) return out;
    if (!n.get().isArray()) throw new ConfigException(key, "expected a list of strings, got " + n.get().getNodeType().name().toLowerCase());
    for (JsonNode e : n.get()) {
      if (!e.isTextual()) throw new ConfigException(key, "expected a list of strings, found " + e);
      if (!e.asText().isBlank()) out.add(e.asText().trim());
    }
    return out;
  }

  /** An object of string values, in file order (empty when absent). */
  java.util.LinkedHashMap<String, String> stringMap(String key) throws ConfigException {
    Optional<JsonNode> n = node(key);
    java.util.LinkedHashMap<String, String> out = new java.util.LinkedHashMap<>();
    if (n.isEmpty()) return out;
    if (!n.get().isObject()) throw new ConfigException(key, "expected an object of strings, got " + n.get().getNodeType().name().toLowerCase());
    for (Iterator<java.util.Map.Entry<String, JsonNode>> it = n.get().fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isTextual()) throw new ConfigException(key, "expected a string for '" + e.getKey() + "', found " + e.getValue());
      out.put(e.getKey(), e.getValue().asText());
    }
    return out;
  }

  /** Keys present in the file that nothing read. */
  List<String> unread() {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      if (!read.contains(k)) out.add(k);
    }
    return out;
  }
}
