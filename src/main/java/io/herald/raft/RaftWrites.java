package io.herald.raft;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.GroupMismatchException;
import org.apache.ratis.protocol.exceptions.LeaderNotReadyException;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.StateMachineException;
import org.apache.ratis.server.RaftServer;

/**
 * Sends this node's writes to the raft leader, by the shortest way: on the leader straight into its own Ratis server
 * (no gRPC round trip to itself), on a follower over one long-lived gRPC stream to the leader this node follows.
 *
 * <p>Every attempt of one write carries the same client id and call id, so Ratis' retry cache answers a retry of a
 * write that was already applied (or is still pending) with that write's reply instead of applying it twice, as
 * Ratis' own client does. A write is retried (after {@code retryMillis}, or at once at a leader named in a NotLeader
 * answer) until it succeeds or {@code timeoutMillis} passed; a state machine error or a group mismatch is not retried.
 * Every write is answered: on success, on failure, after at most the timeout plus one attempt, or at {@link #close}.
 * Answers and retries run on this class's own threads, never on a Ratis or gRPC thread (callers' continuations, and
 * Ratis' reconnects, may block).
 *
 * <p>Lifecycle: construct after the Ratis server started, {@link #close} once (idempotent). Thread-safe.
 */
final class RaftWrites implements AutoCloseable {
  /** The Ratis client's own timeout of one request on its gRPC stream; set on the client by {@link RatisNode}. */
  static final long STREAM_TIMEOUT_MILLIS = 3000;
  /**
   * One attempt waits at most this long. Above the stream's own timeout: a retry sent on the stream while the same
   * call id still waits there would be refused. A retry of a write still pending at the leader gets that same write.
   */
  static final long ATTEMPT_MILLIS = STREAM_TIMEOUT_MILLIS + 500;

  private final RaftServer server;
  private final RaftGroupId group;
  private final Supplier<RaftClientRpc> rpc;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final long timeoutMillis;
  private final long retryMillis;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final Set<CompletableFuture<RaftClientReply>> unanswered = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final ExecutorService work = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "raft-write");
    t.setDaemon(true);
    return t;
  });
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "raft-write-retry");
    t.setDaemon(true);
    return t;
  });

  RaftWrites(RaftServer server, RaftGroupId group, Supplier<RaftClientRpc> rpc, long timeoutMillis, long retryMillis,
      int maxInFlight) {
    this.server = server;
    this.group = group;
    this.rpc = rpc;
    this.timeoutMillis = timeoutMillis;
    this.retryMillis = retryMillis;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * The leader's successful reply to the message, or a failure: {@link RaftUnavailableException} when too many
   * writes wait or the node closes, else the cause of the last failed attempt (a {@link TimeoutException} when the
   * time ran out). Completed on this class's threads.
   */
  CompletableFuture<RaftClientReply> send(Message message) {
    if (closed) return CompletableFuture.failedFuture(new RaftUnavailableException("raft node is closing"));
    if (!inFlight.tryAcquire()) {
      return CompletableFuture.failedFuture(new RaftUnavailableException(
          "too many raft writes waiting (" + maxInFlight + "); try again"));
    }
    CompletableFuture<RaftClientReply> result = new CompletableFuture<>();
    unanswered.add(result);
    // the last guard: whatever goes wrong below, the caller hears within this
    result.orTimeout(timeoutMillis + ATTEMPT_MILLIS + 1000, TimeUnit.MILLISECONDS);
    CompletableFuture<RaftClientReply> answer = new CompletableFuture<>();
    result.whenComplete((reply, error) -> {
      inFlight.release();
      unanswered.remove(result);
      onOwnThread(() -> {
        if (error != null) answer.completeExceptionally(unwrap(error));
        else answer.complete(reply);
      });
    });
    if (closed) result.completeExceptionally(new RaftUnavailableException("raft node is closing"));
    long call = callIds.incrementAndGet();
    guarded(result, () -> attempt(message, call, null, System.nanoTime() + timeoutMillis * 1_000_000L, null, result));
    return answer;
  }

  /** One attempt, to {@code target} or else the leader this node knows; then success, failure or another attempt. */
  private void attempt(Message message, long call, RaftPeerId target, long deadline, Throwable last,
      CompletableFuture<RaftClientReply> result) {
    if (result.isDone()) return;
    if (closed) {
      result.completeExceptionally(new RaftUnavailableException("raft node is closing"));
      return;
    }
    long left = (deadline - System.nanoTime()) / 1_000_000L;
    if (left <= 0) {
      result.completeExceptionally(last != null ? last : new TimeoutException("no raft leader known"));
      return;
    }
    RaftServer.Division division;
    try {
      division = server.getDivision(group);
    } catch (IOException | RuntimeException e) {
      retryLater(message, call, deadline, e, result); // not started yet, or closing
      return;
    }
    RaftPeerId leader = target != null ? target : division.getInfo().getLeaderId();
    if (leader == null) {
      retryLater(message, call, deadline, new TimeoutException("no raft leader known"), result);
      return;
    }
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setLeaderId(leader)
        .setGroupId(group)
        .setCallId(call)
        .setMessage(message)
        .setType(RaftClientRequest.writeRequestType())
        .build();
    boolean local = leader.equals(server.getId());
    CompletableFuture<RaftClientReply> sent;
    try {
      if (local) {
        sent = server.submitClientRequestAsync(request);
      } else {
        // the client knows the members it was built with; the group may have more since (raft-add-peer)
        rpc.get().addRaftPeers(division.getGroup().getPeers());
        sent = rpc.get().sendRequestAsyncUnordered(request);
      }
    } catch (IOException | RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    // a copy: the future may be Ratis' own, and a timeout must not complete that one
    sent.copy().orTimeout(Math.min(left, ATTEMPT_MILLIS), TimeUnit.MILLISECONDS).whenCompleteAsync(
        (reply, error) -> guarded(result, () -> answered(message, call, target, leader, local, deadline, reply, error, result)),
        work);
  }

  private void answered(Message message, long call, RaftPeerId target, RaftPeerId leader, boolean local, long deadline,
      RaftClientReply reply, Throwable error, CompletableFuture<RaftClientReply> result) {
    if (error == null && reply.isSuccess()) {
      result.complete(reply);
      return;
    }
    Throwable cause = error != null ? unwrap(error) : reply.getException();
    if (cause instanceof StateMachineException || cause instanceof GroupMismatchException) {
      result.completeExceptionally(cause);
      return;
    }
    // a remote leader's NotLeader fails the whole stream (it comes as the error); Ratis' client then reconnects
    NotLeaderException notLeader = reply != null && reply.getNotLeaderException() != null ? reply.getNotLeaderException()
        : cause instanceof NotLeaderException n ? n : null;
    if (!local && error != null) {
      rpc.get().handleException(leader, cause, notLeader != null || cause instanceof LeaderNotReadyException);
    }
    RaftPeerId suggested = notLeader != null && notLeader.getSuggestedLeader() != null
        ? notLeader.getSuggestedLeader().getId() : null;
    if (suggested != null && !suggested.equals(leader) && target == null) { // one hop at once, then wait
      attempt(message, call, suggested, deadline, cause, result);
    } else {
      retryLater(message, call, deadline, cause, result);
    }
  }

  private void retryLater(Message message, long call, long deadline, Throwable cause,
      CompletableFuture<RaftClientReply> result) {
    try {
      timer.schedule(() -> onOwnThread(() -> guarded(result, () -> attempt(message, call, null, deadline, cause, result))),
          retryMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      result.completeExceptionally(new RaftUnavailableException("raft node is closing"));
    }
  }

  /** Runs the step; anything it throws answers the write with that failure instead of leaving it unanswered. */
  private static void guarded(CompletableFuture<RaftClientReply> result, Runnable step) {
    try {
      step.run();
    } catch (RuntimeException | Error e) {
      result.completeExceptionally(e);
    }
  }

  /** On one of this class's threads; on the calling thread once they are shut down. */
  private void onOwnThread(Runnable task) {
    try {
      work.execute(task);
    } catch (RejectedExecutionException closing) {
      task.run();
    }
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
  }

  /** Answers every waiting write with "closing" and stops the threads. */
  @Override
  public void close() {
    closed = true;
    timer.shutdownNow();
    for (CompletableFuture<RaftClientReply> r : unanswered) {
      r.completeExceptionally(new RaftUnavailableException("raft node is closing"));
    }
    work.shutdown();
  }
}
