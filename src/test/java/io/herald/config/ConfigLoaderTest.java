package io.herald.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.kv.consul.ConsulOptions;
import io.herald.kv.etcd.EtcdOptions;
import io.herald.tls.CertificateAuthority;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
  private static final String TOKEN = "s3cr3t-acl-token-0f9d";

  @TempDir Path dir;
  private ConfigLoader loader = new ConfigLoader(Map.of());

  private HeraldConfig load(String json) throws IOException, ConfigException {
    Path file = dir.resolve("herald.conf.json");
    Files.writeString(file, json);
    return loader.load(file);
  }

  private ConfigException refused(String json) throws IOException {
    Path file = dir.resolve("herald.conf.json");
    Files.writeString(file, json);
    try {
      loader.load(file);
    } catch (ConfigException e) {
      return e;
    }
    throw new AssertionError("expected a ConfigException for " + json);
  }

  @Test
  void embeddedDefaults() {
    HeraldConfig c = loader.defaults();
    assertThat(c.http().host()).isEqualTo("127.0.0.1");
    assertThat(c.http().port()).isEqualTo(3000);
    assertThat(c.http().auth()).isEmpty();
    assertThat(c.raftEnabled()).isFalse();
    assertThat(c.raft().standalone()).isTrue();
    assertThat(c.raft().peers()).hasSize(1);
    assertThat(c.raft().dataDir()).isEqualTo(Path.of("herald-data"));
    assertThat(c.consul()).isEmpty();
    assertThat(c.zookeeper()).isEmpty();
    assertThat(c.etcd()).isEmpty();
    assertThat(c.layout().prefix()).isEqualTo("mysql/master/");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void anOrchestratorStyleConfigLoadsWithOneWarningPerUnknownKey() throws Exception {
    HeraldConfig c = load("""
        {
          "Debug": true,
          "EnableSyslog": false,
          "ListenAddress": ":3000",
          "MySQLTopologyUser": "orc_client_user",
          "MySQLTopologyPassword": "orc_client_password",
          "MySQLOrchestratorHost": "127.0.0.1",
          "MySQLOrchestratorPort": 3306,
          "AuthenticationMethod": "",
          "HTTPAuthUser": "",
          "HTTPAuthPassword": "",
          "InstancePollSeconds": 5,
          "RecoverMasterClusterFilters": ["*"],
          "RecoverIntermediateMasterClusterFilters": ["_intermediate_master_pattern_"],
          "ClusterNameToAlias": {"127.0.0.1": "test suite"},
          "PostFailoverProcesses": ["echo 'Recovered from {failureType} on {failureCluster}' >> /tmp/recovery.log"],
          "RaftEnabled": false,
          "RaftDataDir": "/var/lib/herald",
          "RaftBind": "127.0.0.1",
          "DefaultRaftPort": 10008,
          "RaftNodes": [],
          "KVClusterMasterPrefix": "mysql/master",
          "ConsulAddress": "",
          "ZkAddress": ""
        }
        """);

    assertThat(c.warnings()).containsExactlyInAnyOrder(
        "config: unknown key Debug ignored",
        "config: unknown key EnableSyslog ignored",
        "config: unknown key MySQLOrchestratorHost ignored",
        "config: unknown key MySQLOrchestratorPort ignored",
        "config: unknown key RecoverIntermediateMasterClusterFilters ignored",
        "config: ClusterNameToAlias rule '127.0.0.1' ignored: invalid cluster alias 'test suite': use 1 to 128 "
            + "letters, digits, '-', '_' or '.' (not '.' or '..' alone)");
    assertThat(c.recovery().automatic(new io.herald.cluster.Alias("any"), "h:1")).isTrue();
    assertThat(c.recovery().hooks().postFailover()).containsExactly(
        "echo 'Recovered from {failureType} on {failureCluster}' >> /tmp/recovery.log");
    assertThat(String.join("\n", c.warnings())).doesNotContain("orc_client_password");
    assertThat(c.mysql().orElseThrow().user()).isEqualTo("orc_client_user");
    assertThat(c.discovery().pollInterval()).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(c.http().host()).isEqualTo("0.0.0.0");
    assertThat(c.http().port()).isEqualTo(3000);
    assertThat(c.http().auth()).isEmpty();
    assertThat(c.raft().dataDir()).isEqualTo(Path.of("/var/lib/herald"));
    assertThat(c.consul()).isEmpty(); // "" counts as unset, as in orchestrator
    assertThat(c.zookeeper()).isEmpty();
  }

  @Test
  void kvWipeValuesPreFailoverIsOffUnlessSetAndABadValueIsRefusedByName() throws Exception {
    assertThat(load("{}").recovery().wipeValuesPreFailover()).isFalse();
    HeraldConfig on = load("{\"KVWipeValuesPreFailover\": true}");
    assertThat(on.recovery().wipeValuesPreFailover()).isTrue();
    assertThat(on.warnings()).isEmpty();
    assertThat(refused("{\"KVWipeValuesPreFailover\": \"yes please\"}").getMessage()).contains("KVWipeValuesPreFailover");
  }

  @Test
  void knownKeysGiveNoWarnings() throws Exception {
    HeraldConfig c = load("""
        {"ListenAddress": "10.1.2.3:3001", "ConsulAddress": "consul:8500", "ConsulScheme": "https",
         "ConsulKVStoreProvider": "consul-txn", "ConsulMaxKVsPerTransaction": 16,
         "ConsulCrossDataCenterDistribution": true, "ZkAddress": "zk1", "KVStoreTimeoutSeconds": 3,
         "HeraldEpochKey": false, "HeraldEpochKeyPrefix": "herald/epoch", "KVHealthCheckSeconds": 7}
        """);
    assertThat(c.warnings()).isEmpty();
    assertThat(c.publish().healthCheckInterval()).isEqualTo(java.time.Duration.ofSeconds(7));
    assertThat(load("{}").publish().healthCheckInterval()).isEqualTo(java.time.Duration.ofSeconds(10));
    assertThat(c.http().host()).isEqualTo("10.1.2.3");
    assertThat(c.http().port()).isEqualTo(3001);
    ConsulOptions consul = c.consul().orElseThrow();
    assertThat(consul.scheme()).isEqualTo("https");
    assertThat(consul.transactional()).isTrue();
    assertThat(consul.maxKvsPerTransaction()).isEqualTo(16);
    assertThat(consul.crossDataCenter()).isTrue();
    assertThat(c.layout().epochKey(io.herald.cluster.Alias.of("a"))).isEqualTo("herald/epoch/a");
  }

  @Test
  void aFileWithoutListenAddressListensOnEveryInterfaceLikeOrchestrator() throws Exception {
    assertThat(load("{}").http().host()).isEqualTo("0.0.0.0");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"ConsulMaxKVsPerTransaction\": \"x\"}                              | ConsulMaxKVsPerTransaction",
      "{\"RaftEnabled\": \"yes\"}                                           | RaftEnabled",
      "{\"RaftNodes\": \"a\"}                                               | RaftNodes",
      "{\"RaftNodes\": [1, 2]}                                              | RaftNodes",
      "{\"ListenAddress\": 3000}                                            | ListenAddress",
      "{\"KVStoreTimeoutSeconds\": 1.5}                                     | KVStoreTimeoutSeconds",
      "{\"ConsulMaxKVsPerTransaction\": 3}                                  | ConsulMaxKVsPerTransaction",
      "{\"ConsulMaxKVsPerTransaction\": 65}                                 | ConsulMaxKVsPerTransaction",
      "{\"ConsulAddress\": \"c:8500\", \"ConsulScheme\": \"ftp\"}           | ConsulScheme",
      "{\"ConsulAddress\": \"c:8500\", \"ConsulKVStoreProvider\": \"redis\"} | ConsulKVStoreProvider",
      "{\"KVClusterMasterPrefix\": \"\"}                                    | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \" \"}                                   | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \"/\"}                                   | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \"mysql//master\"}                       | KVClusterMasterPrefix",
      "{\"AuthenticationMethod\": \"basic\"}                                | HTTPAuthUser",
      "{\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"u\"}       | HTTPAuthUser",
      "{\"AuthenticationMethod\": \"multi\"}                                | AuthenticationMethod",
      "{\"ListenAddress\": \"3000\"}                                        | ListenAddress",
      "{\"ListenAddress\": \":70000\"}                                      | ListenAddress",
      "{\"DefaultRaftPort\": 0}                                             | DefaultRaftPort",
      "{\"ZkAddress\": \"zk1\", \"ZkDigestAuth\": \"nocolon\"}              | ZkDigestAuth",
      "{\"EtcdEndpoints\": \"http://\"}                                     | EtcdEndpoints",
      "{\"EtcdEndpoints\": \"https://127.0.0.1:2379\"}                     | EtcdEndpoints",
      "{\"EtcdEndpoints\": \"http://u:pw@127.0.0.1:2379\"}                 | EtcdEndpoints",
      "{\"KVHealthCheckSeconds\": 0}                                      | KVHealthCheckSeconds",
      "{\"KVClusterMasterPrefix\": \"adv/dot/../x\"}                      | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \"./mysql/master\"}                    | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \"mysql//master\"}                     | KVClusterMasterPrefix",
      "{\"KVClusterMasterPrefix\": \"mysql/master/..\"}                   | KVClusterMasterPrefix",
      "{\"HeraldEpochKey\": false, \"HeraldEpochKeyPrefix\": \"h/../e\"}   | HeraldEpochKeyPrefix",
      "{\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"u:x\", \"HTTPAuthPassword\": \"p\"} | HTTPAuthUser",
  })
  void wrongTypesAndValuesNameTheKey(String json, String key) throws IOException {
    ConfigException e = refused(json);
    assertThat(e.key()).isEqualTo(key);
    assertThat(e.getMessage()).startsWith(key + ": ");
  }

  @Test
  void anEtcdPasswordInTheUrlIsRefusedWithoutBeingRepeated() throws IOException {
    assertThat(refused("{\"EtcdEndpoints\": \"http://ops:hunter2-x@127.0.0.1:2379\"}").getMessage())
        .contains("EtcdUser").doesNotContain("hunter2-x");
  }

  @Test
  void basicAuthWithUserAndPasswordLoads() throws Exception {
    HeraldConfig c = load("{\"AuthenticationMethod\": \"basic\", \"HTTPAuthUser\": \"admin\", \"HTTPAuthPassword\": \"pw-123\"}");
    assertThat(c.http().auth()).hasValueSatisfying(a -> {
      assertThat(a.user()).isEqualTo("admin");
      assertThat(a.password().value()).isEqualTo("pw-123");
    });
    assertThat(c.toString()).doesNotContain("pw-123");
  }

  @Test
  void malformedJsonSaysWhere() throws IOException {
    ConfigException e = refused("{\n  \"ListenAddress\": \":3000\",\n  \"Debug\": tru\n}\n");
    assertThat(e.getMessage()).contains("not valid JSON").containsPattern("line 3, column \\d+");
  }

  @Test
  void aKeyGivenTwiceOrDataAfterTheObjectIsRefused() throws IOException {
    assertThat(refused("{\"ListenAddress\": \"127.0.0.1:4111\", \"ListenAddress\": \"127.0.0.1:4112\"}").getMessage())
        .contains("not valid JSON").contains("Duplicate field 'ListenAddress'");
    assertThat(refused("{\"ListenAddress\": \"127.0.0.1:4111\"} {\"x\": 1}").getMessage())
        .contains("not valid JSON").containsIgnoringCase("trailing");
  }

  /** null is the key unset, as an empty string is (documented in the README's Configuration section). */
  @Test
  void aNullValueIsTheKeyUnset() throws Exception {
    HeraldConfig c = load("{\"ListenAddress\": null, \"RaftDataDir\": null, \"KVClusterMasterPrefix\": null}");
    assertThat(c.http().port()).isEqualTo(3000);
    assertThat(c.layout().prefix()).isEqualTo("mysql/master/");
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void deepNestingAndBinaryFilesGiveAClearMessage() throws IOException {
    String deep = "{\"a\":".repeat(3000) + "1" + "}".repeat(3000);
    assertThat(refused(deep).getMessage()).contains("not valid JSON").containsIgnoringCase("nesting depth")
        .doesNotContain("null");
    Path binary = dir.resolve("binary.json");
    byte[] bytes = new byte[300];
    new java.util.Random(7).nextBytes(bytes);
    bytes[0] = (byte) 0xff;
    Files.write(binary, bytes);
    assertThatThrownBy(() -> loader.load(binary)).isInstanceOf(ConfigException.class)
        .hasMessage("config file " + binary + " is not UTF-8 text");
  }

  @Test
  void aJsonValueThatIsNotAnObjectIsRefused() throws IOException {
    assertThat(refused("[1, 2]").getMessage()).contains("must hold a JSON object");
  }

  @Test
  void aMissingFileIsRefused() {
    assertThatThrownBy(() -> loader.load(dir.resolve("absent.json")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read config file");
  }

  @Test
  void consulTokenFromAFileIsTrimmedAndRedacted() throws Exception {
    Path tokenFile = dir.resolve("consul.token");
    Files.writeString(tokenFile, TOKEN + "\n");
    HeraldConfig c = load("{\"ConsulAddress\": \"consul:8500\", \"ConsulAclTokenFile\": \"" + tokenFile + "\"}");

    assertThat(c.consul().orElseThrow().aclToken()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo(TOKEN));
    assertThat(c.toString()).doesNotContain(TOKEN).contains("****");
    assertThat(c.consul().orElseThrow().toString()).doesNotContain(TOKEN);
  }

  @Test
  void consulTokenFromTheEnvironmentIsRedacted() throws Exception {
    loader = new ConfigLoader(Map.of("HERALD_CONSUL_TOKEN", TOKEN));
    HeraldConfig c = load("{\"ConsulAddress\": \"consul:8500\", \"ConsulAclTokenEnv\": \"HERALD_CONSUL_TOKEN\"}");

    assertThat(c.consul().orElseThrow().aclToken()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo(TOKEN));
    assertThat(c.toString()).doesNotContain(TOKEN);
  }

  @Test
  void inlineConsulTokenIsRedacted() throws Exception {
    HeraldConfig c = load("{\"ConsulAddress\": \"consul:8500\", \"ConsulAclToken\": \"" + TOKEN + "\"}");
    assertThat(c.consul().orElseThrow().aclToken()).isPresent();
    assertThat(c.toString()).doesNotContain(TOKEN);
  }

  @Test
  void twoTokenSourcesAreRefused() throws IOException {
    loader = new ConfigLoader(Map.of("HERALD_CONSUL_TOKEN", TOKEN));
    ConfigException e = refused("{\"ConsulAddress\": \"consul:8500\", \"ConsulAclToken\": \"t\","
        + " \"ConsulAclTokenEnv\": \"HERALD_CONSUL_TOKEN\"}");
    assertThat(e.key()).isEqualTo("ConsulAclToken");
    assertThat(e.getMessage()).doesNotContain(TOKEN);
  }

  @Test
  void anUnsetTokenVariableIsRefused() throws IOException {
    ConfigException e = refused("{\"ConsulAddress\": \"consul:8500\", \"ConsulAclTokenEnv\": \"NOT_SET\"}");
    assertThat(e.key()).isEqualTo("ConsulAclTokenEnv");
    assertThat(e.getMessage()).contains("NOT_SET");
  }

  @Test
  void anEmptyOrMissingTokenFileIsRefused() throws IOException {
    Path empty = dir.resolve("empty.token");
    Files.writeString(empty, "  \n");
    assertThat(refused("{\"ConsulAddress\": \"c:8500\", \"ConsulAclTokenFile\": \"" + empty + "\"}").key())
        .isEqualTo("ConsulAclTokenFile");
    assertThat(refused("{\"ConsulAddress\": \"c:8500\", \"ConsulAclTokenFile\": \"" + dir.resolve("none") + "\"}").key())
        .isEqualTo("ConsulAclTokenFile");
  }

  @Test
  void consulAddressLosesItsScheme() throws Exception {
    assertThat(load("{\"ConsulAddress\": \"http://consul:8500\"}").consul().orElseThrow().address())
        .isEqualTo("consul:8500");
  }

  @Test
  void raftNodesWithoutPortsGetTheDefaultRaftPort() throws Exception {
    HeraldConfig c = load("""
        {"RaftEnabled": true, "RaftInsecureTransport": true, "DefaultRaftPort": 10010, "RaftBind": "10.0.0.1",
         "RaftNodes": ["10.0.0.1", "10.0.0.2", "10.0.0.3:10011", "[fd00::4]"]}
        """);
    assertThat(c.raftEnabled()).isTrue();
    assertThat(c.raft().standalone()).isFalse();
    assertThat(c.raft().bind()).isEqualTo("10.0.0.1:10010");
    assertThat(c.raft().advertise()).isEqualTo("10.0.0.1:10010");
    assertThat(c.raft().peers()).containsExactly("10.0.0.1:10010", "10.0.0.2:10010", "10.0.0.3:10011", "[fd00::4]:10010");
  }

  @Test
  void raftWithoutNodesIsAGroupOfItself() throws Exception {
    HeraldConfig c = load("{\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"10.0.0.1:10008\"}");
    assertThat(c.raft().peers()).containsExactly("10.0.0.1:10008");
  }

  @Test
  void raftNodesMustIncludeThisNodesAdvertisedAddress() throws IOException {
    ConfigException e = refused("""
        {"RaftEnabled": true, "RaftInsecureTransport": true, "RaftBind": "0.0.0.0", "RaftAdvertise": "10.0.0.9",
         "RaftNodes": ["10.0.0.1", "10.0.0.2", "10.0.0.3"]}
        """);
    assertThat(e.key()).isEqualTo("RaftNodes");
    assertThat(e.getMessage()).contains("10.0.0.9:10008");
  }

  @Test
  void raftNodesMustNotRepeatANode() throws IOException {
    ConfigException e = refused("{\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftBind\": \"10.0.0.1\", \"RaftNodes\": [\"10.0.0.1\", \"10.0.0.1:10008\"]}");
    assertThat(e.key()).isEqualTo("RaftNodes");
  }

  @Test
  void zkAddressWithoutPortGets2181() throws Exception {
    HeraldConfig c = load("{\"ZkAddress\": \"zk1, zk2:2182,zk3\"}");
    assertThat(c.zookeeper().orElseThrow().connectString()).isEqualTo("zk1:2181,zk2:2182,zk3:2181");
  }

  @Test
  void aRaftGroupWithoutTlsIsRefusedUnlessTheInsecureTransportIsAccepted() throws Exception {
    ConfigException e = refused("{\"RaftEnabled\": true, \"RaftNodes\": [\"10.0.0.1\", \"10.0.0.2\", \"10.0.0.3\"], \"RaftBind\": \"10.0.0.1\"}");
    assertThat(e.key()).isEqualTo("RaftTLSCertFile");
    assertThat(e.getMessage()).contains("RaftInsecureTransport").contains("herald certs");
    HeraldConfig c = load("{\"RaftEnabled\": true, \"RaftInsecureTransport\": true, \"RaftNodes\": [\"10.0.0.1\", \"10.0.0.2\"], \"RaftBind\": \"10.0.0.1\"}");
    assertThat(c.raft().transport()).isEqualTo(io.herald.raft.RaftTransport.INSECURE);
    assertThat(load("{}").raft().transport()).isEqualTo(io.herald.raft.RaftTransport.LOCAL_TLS);
  }

  @Test
  void theInsecureTransportIsOnlyForAGroupWithoutTls() throws Exception {
    assertThat(refused("{\"RaftInsecureTransport\": true}").key()).isEqualTo("RaftInsecureTransport");
  }

  @Test
  void discoveryIsOffWithoutATopologyUserAndTakesOrchestratorsKeys() throws Exception {
    assertThat(load("{}").mysql()).isEmpty();
    assertThat(load("{}").discovery().pollInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
    HeraldConfig c = load("""
        {"MySQLTopologyUser": "herald", "MySQLTopologyPassword": "s3cret", "DiscoverySeeds": ["db2:3306", "[fd00::2]:3307"],
         "InstancePollSeconds": 2, "MySQLConnectTimeoutSeconds": 1, "MySQLDiscoveryReadTimeoutSeconds": 4,
         "DiscoverByShowSlaveHosts": false, "DiscoveryIgnoreHostnameFilters": ["^backup"],
         "DetectClusterAliasQuery": "SELECT 'a'", "ClusterNameToAlias": {"^db1": "orders"},
         "DataCenterPattern": "[.]([^.]+)[.]example", "UnseenInstanceForgetHours": 1}
        """);
    var m = c.mysql().orElseThrow();
    assertThat(m.user()).isEqualTo("herald");
    assertThat(m.password().value()).isEqualTo("s3cret");
    assertThat(m.toString()).doesNotContain("s3cret");
    assertThat(m.connectTimeout()).isEqualTo(java.time.Duration.ofSeconds(1));
    assertThat(m.readTimeout()).isEqualTo(java.time.Duration.ofSeconds(4));
    assertThat(m.discoverByShowSlaveHosts()).isFalse();
    assertThat(c.discovery().seeds()).containsExactly(new io.herald.cluster.HostPort("db2", 3306),
        new io.herald.cluster.HostPort("fd00::2", 3307));
    assertThat(c.discovery().pollInterval()).isEqualTo(java.time.Duration.ofSeconds(2));
    assertThat(c.analysis().clusterNameToAlias()).singleElement().satisfies(r -> assertThat(r.matches("db1:3306")).isTrue());
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void credentialsComeFromAMyCnfClientSection() throws Exception {
    Path cnf = dir.resolve("creds.cnf");
    java.nio.file.Files.writeString(cnf, "[mysqld]\nuser=nobody\n[client]\nuser = herald\npassword=\"p w\"\n");
    var m = load("{\"MySQLTopologyCredentialsConfigFile\": \"" + cnf + "\"}").mysql().orElseThrow();
    assertThat(m.user()).isEqualTo("herald");
    assertThat(m.password().value()).isEqualTo("p w");
  }

  @Test
  void badDiscoveryValuesAreRefusedNamingTheKey() throws Exception {
    assertThat(refused("{\"DiscoverySeeds\": [\"db1:3306\"]}").key()).isEqualTo("MySQLTopologyUser");
    assertThat(refused("{\"MySQLTopologyUser\": \"h\"}").key()).isEqualTo("MySQLTopologyPassword");
    assertThat(refused("{\"MySQLTopologyUser\": \"h\", \"MySQLTopologyPassword\": \"p\", \"DiscoverySeeds\": [\"db1:03306\"]}").key())
        .isEqualTo("DiscoverySeeds");
    assertThat(refused("{\"DiscoveryIgnoreHostnameFilters\": [\"(\"]}").key()).isEqualTo("DiscoveryIgnoreHostnameFilters");
    assertThat(refused("{\"ClusterNameToAlias\": {\"(\": \"a\"}}").key()).isEqualTo("ClusterNameToAlias");
    assertThat(refused("{\"InstancePollSeconds\": 0}").key()).isEqualTo("InstancePollSeconds");
    assertThat(refused("{\"MySQLTopologySSLCertFile\": \"/x.pem\"}").getMessage()).contains("PKCS#12");
    assertThat(refused("{\"MySQLTopologyCredentialsConfigFile\": \"" + dir.resolve("missing.cnf") + "\"}").key())
        .isEqualTo("MySQLTopologyCredentialsConfigFile");
  }

  @Test
  void anEpochPrefixIsThisDeploymentsWhenInUseOrConfiguredExplicitly() throws Exception {
    assertThat(load("{}").layout().epochPrefixOwned()).isFalse(); // the default prefix may be another deployment's
    assertThat(load("{\"HeraldEpochKey\": false}").layout().epochPrefixOwned()).isTrue();
    assertThat(load("{\"HeraldEpochKeyPrefix\": \"herald/epoch\"}").layout().epochPrefixOwned()).isTrue();
  }

  // --- etcd TLS ---

  /** A CA, a client certificate and its key written into {@code dir}; returns the JSON of the TLS keys. */
  private String etcdTlsFiles() throws IOException {
    CertificateAuthority ca = CertificateAuthority.create("etcd-ca", Duration.ofDays(1));
    ca.writeTo(dir.resolve("ca.crt"), dir.resolve("ca.key"));
    CertificateAuthority.write(ca.issue("herald", Duration.ofDays(1)), dir.resolve("client.crt"), dir.resolve("client.key"));
    return "\"EtcdCAFile\": \"" + dir.resolve("ca.crt") + "\", \"EtcdCertFile\": \"" + dir.resolve("client.crt")
        + "\", \"EtcdKeyFile\": \"" + dir.resolve("client.key") + "\"";
  }

  @Test
  void etcdOverMutualTlsLoads() throws Exception {
    HeraldConfig c = load("{\"EtcdEndpoints\": \"https://10.0.0.1:2379,https://10.0.0.2:2379\", " + etcdTlsFiles()
        + ", \"EtcdServerName\": \"etcd.internal\"}");
    EtcdOptions e = c.etcd().orElseThrow();
    assertThat(e.usesTls()).isTrue();
    assertThat(e.endpoints()).extracting(java.net.URI::getScheme).containsOnly("https");
    assertThat(e.tls().caFile()).contains(dir.resolve("ca.crt"));
    assertThat(e.tls().certFile()).contains(dir.resolve("client.crt"));
    assertThat(e.tls().keyFile()).contains(dir.resolve("client.key"));
    assertThat(e.tls().serverName()).contains("etcd.internal");
    assertThat(e.tls().skipVerify()).isFalse();
    assertThat(c.warnings()).isEmpty();
  }

  @Test
  void etcdWithACaAndNoClientCertificateOrWithSkipVerifyLoads() throws Exception {
    etcdTlsFiles();
    EtcdOptions ca = load("{\"EtcdEndpoints\": \"https://10.0.0.1:2379\", \"EtcdCAFile\": \"" + dir.resolve("ca.crt")
        + "\"}").etcd().orElseThrow();
    assertThat(ca.usesTls()).isTrue();
    assertThat(ca.tls().certFile()).isEmpty();
    EtcdOptions skip = load("{\"EtcdEndpoints\": \"https://10.0.0.1:2379\", \"EtcdSSLSkipVerify\": true}").etcd().orElseThrow();
    assertThat(skip.tls().skipVerify()).isTrue();
    assertThat(skip.tls().caFile()).isEmpty();
    assertThat(load("{\"EtcdEndpoints\": \"http://10.0.0.1:2379\"}").etcd().orElseThrow().usesTls()).isFalse();
  }

  @Test
  void etcdTlsSettingsThatDoNotFitAreRefusedByName() throws Exception {
    String files = etcdTlsFiles();
    String ca = "\"EtcdCAFile\": \"" + dir.resolve("ca.crt") + "\"";
    String cert = "\"EtcdCertFile\": \"" + dir.resolve("client.crt") + "\"";
    String key = "\"EtcdKeyFile\": \"" + dir.resolve("client.key") + "\"";
    String https = "\"EtcdEndpoints\": \"https://10.0.0.1:2379\", ";
    String http = "\"EtcdEndpoints\": \"http://10.0.0.1:2379\", ";
    Map<String, String> cases = new java.util.LinkedHashMap<>();
    cases.put("{" + https + cert + ", " + key + "}", "EtcdEndpoints"); // https without a CA or skip-verify
    cases.put("{\"EtcdEndpoints\": \"https://10.0.0.1:2379,http://10.0.0.2:2379\", " + files + "}", "EtcdEndpoints");
    cases.put("{" + http + files + "}", "EtcdCAFile");
    cases.put("{" + http + "\"EtcdSSLSkipVerify\": true}", "EtcdSSLSkipVerify");
    cases.put("{" + http + cert + ", " + key + "}", "EtcdCertFile");
    cases.put("{" + http + "\"EtcdServerName\": \"etcd.internal\"}", "EtcdServerName");
    cases.put("{" + https + ca + ", " + cert + "}", "EtcdKeyFile");
    cases.put("{" + https + ca + ", " + key + "}", "EtcdCertFile");
    cases.put("{" + https + files + ", \"EtcdSSLSkipVerify\": true}", "EtcdSSLSkipVerify");
    cases.put("{" + https + "\"EtcdSSLSkipVerify\": \"yes\"}", "EtcdSSLSkipVerify");
    cases.put("{" + https + ca + ", \"EtcdServerName\": \"etcd internal\"}", "EtcdServerName");
    cases.put("{" + https + "\"EtcdCAFile\": \"" + dir.resolve("absent.crt") + "\"}", "EtcdCAFile");
    cases.put("{" + https + "\"EtcdCAFile\": \"" + dir + "\"}", "EtcdCAFile"); // a directory
    cases.put("{" + https + "\"EtcdCAFile\": \"" + dir.resolve("client.key") + "\"}", "EtcdCAFile"); // not a certificate
    cases.put("{" + https + ca + ", \"EtcdCertFile\": \"" + dir.resolve("absent.crt") + "\", " + key + "}", "EtcdCertFile");
    cases.put("{" + https + ca + ", " + cert + ", \"EtcdKeyFile\": \"" + dir.resolve("absent.key") + "\"}", "EtcdKeyFile");
    cases.put("{" + https + ca + ", " + cert + ", \"EtcdKeyFile\": \"" + dir.resolve("ca.crt") + "\"}", "EtcdKeyFile");
    cases.put("{" + https + ca + ", " + cert + ", \"EtcdKeyFile\": \"" + dir.resolve("ca.key") + "\"}", "EtcdKeyFile"); // another key
    for (var c : cases.entrySet()) {
      ConfigException e = refused(c.getKey());
      assertThat(e.key()).as(c.getKey()).isEqualTo(c.getValue());
      assertThat(e.getMessage()).as(c.getKey()).startsWith(c.getValue() + ": ");
    }
    assertThat(refused("{" + https + ca + ", " + cert + ", \"EtcdKeyFile\": \"" + dir.resolve("ca.key") + "\"}")
        .getMessage()).contains("is not the key of the certificate");
    assertThat(refused("{" + http + files + "}").getMessage()).contains("https://");
  }

  @Test
  void aBadEtcdKeyFileIsRefusedWithoutItsContents() throws Exception {
    etcdTlsFiles();
    String secret = "c2VjcmV0LWtleS1tYXRlcmlhbC0xMjM0NQ==";
    Path bad = dir.resolve("bad.key");
    Files.writeString(bad, "-----BEGIN PRIVATE KEY-----\n" + secret + "\n-----END PRIVATE KEY-----\n");
    Path notPem = dir.resolve("notpem.key");
    Files.writeString(notPem, secret + "\n");
    for (Path k : List.of(bad, notPem)) {
      ConfigException e = refused("{\"EtcdEndpoints\": \"https://10.0.0.1:2379\", \"EtcdCAFile\": \"" + dir.resolve("ca.crt")
          + "\", \"EtcdCertFile\": \"" + dir.resolve("client.crt") + "\", \"EtcdKeyFile\": \"" + k + "\"}");
      assertThat(e.key()).isEqualTo("EtcdKeyFile");
      assertThat(e.getMessage()).contains(k.toString()).doesNotContain(secret).doesNotContain("c2VjcmV0");
    }
  }
}
