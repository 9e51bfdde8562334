package io.herald.recovery;

import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.raft.Command;
import io.herald.raft.CommandResult;
import io.herald.raft.Recovery;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's hold on one active recovery: its id (the lease) and the raft term the run began in. Every read of the
 * record, every step and the end go through it, so a run stops ({@link RecoveryContext.Deposed}) as soon as its node
 * no longer leads that term or the recovery is no longer the active one.
 */
final class RecoveryLease {
  private static final Logger LOG = LoggerFactory.getLogger(RecoveryLease.class);
  private final RecoveryContext ctx;
  private final Alias alias;
  private final long id;
  private final long term;
  private final String kind;

  /** @param kind "recovery" or "takeover", for the log */
  RecoveryLease(RecoveryContext ctx, Alias alias, long id, long term, String kind) {
    this.ctx = ctx;
    this.alias = alias;
    this.id = id;
    this.term = term;
    this.kind = kind;
  }

  Alias alias() {
    return alias;
  }

  long id() {
    return id;
  }

  /**
   * Runs a drive: a Deposed run stops quietly (a leader resumes it); an unexpected error ends the recovery through
   * {@code onError} (may have changed the servers).
   */
  void run(Runnable drive, java.util.function.Consumer<String> onError) {
    try {
      drive.run();
    } catch (RecoveryContext.Deposed e) {
      LOG.info("{} {} of {}: stopped ({}); the leader resumes it", kind, id, alias, e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("{} {} of {}: failed: {}", kind, id, alias, e.toString());
      onError.accept("unexpected error: " + e);
    }
  }

  /** The record, while it is the active recovery and this node leads the term; else Deposed. */
  Recovery current() {
    Recovery r = ctx.active(alias).filter(x -> x.id() == id)
        .orElseThrow(() -> new RecoveryContext.Deposed(kind + " " + id + " is no longer active"));
    guard();
    return r;
  }

  /** Still the leader of the same term: else stop before touching a server. */
  void guard() {
    var s = ctx.raft().status();
    if (!s.isLeader() || s.term() != term) throw new RecoveryContext.Deposed("no longer the leader of term " + term);
  }

  /** Commits a step; a refusal (a stale id) stops the run. */
  void step(String text, Optional<HostPort> successor, boolean promoting) {
    String t = clip(text);
    CommandResult r = ctx.commit(new Command.RecoveryStep(alias, id, t, successor, promoting, ctx.clock().millis()));
    if (r.error().isPresent()) throw new RecoveryContext.Deposed(r.error().get().message());
    LOG.info("{} {} of {}: {}", kind, id, alias, t);
  }

  /** Commits the end; returns whether it was recorded (false: refused, or not committed, and a leader resumes it). */
  boolean end(boolean changedServers, String reason) {
    String t = clip(reason);
    try {
      CommandResult r = ctx.commit(new Command.EndRecovery(alias, id, changedServers, t, ctx.clock().millis()));
      if (r.error().isPresent()) {
        LOG.info("{} {} of {}: end refused: {}", kind, id, alias, r.error().get().message());
        return false;
      }
    } catch (RecoveryContext.Deposed e) {
      LOG.info("{} {} of {}: could not record its end ({}); the leader resumes it", kind, id, alias, e.getMessage());
      return false;
    }
    LOG.warn("{} {} of {}: ended without a new master: {}", kind, id, alias, t);
    return true;
  }

  private static String clip(String text) {
    return text.length() > Command.MAX_TEXT ? text.substring(0, Command.MAX_TEXT - 3) + "..." : text;
  }
}
