package io.herald.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;

/**
 * The floor of the commit path on Apache Ratis, for {@code bench/run commit-latency --ratis-floor}: one member of a
 * bare Ratis group (the version Herald uses, gRPC without TLS, election timeouts as Herald's) whose state machine
 * only counts, behind the JDK's own HTTP server. {@code POST /put} writes its body and answers 200 once the entry is
 * applied; {@code GET /leader} answers 200 on a leader that is ready (has applied its term's first entry). It shows what Ratis itself costs on this machine, without
 * Herald's HTTP stack, JSON and state machine: a Herald figure at this floor is Ratis' cost, not Herald's.
 * <ul>
 *   <li>{@code plain}: Ratis' defaults but for the election timeouts; every write goes through Ratis' own client
 *       ({@code RaftClient.async()}), as a Ratis user's would. On the bench's class path Ratis finds Herald's
 *       {@code CountsOnlyRatisMetrics} (its timers time nothing), so out of the box Ratis would be slower still.
 *   <li>{@code tuned}: Herald's settings on the write path (its commit push, no commit-index metadata entries), and
 *       the leader writes straight into its division as Herald's does; a follower still uses Ratis' own client.
 * </ul>
 *
 * <p>Arguments: {@code plain|tuned <index> <httpPort> <dataDir> <raftPort>...} (one raft port per member, this member's at
 * {@code index}). Runs until killed. Not a test double: a bench subject, started as its own process by
 * {@link ServerGroup#ratisFloor}.
 */
public final class RatisFloorServer {
  private static final RaftGroupId GROUP = RaftGroupId.valueOf(UUID.fromString("5b2a7f4e-0c1d-4e8a-9f3b-6d5e4c3b2a10"));

  private RatisFloorServer() {}

  /** Counts applied entries; answers each with the count. Nothing else: the floor. */
  static final class CountingStateMachine extends BaseStateMachine {
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AtomicLong applied = new AtomicLong();

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
      super.initialize(server, groupId, raftStorage);
      storage.init(raftStorage);
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
      return storage;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      TermIndex ti = TermIndex.valueOf(trx.getLogEntry());
      updateLastAppliedTermIndex(ti.getTerm(), ti.getIndex());
      return CompletableFuture.completedFuture(Message.valueOf(Long.toString(applied.incrementAndGet())));
    }
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 5) throw new IllegalArgumentException("usage: plain|tuned <index> <httpPort> <dataDir> <raftPort>...");
    // the JDK's server writes headers and body apart: with Nagle's algorithm on, the body waits for a delayed ACK
    System.setProperty("sun.net.httpserver.nodelay", "true");
    boolean tuned = switch (args[0]) {
      case "plain" -> false;
      case "tuned" -> true;
      default -> throw new IllegalArgumentException("mode must be plain or tuned, not " + args[0]);
    };
    args = java.util.Arrays.copyOfRange(args, 1, args.length);
    int index = Integer.parseInt(args[0]);
    int httpPort = Integer.parseInt(args[1]);
    File dataDir = new File(args[2]);
    List<RaftPeer> peers = new ArrayList<>();
    for (int i = 3; i < args.length; i++) {
      peers.add(RaftPeer.newBuilder().setId("f" + (i - 3)).setAddress("127.0.0.1:" + args[i]).build());
    }
    RaftGroup group = RaftGroup.valueOf(GROUP, peers);
    RaftPeer self = peers.get(index);
    RaftProperties props = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(props, List.of(dataDir));
    GrpcConfigKeys.Server.setHost(props, "127.0.0.1");
    GrpcConfigKeys.Server.setPort(props, Integer.parseInt(args[3 + index]));
    RaftServerConfigKeys.Rpc.setTimeoutMin(props, org.apache.ratis.util.TimeDuration.valueOf(600, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(props, org.apache.ratis.util.TimeDuration.valueOf(1200, TimeUnit.MILLISECONDS));
    // Herald's replication settings, its own code: its commit push instead of commit-index metadata entries, pre-vote
    // and its appender retry policy
    if (tuned) io.herald.raft.RatisNode.setReplication(props);
    RaftServer server = RaftServer.newBuilder().setServerId(self.getId()).setGroup(group)
        .setStateMachine(new CountingStateMachine()).setProperties(props)
        .setOption(RaftStorage.StartupOption.FORMAT).build();
    server.start();
    RaftClient client = RaftClient.newBuilder().setRaftGroup(group).setProperties(new RaftProperties())
        .setLeaderId(self.getId()).build();
    RaftPeerId me = self.getId();
    org.apache.ratis.protocol.ClientId directClient = org.apache.ratis.protocol.ClientId.randomId();
    AtomicLong calls = new AtomicLong();
    java.util.Queue<Long> replied = new java.util.concurrent.ConcurrentLinkedQueue<>();

    ExecutorService threads = Executors.newFixedThreadPool(128, r -> {
      Thread t = new Thread(r, "floor-http");
      t.setDaemon(true);
      return t;
    });
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", httpPort), 256);
    http.setExecutor(threads);
    http.createContext("/put", ex -> {
      try (ex) {
        byte[] body = ex.getRequestBody().readAllBytes();
        try {
          Message message = Message.valueOf(org.apache.ratis.thirdparty.com.google.protobuf.ByteString.copyFrom(body));
          RaftServer.Division division = server.getDivision(GROUP);
          RaftClientReply reply = null;
          if (tuned && division.getInfo().isLeaderReady()) {
            // as Herald's leader does (RaftWrites): straight into the division, no gRPC round trip to itself, telling
            // the retry cache which answers were taken so that it forgets them
            long call = calls.incrementAndGet();
            List<Long> taken = new ArrayList<>();
            for (Long id; taken.size() < 1000 && (id = replied.poll()) != null; ) taken.add(id);
            RaftClientRequest request = RaftClientRequest.newBuilder().setClientId(directClient).setLeaderId(me)
                .setGroupId(GROUP).setCallId(call).setRepliedCallIds(taken).setMessage(message)
                .setType(RaftClientRequest.writeRequestType()).build();
            reply = ((org.apache.ratis.protocol.RaftClientAsynchronousProtocol) division).submitClientRequestAsync(request)
                .get(15, TimeUnit.SECONDS);
            replied.add(call);
          }
          if (reply == null || !reply.isSuccess()) {
            // not (or no longer) the leader: Ratis' client finds the one there is
            reply = client.async().send(message).get(15, TimeUnit.SECONDS);
          }
          answer(ex, reply.isSuccess() ? 200 : 503, reply.isSuccess() ? reply.getMessage().getContent().toStringUtf8()
              : String.valueOf(reply.getException()));
        } catch (Exception e) {
          answer(ex, 503, e.toString());
        }
      }
    });
    http.createContext("/leader", ex -> {
      try (ex) {
        boolean leader = server.getDivision(GROUP).getInfo().isLeaderReady();
        answer(ex, leader ? 200 : 503, leader ? "leader" : "not leader");
      }
    });
    http.createContext("/health", ex -> {
      try (ex) {
        answer(ex, 200, me.toString());
      }
    });
    http.start();
    Thread.currentThread().join();
  }

  private static void answer(HttpExchange ex, int status, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(b);
    }
  }
}
