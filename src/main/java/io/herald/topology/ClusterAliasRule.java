package io.herald.topology;

import io.herald.cluster.Alias;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of orchestrator's {@code ClusterNameToAlias}: clusters whose name (the master's {@code host:port})
 * matches {@code pattern} anywhere (Go's {@code regexp.MatchString}, Java's {@code find}) get {@code alias}.
 */
public record ClusterAliasRule(Pattern pattern, Alias alias) {
  public ClusterAliasRule {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(alias, "alias");
  }

  /** A rule from configuration text; throws {@link IllegalArgumentException} for a bad regex or alias. */
  public static ClusterAliasRule of(String regex, String alias) {
    try {
      return new ClusterAliasRule(Pattern.compile(regex), Alias.of(alias));
    } catch (java.util.regex.PatternSyntaxException e) {
      throw new IllegalArgumentException("invalid ClusterNameToAlias pattern '" + regex + "': " + e.getDescription());
    }
  }

  public boolean matches(String clusterName) {
    return pattern.matcher(clusterName).find();
  }
}
