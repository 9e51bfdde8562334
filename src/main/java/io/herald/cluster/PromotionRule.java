package io.herald.cluster;

import java.util.Locale;

/** orchestrator's candidate promotion rules ({@code register-candidate}), in order of preference. */
public enum PromotionRule {
  PREFER, NEUTRAL, PREFER_NOT, MUST_NOT;

  /** orchestrator's spelling ({@code prefer}, {@code neutral}, {@code prefer_not}, {@code must_not}). */
  public String orchestratorName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses orchestrator's spelling; {@code must} is refused, as orchestrator refuses it ("not supported yet"). */
  public static PromotionRule parse(String text) {
    if ("must".equals(text)) throw new IllegalArgumentException("promotion rule 'must' is not supported (as in orchestrator)");
    for (PromotionRule r : values()) if (r.orchestratorName().equals(text)) return r;
    throw new IllegalArgumentException("invalid promotion rule '" + text + "': prefer, neutral, prefer_not or must_not");
  }
}
