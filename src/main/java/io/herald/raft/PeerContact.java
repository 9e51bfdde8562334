package io.herald.raft;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the leader's view of its followers (how long since each last answered) into the few events an operator
 * wants in the log: a peer stopped answering, it still does not answer (every {@link #REMIND_EVERY}), it answers
 * again. Ratis itself logs every failed append, ten times a second while a peer is down; Herald silences that and
 * logs these instead. Pure: no clock and no I/O of its own; not thread-safe (one monitor thread calls it).
 */
final class PeerContact {
  /** A follower silent this long is reported (longer than an election timeout, so a GC pause is not a fault). */
  static final Duration UNREACHABLE_AFTER = Duration.ofSeconds(5);
  static final Duration REMIND_EVERY = Duration.ofMinutes(5);

  enum Kind { UNREACHABLE, STILL_UNREACHABLE, BACK }

  /** @param silentMillis how long the peer had not answered (for BACK: how long it had been unreachable) */
  record Event(Kind kind, String peer, long silentMillis) {}

  /** Peers reported unreachable: the monitor time (ms) of the last report, and of the first. */
  private final Map<String, long[]> reported = new HashMap<>();

  /**
   * @param silentMillisByPeer for each follower, milliseconds since it last answered the leader
   * @param nowMillis the monitor's clock, only compared with earlier calls
   */
  List<Event> observe(Map<String, Long> silentMillisByPeer, long nowMillis) {
    List<Event> events = new ArrayList<>();
    for (var e : silentMillisByPeer.entrySet()) {
      String peer = e.getKey();
      long silent = e.getValue();
      long[] r = reported.get(peer);
      if (silent >= UNREACHABLE_AFTER.toMillis()) {
        if (r == null) {
          reported.put(peer, new long[] {nowMillis, nowMillis - silent});
          events.add(new Event(Kind.UNREACHABLE, peer, silent));
        } else if (nowMillis - r[0] >= REMIND_EVERY.toMillis()) {
          r[0] = nowMillis;
          events.add(new Event(Kind.STILL_UNREACHABLE, peer, silent));
        }
      } else if (r != null) {
        reported.remove(peer);
        events.add(new Event(Kind.BACK, peer, Math.max(0, nowMillis - silent - r[1])));
      }
    }
    // a peer removed from the group, or a lost leadership (empty map), ends its story without a BACK
    reported.keySet().retainAll(silentMillisByPeer.keySet());
    return events;
  }
}
