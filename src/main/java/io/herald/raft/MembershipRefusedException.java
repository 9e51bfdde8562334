package io.herald.raft;

/**
 * A membership change that is refused as asked, whatever the group's health: the address is not a member
 * ({@link Reason#NOT_A_MEMBER}), or removing it would leave the group without members ({@link Reason#LAST_MEMBER}).
 */
public final class MembershipRefusedException extends RuntimeException {
  public enum Reason { NOT_A_MEMBER, LAST_MEMBER }

  private final Reason reason;

  public MembershipRefusedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
