package io.herald.mysql;

import io.herald.cluster.HostPort;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link ReplicationControl#killWriteSessions}.
 *
 * @param instance the instance
 * @param privilegedUsers the user names found to bypass {@code read_only} (holding SUPER or READ_ONLY ADMIN, directly
 *     or through a role), Herald's own user included
 * @param killed the sessions killed (empty unless {@link Status#KILLED})
 * @param status what was done
 */
public record SessionKill(HostPort instance, List<String> privilegedUsers, List<Session> killed, Status status) {
  public enum Status {
    /** At least one session was killed. */
    KILLED,
    /** No session needed killing: nothing was done. */
    NONE_FOUND,
    /** The instance is writable: killing sessions would not stop writes (set read_only first); nothing was done. */
    REFUSED_WRITABLE
  }

  /**
   * One session as the processlist showed it just before it was killed (its statement text is not kept: it may hold
   * secrets).
   */
  public record Session(long id, String user, String host, String command, long seconds) {
    public Session {
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(host, "host");
      Objects.requireNonNull(command, "command");
    }
  }

  public SessionKill {
    Objects.requireNonNull(instance, "instance");
    privilegedUsers = List.copyOf(privilegedUsers);
    killed = List.copyOf(killed);
    Objects.requireNonNull(status, "status");
  }
}
