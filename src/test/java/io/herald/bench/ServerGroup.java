package io.herald.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A running group of etcd members, Herald nodes or bare Ratis members ({@link RatisFloorServer}), each its own
 * process on loopback: the client address of each member and which one leads. Started by {@link #etcd},
 * {@link #herald} and {@link #ratisFloor} into a {@link LocalProcesses}, which stops them.
 *
 * @param kind the API the members speak
 * @param bases each member's client address, {@code http://127.0.0.1:port}
 * @param leader the index in {@code bases} of the member that led when the group was ready
 * @param processes the members' processes, for their CPU time
 */
record ServerGroup(WriteClient.Kind kind, List<String> bases, int leader, List<ProcessHandle> processes) {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long READY_NANOS = TimeUnit.SECONDS.toNanos(90);

  ServerGroup {
    bases = List.copyOf(bases);
    processes = List.copyOf(processes);
    if (leader < 0 || leader >= bases.size()) throw new IllegalArgumentException("leader " + leader + " of " + bases);
  }

  /** CPU time the members used so far (user and system), in nanoseconds; 0 for a member that cannot tell. */
  long cpuNanos() {
    long sum = 0;
    for (ProcessHandle p : processes) sum += p.info().totalCpuDuration().map(java.time.Duration::toNanos).orElse(0L);
    return sum;
  }

  String leaderBase() {
    return bases.get(leader);
  }

  /** A member that does not lead; the leader itself in a group of one. */
  String followerBase() {
    return bases.get((leader + 1) % bases.size());
  }

  /**
   * Starts {@code members} etcd processes ({@code /usr/bin/etcd}, or {@code $ETCD_BIN}), client ports {@code port},
   * {@code port+1}, ..., peer ports 50 above, data under the processes' directory; returns once one leads.
   */
  static ServerGroup etcd(LocalProcesses procs, WriteClient client, int members, int port, String name)
      throws IOException, InterruptedException {
    String bin = System.getenv().getOrDefault("ETCD_BIN", "/usr/bin/etcd");
    List<String> cluster = new ArrayList<>();
    for (int i = 0; i < members; i++) cluster.add(name + i + "=http://127.0.0.1:" + (port + 50 + i));
    List<String> bases = new ArrayList<>();
    List<ProcessHandle> handles = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      String url = "http://127.0.0.1:" + (port + i);
      String peer = "http://127.0.0.1:" + (port + 50 + i);
      bases.add(url);
      handles.add(procs.start(name + i, List.of(bin, "--name", name + i, "--data-dir", procs.dir().resolve(name + i).toString(),
          "--listen-client-urls", url, "--advertise-client-urls", url, "--listen-peer-urls", peer,
          "--initial-advertise-peer-urls", peer, "--initial-cluster", String.join(",", cluster),
          "--initial-cluster-state", "new", "--initial-cluster-token", name + "-" + ProcessHandle.current().pid())).toHandle());
    }
    long deadline = System.nanoTime() + READY_NANOS;
    while (System.nanoTime() < deadline) {
      for (int i = 0; i < members; i++) {
        String status = client.post(bases.get(i) + "/v3/maintenance/status", "{}");
        if (status == null) continue;
        JsonNode s = JSON.readTree(status);
        String self = s.path("header").path("member_id").asText();
        if (!self.isEmpty() && self.equals(s.path("leader").asText()) && allAnswer(client, bases, "/health")) {
          return new ServerGroup(WriteClient.Kind.ETCD, bases, i, handles);
        }
      }
      Thread.sleep(200);
    }
    throw new IOException("etcd group " + name + " found no leader within 90 s:\n" + procs.logTail(name + "0", 20));
  }

  /**
   * Starts {@code members} Herald processes as deployed ({@code bin/herald server --config n<i>.json}, with its JVM
   * options; {@code javaOpts} go in {@code HERALD_JAVA_OPTS}, after them): HTTP ports {@code port}, {@code port+1}, ..., raft ports 50 above, the internal store only.
   * A group of one is a standalone node ({@code RaftEnabled} false). Returns once exactly one node answers
   * {@code /api/leader-check} with 200 and every node's {@code /api/health} does.
   */
  static ServerGroup herald(LocalProcesses procs, WriteClient client, int members, int port, String name,
      List<String> javaOpts) throws IOException, InterruptedException {
    return herald(procs, client, members, port, name, javaOpts, java.util.Collections.nCopies(members, ""));
  }

  /**
   * @param nodeConfig for each member, more members of its JSON config (e.g. its store), or "" for none
   */
  static ServerGroup herald(LocalProcesses procs, WriteClient client, int members, int port, String name,
      List<String> javaOpts, List<String> nodeConfig) throws IOException, InterruptedException {
    if (nodeConfig.size() != members) throw new IllegalArgumentException("need a config for each of " + members + " members");
    Path jar = Path.of("target", "herald.jar").toAbsolutePath();
    if (!Files.exists(jar)) throw new IOException(jar + " is missing: run mvn package");
    List<String> peers = new ArrayList<>();
    for (int i = 0; i < members; i++) peers.add("\"127.0.0.1:" + (port + 50 + i) + "\"");
    List<String> bases = new ArrayList<>();
    List<ProcessHandle> handles = new ArrayList<>();
    for (int i = 0; i < members; i++) {
      bases.add("http://127.0.0.1:" + (port + i));
      String raft = members == 1 ? "\"RaftEnabled\": false"
          : "\"RaftEnabled\": true, \"RaftBind\": \"127.0.0.1:" + (port + 50 + i) + "\", \"RaftNodes\": ["
              + String.join(", ", peers) + "], \"RaftInsecureTransport\": true";
      Path config = procs.dir().resolve(name + i + ".json");
      String more = nodeConfig.get(i).isEmpty() ? "" : nodeConfig.get(i) + ", ";
      Files.writeString(config, "{ \"ListenAddress\": \"127.0.0.1:" + (port + i) + "\", " + more + raft
          + ", \"RaftDataDir\": \"" + procs.dir().resolve(name + i) + "\" }\n");
      // the launcher execs java: the handle is the server's JVM
      List<String> command = List.of(Path.of("bin", "herald").toAbsolutePath().toString(), "server", "--config", config.toString());
      handles.add(procs.start(name + i, command, java.util.Map.of("HERALD_JAVA_OPTS", String.join(" ", javaOpts))).toHandle());
    }
    return ready(procs, client, WriteClient.Kind.HERALD, bases, handles, "/api/leader-check", "/api/health", name);
  }

  /**
   * Starts a bare Ratis group of {@code members} {@link RatisFloorServer} processes in {@code mode} (plain or tuned;
   * this JVM's class path, the launcher's {@code -XX:TieredStopAtLevel=1}, then {@code javaOpts}): HTTP ports
   * {@code port}, {@code port+1}, ..., raft ports 50 above. Returns once exactly one answers {@code /leader} with 200
   * and every one {@code /health}.
   */
  static ServerGroup ratisFloor(LocalProcesses procs, WriteClient client, String mode, int members, int port, String name,
      List<String> javaOpts) throws IOException, InterruptedException {
    List<String> raftPorts = new ArrayList<>();
    for (int i = 0; i < members; i++) raftPorts.add(Integer.toString(port + 50 + i));
    List<String> bases = new ArrayList<>();
    List<ProcessHandle> handles = new ArrayList<>();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (int i = 0; i < members; i++) {
      bases.add("http://127.0.0.1:" + (port + i));
      List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1"));
      command.addAll(javaOpts);
      command.addAll(List.of("-cp", System.getProperty("java.class.path"), RatisFloorServer.class.getName(),
          mode, Integer.toString(i), Integer.toString(port + i), procs.dir().resolve(name + i).toString()));
      command.addAll(raftPorts);
      handles.add(procs.start(name + i, command).toHandle());
    }
    return ready(procs, client, WriteClient.Kind.RATIS_FLOOR, bases, handles, "/leader", "/health", name);
  }

  /**
   * Waits until exactly one member answers {@code leaderPath} with 200 and every member {@code healthPath}; the
   * group then. Throws with the first member's log tail after 90 s.
   */
  private static ServerGroup ready(LocalProcesses procs, WriteClient client, WriteClient.Kind kind, List<String> bases,
      List<ProcessHandle> handles, String leaderPath, String healthPath, String name) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + READY_NANOS;
    while (System.nanoTime() < deadline) {
      int leaders = 0;
      int leader = -1;
      for (int i = 0; i < bases.size(); i++) {
        if (client.status(bases.get(i) + leaderPath) == 200) {
          leaders++;
          leader = i;
        }
      }
      if (leaders == 1 && allAnswer(client, bases, healthPath)) return new ServerGroup(kind, bases, leader, handles);
      Thread.sleep(200);
    }
    throw new IOException("group " + name + " (" + kind + ") not ready within 90 s:\n" + procs.logTail(name + "0", 20));
  }

  private static boolean allAnswer(WriteClient client, List<String> bases, String path) throws InterruptedException {
    for (String b : bases) if (client.status(b + path) != 200) return false;
    return true;
  }
}
