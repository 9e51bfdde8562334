package io.herald.failover;

import io.herald.cluster.HostPort;
import io.herald.cluster.PromotionRule;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What limits the choice of a failed master's successor beyond the servers' own state.
 *
 * @param promotionRules registered promotion rules still valid (register-candidate), by instance; others are neutral
 * @param ignoreHostnames {@code PromotionIgnoreHostnameFilters}: a replica whose host matches one is never promoted
 * @param sameDataCenterOnly {@code PreventCrossDataCenterMasterFailover}: only a replica in the failed master's data
 *     centre may be promoted
 */
public record SuccessorRules(Map<HostPort, PromotionRule> promotionRules, List<Pattern> ignoreHostnames,
    boolean sameDataCenterOnly) {
  public SuccessorRules {
    promotionRules = Map.copyOf(promotionRules);
    ignoreHostnames = List.copyOf(ignoreHostnames);
  }

  public static SuccessorRules none() {
    return new SuccessorRules(Map.of(), List.of(), false);
  }

  PromotionRule rule(HostPort h) {
    return promotionRules.getOrDefault(Objects.requireNonNull(h), PromotionRule.NEUTRAL);
  }
}
