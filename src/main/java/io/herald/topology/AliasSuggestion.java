package io.herald.topology;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The alias a cluster would get if it had none yet (once bound, Herald keeps a cluster's alias across master changes;
 * that binding lives outside this model).
 *
 * @param alias the suggested alias
 * @param source where it came from
 */
public record AliasSuggestion(Alias alias, Source source) {
  /** Where a suggestion came from, in order of preference. */
  public enum Source {
    /** {@code DetectClusterAliasQuery} run on the master. */
    DETECTED,
    /** The first matching {@code ClusterNameToAlias} rule. */
    MAPPED,
    /** Derived from the master's key: {@code db1.example.com_3306}. */
    DERIVED
  }

  public AliasSuggestion {
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(source, "source");
  }

  /**
   * The suggestion for a cluster: the master's detected alias when it is a valid alias, else the first rule matching
   * the cluster name, else {@link #derived} from the master's key.
   */
  public static AliasSuggestion of(HostPort master, Optional<String> detected, List<ClusterAliasRule> rules) {
    Optional<Alias> valid = detected.map(String::trim).filter(AliasSuggestion::isValid).map(Alias::of);
    if (valid.isPresent()) return new AliasSuggestion(valid.get(), Source.DETECTED);
    String name = master.toString();
    for (ClusterAliasRule r : rules) {
      if (r.matches(name)) return new AliasSuggestion(r.alias(), Source.MAPPED);
    }
    return new AliasSuggestion(derived(master), Source.DERIVED);
  }

  /**
   * {@code host_port}, with every character an alias cannot hold (an IPv6 colon, a zone's {@code %}) replaced by
   * {@code _}, and the host cut so that the whole fits in 128 characters.
   */
  public static Alias derived(HostPort master) {
    String host = master.host().replaceAll("[^A-Za-z0-9._-]", "_");
    String port = "_" + master.port();
    if (host.length() + port.length() > 128) host = host.substring(0, 128 - port.length());
    return Alias.of(host + port);
  }

  private static boolean isValid(String text) {
    try {
      Alias.of(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false; // an alias the query returned that Herald cannot publish under: fall back to the next source
    }
  }
}
