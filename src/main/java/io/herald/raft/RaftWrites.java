package io.herald.raft;

import java.io.IOException;
import java.util.List;
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
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClientRpc;
import org.apache.ratis.client.impl.RaftClientRpcWithProxy;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
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
  private final RaftClientRpc rpc;
  private final ClientId clientId = ClientId.randomId();
  private final AtomicLong callIds = new AtomicLong();
  private final long timeoutMillis;
  private final long retryMillis;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final Set<CompletableFuture<RaftClientReply>> unanswered = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;
  private final ExecutorService work = Executors.newFixedThreadPool(4, r -> new WorkThread(r, "raft-write"));
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("raft-write-retry"));
  /** Callers hear here: it never calls into Ratis, so nothing Ratis does (a reconnect) delays an answer. */
  private final ExecutorService answers = Executors.newFixedThreadPool(2, daemon("raft-write-answer"));
  /**
   * Ratis' reconnects to a peer (closing a gRPC channel waits up to 5 s for its calls), one at a time, so that they
   * hold up neither the attempts nor the answers.
   */
  private final ExecutorService reconnects = Executors.newSingleThreadExecutor(daemon("raft-write-reconnect"));
  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * The work pool's threads, the only ones a write goes into the local division on: nothing interrupts them (close
   * shuts the pool down without interrupting; the retry timer, which close does interrupt, only hands attempts to
   * this pool), and an answer thread, where a caller may submit its next write, must not wait on Ratis.
   */
  private static final class WorkThread extends Thread {
    WorkThread(Runnable r, String name) {
      super(r, name);
      setDaemon(true);
    }
  }

  /** Call ids answered since the last write was sent; the next one tells the leader it may forget them. */
  private Set<Long> replied = new java.util.TreeSet<>();

  RaftWrites(RaftServer server, RaftGroupId group, RaftClientRpc rpc, long timeoutMillis, long retryMillis,
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
    long call = callIds.incrementAndGet();
    result.whenComplete((reply, error) -> {
      inFlight.release();
      unanswered.remove(result);
      answered(call); // never tried again: its answer need not be kept for a retry
      onThread(answers, () -> {
        if (error != null) answer.completeExceptionally(unwrap(error));
        else answer.complete(reply);
      });
    });
    if (closed) result.completeExceptionally(new RaftUnavailableException("raft node is closing"));
    Write w = new Write(message, call, takeReplied(), System.nanoTime() + timeoutMillis * 1_000_000L, result);
    guarded(result, () -> attempt(w, null, null));
    return answer;
  }

  /**
   * One write: the same call id and the same answered call ids in every attempt, as Ratis' client sends them.
   *
   * @param deadline System.nanoTime after which no attempt starts
   */
  private record Write(Message message, long call, List<Long> replied, long deadline,
      CompletableFuture<RaftClientReply> result) {}

  private synchronized List<Long> takeReplied() {
    if (replied.isEmpty()) return List.of();
    List<Long> ids = List.copyOf(replied);
    replied = new java.util.TreeSet<>();
    return ids;
  }

  private synchronized void answered(long call) {
    replied.add(call);
  }

  /** One attempt, to {@code target} or else the leader this node knows; then success, failure or another attempt. */
  private void attempt(Write w, RaftPeerId target, Throwable last) {
    CompletableFuture<RaftClientReply> result = w.result();
    if (result.isDone()) return;
    if (closed) {
      result.completeExceptionally(new RaftUnavailableException("raft node is closing"));
      return;
    }
    long left = (w.deadline() - System.nanoTime()) / 1_000_000L;
    if (left <= 0) {
      result.completeExceptionally(last != null ? last : new TimeoutException("no raft leader known"));
      return;
    }
    RaftServer.Division division;
    try {
      division = server.getDivision(group);
    } catch (IOException | RuntimeException e) {
      retryLater(w, e); // not started yet, or closing
      return;
    }
    RaftPeerId leader = target != null ? target : division.getInfo().getLeaderId();
    if (leader == null) {
      retryLater(w, new TimeoutException("no raft leader known"));
      return;
    }
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(clientId)
        .setLeaderId(leader)
        .setGroupId(group)
        .setCallId(w.call())
        .setRepliedCallIds(w.replied())
        .setMessage(w.message())
        .setType(RaftClientRequest.writeRequestType())
        .build();
    boolean local = leader.equals(server.getId());
    if (local && !(Thread.currentThread() instanceof WorkThread)) {
      // the division appends on the calling thread, and Ratis takes an interrupt there while the log queue is full
      // for a fatal error that closes the division: a caller's thread may be interrupted (a pool shut down now), and
      // an answer thread (a caller's next write) must not block on a full queue while other writes wait for answers
      onThread(work, () -> guarded(result, () -> attempt(w, target, last)));
      return;
    }
    CompletableFuture<RaftClientReply> sent;
    Object connection = null;
    try {
      if (local) {
        // straight into the division: the server's own entry point hands the call to Ratis' client executor and
        // then waits for that thread, two thread switches per write for nothing
        sent = division instanceof RaftClientAsynchronousProtocol direct ? direct.submitClientRequestAsync(request)
            : server.submitClientRequestAsync(request);
      } else {
        // the client knows the members it was built with; the group may have more since (raft-add-peer)
        rpc.addRaftPeers(division.getGroup().getPeers());
        connection = connection(leader);
        sent = rpc.sendRequestAsyncUnordered(request);
      }
    } catch (IOException | RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    Object sentOn = connection;
    // a copy: the future may be Ratis' own, and a timeout must not complete that one
    sent.copy().orTimeout(Math.min(left, ATTEMPT_MILLIS), TimeUnit.MILLISECONDS).whenComplete((reply, error) -> {
      // a success is answered on the thread that completed it (the answer itself goes out on an answer thread);
      // anything else may call into Ratis again, so never on Ratis' thread
      if (error == null && reply.isSuccess()) result.complete(reply);
      else onThread(work, () -> guarded(result, () -> onReply(w, target, leader, sentOn, reply, error)));
    });
  }

  /** The client's current connection to the peer (created if there is none), or null when it cannot tell. */
  private Object connection(RaftPeerId peer) throws IOException {
    return rpc instanceof RaftClientRpcWithProxy<?> p ? p.getProxies().getProxy(peer) : null;
  }

  private void onReply(Write w, RaftPeerId target, RaftPeerId leader, Object sentOn, RaftClientReply reply,
      Throwable error) {
    CompletableFuture<RaftClientReply> result = w.result();
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
    if (notLeader != null) rpc.addRaftPeers(notLeader.getPeers());
    if (sentOn != null && error != null) reconnectLater(leader, sentOn, cause, notLeader != null || cause instanceof LeaderNotReadyException);
    RaftPeerId suggested = notLeader != null && notLeader.getSuggestedLeader() != null
        ? notLeader.getSuggestedLeader().getId() : null;
    if (suggested != null && !suggested.equals(leader) && target == null) { // one hop at once, then wait
      attempt(w, suggested, cause);
    } else {
      retryLater(w, cause);
    }
  }

  /**
   * Lets Ratis' client reset its connection to the peer after the failure, unless the connection the write went on is
   * gone already: the other writes that were waiting on it fail as it closes, and must not reset its successor.
   */
  private void reconnectLater(RaftPeerId peer, Object sentOn, Throwable cause, boolean reconnect) {
    onThread(reconnects, () -> {
      try {
        if (connection(peer) == sentOn) rpc.handleException(peer, cause, reconnect);
      } catch (IOException | RuntimeException e) {
        // the next attempt connects anew or fails and says why
      }
    });
  }

  private void retryLater(Write w, Throwable cause) {
    try {
      timer.schedule(() -> onThread(work, () -> guarded(w.result(), () -> attempt(w, null, cause))),
          retryMillis, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      w.result().completeExceptionally(new RaftUnavailableException("raft node is closing"));
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

  /** On one of the pool's threads; on the calling thread once it is shut down. */
  private static void onThread(ExecutorService pool, Runnable task) {
    try {
      pool.execute(task);
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
    answers.shutdown();
    reconnects.shutdown();
  }
}
