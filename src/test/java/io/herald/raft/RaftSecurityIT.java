package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.herald.Main;
import io.herald.cluster.Alias;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.testing.FreePort;
import io.herald.testing.InProcessNode;
import io.herald.tls.CertificateAuthority;
import io.herald.tls.NodeCertificate;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.conf.Parameters;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.grpc.GrpcTlsConfig;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nobody writes through a raft port without a certificate: a stock Ratis client (what the adversarial test used)
 * cannot change a standalone node, nor a TLS group made with {@code herald certs}, with no certificate or with one
 * from another CA; and where the operator accepted an insecure transport, a forged command with an address the API
 * would refuse is refused by the state machine.
 */
class RaftSecurityIT {
  @TempDir Path dir;

  /** A stock Ratis client at one node, sending a well-formed or forged SetMaster; true when it was applied. */
  private static boolean poke(String raftAddress, String peerId, Command command, GrpcTlsConfig tls) throws Exception {
    RaftProperties props = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(props, TimeDuration.valueOf(2, TimeUnit.SECONDS));
    Parameters params = new Parameters();
    if (tls != null) GrpcConfigKeys.TLS.setConf(params, tls);
    RaftGroup group = RaftGroup.valueOf(RatisNode.GROUP_ID,
        RaftPeer.newBuilder().setId(peerId).setAddress(raftAddress).build());
    try (RaftClient c = RaftClient.newBuilder().setRaftGroup(group).setProperties(props).setParameters(params)
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build()) {
      RaftClientReply r = c.io().send(Message.valueOf(ByteString.copyFrom(CommandCodec.encode(command))));
      return r.isSuccess();
    } catch (Exception refused) {
      return false;
    }
  }

  private static Command.SetMaster set(String alias, String host) {
    return Command.SetMaster.declared(Alias.of(alias), new Master(new HostPort(host, 3306), host, ""), 1);
  }

  private GrpcTlsConfig rogueCertificate() {
    CertificateAuthority rogue = CertificateAuthority.create("rogue", Duration.ofDays(1));
    NodeCertificate c = rogue.issue("127.0.0.1", Duration.ofDays(1));
    return new GrpcTlsConfig(c.key(), c.certificate(), rogue.certificate(), true);
  }

  @Test
  void aStandaloneNodesRaftPortTakesNothingFromAnotherProcess() throws Exception {
    try (InProcessNode node = InProcessNode.start(dir.resolve("solo"), "")) {
      String raft = node.get("/api/raft-status").body().path("RaftAdvertise").asText();
      assertThat(node.get("/api/raft-status").body().path("RaftTransport").asText()).isEqualTo("LOCAL_TLS");
      assertThat(poke(raft, "herald-local", set("pwned", "10.66.6.6"), null)).isFalse();
      assertThat(poke(raft, "herald-local", set("pwned", "10.66.6.7"), rogueCertificate())).isFalse();
      assertThat(node.get("/api/master/pwned").status()).isEqualTo(404);
      // the node itself still writes through its own port
      assertThat(node.post("/api/set-master/mine/10.0.0.5/3306").status()).isEqualTo(200);
    }
  }

  @Test
  void aGroupWithCertificatesFromHeraldCertsTakesNothingFromStrangers() throws Exception {
    int[] raft = {FreePort.pick(), FreePort.pick(), FreePort.pick()};
    List<String> addrs = List.of("127.0.0.1:" + raft[0], "127.0.0.1:" + raft[1], "127.0.0.1:" + raft[2]);
    Path certs = dir.resolve("certs");
    StringWriter out = new StringWriter();
    List<String> args = new ArrayList<>(List.of("certs", "--dir", certs.toString()));
    args.addAll(addrs);
    assertThat(Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), args.toArray(String[]::new))).isZero();
    String peers = "\"" + String.join("\", \"", addrs) + "\"";
    List<InProcessNode> nodes = new ArrayList<>();
    try {
      for (int i = 0; i < 3; i++) {
        // the line `herald certs` printed for this node is the config to paste
        String keys = out.toString().lines().filter(l -> l.startsWith(addrs.get(nodes.size()) + ":"))
            .findFirst().orElseThrow().substring(addrs.get(nodes.size()).length() + 2);
        nodes.add(InProcessNode.start(dir.resolve("d" + i), "\"RaftEnabled\": true, \"RaftBind\": \"" + addrs.get(i)
            + "\", \"RaftNodes\": [" + peers + "], " + keys));
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> nodes.stream().anyMatch(n -> n.get("/api/leader-check").status() == 200));
      assertThat(nodes.get(1).post("/api/set-master/tls1/127.0.0.81/3306").status()).isEqualTo(200);
      assertThat(nodes.get(0).get("/api/raft-status").body().path("RaftTransport").asText()).isEqualTo("MUTUAL_TLS");
      for (String a : addrs) {
        String id = a.replace(':', '_');
        assertThat(poke(a, id, set("pwned", "10.66.6.6"), null)).as("no certificate at %s", a).isFalse();
        assertThat(poke(a, id, set("pwned", "10.66.6.7"), rogueCertificate())).as("rogue CA at %s", a).isFalse();
      }
      for (InProcessNode n : nodes) {
        assertThat(n.get("/api/master/pwned").status()).isEqualTo(404);
        await().atMost(Duration.ofSeconds(10)).until(() -> n.get("/api/master/tls1").status() == 200);
      }
    } finally {
      for (InProcessNode n : nodes) n.close();
    }
  }

  @Test
  void onAnInsecureTransportAForgedCommandIsRefusedByTheStateMachineAndTheNodeSaysItIsInsecure() throws Exception {
    String addr = "127.0.0.1:" + FreePort.pick();
    try (InProcessNode node = InProcessNode.start(dir.resolve("insecure"), "\"RaftEnabled\": true, "
        + "\"RaftInsecureTransport\": true, \"RaftBind\": \"" + addr + "\"")) {
      await().atMost(Duration.ofSeconds(20)).until(() -> node.get("/api/leader-check").status() == 200);
      var status = node.get("/api/raft-status").body();
      assertThat(status.path("RaftTransport").asText()).isEqualTo("INSECURE");
      assertThat(status.path("RaftTransportWarning").asText()).contains("anyone");
      assertThat(node.get("/metrics").text()).contains("herald_raft_insecure_transport 1");
      String id = addr.replace(':', '_');
      Command forged = Command.SetMaster.declared(Alias.of("pwned"), new Master(new HostPort("10.66.6.6", 3306), "evil..ipv4", ""), 1);
      assertThat(poke(addr, id, forged, null)).isFalse();
      Command forgedHost = Command.SetMaster.declared(Alias.of("pwned"), new Master(new HostPort("0177.0.0.1", 3306), "", ""), 1);
      assertThat(poke(addr, id, forgedHost, null)).isFalse();
      assertThat(node.get("/api/master/pwned").status()).isEqualTo(404);
    }
  }
}
