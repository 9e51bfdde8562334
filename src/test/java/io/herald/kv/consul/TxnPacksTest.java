package io.herald.kv.consul;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.ClusterEntries;
import io.herald.cluster.HostPort;
import io.herald.cluster.KeyLayout;
import io.herald.cluster.Master;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TxnPacksTest {
  private final KeyLayout beside = new KeyLayout("mysql/master", true, "herald/epoch");
  private final KeyLayout apart = new KeyLayout("mysql/master", false, "herald/epoch");

  private static ClusterEntries cluster(KeyLayout layout, String alias, long epoch) {
    return layout.entries(new Cluster(Alias.of(alias), new Master(new HostPort("db1", 3306), "", ""), epoch, 0));
  }

  private List<ClusterEntries> clusters(int n) {
    List<ClusterEntries> out = new ArrayList<>();
    for (int i = 0; i < n; i++) out.add(cluster(beside, "c" + i, i + 1));
    return out;
  }

  @Test
  void packsWholeClustersUpToTheLimitInOrder() {
    List<List<ClusterEntries>> packs = TxnPacks.pack(clusters(100), 64, Map.of());
    assertThat(packs).hasSize(10).allSatisfy(p -> assertThat(p).hasSize(10));
    assertThat(packs.stream().flatMap(List::stream).toList()).isEqualTo(clusters(100));
    assertThat(TxnPacks.pack(clusters(25), 12, Map.of())).extracting(List::size).containsExactly(2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
        2, 2, 1);
  }

  @Test
  void aClusterBiggerThanTheLimitGetsATransactionOfItsOwn() {
    assertThat(TxnPacks.pack(clusters(3), 5, Map.of())).extracting(List::size).containsExactly(1, 1, 1);
    assertThat(TxnPacks.pack(List.of(), 64, Map.of())).isEmpty();
  }

  @Test
  void theEpochKeyIsComparedAgainstTheIndexReadOrZeroWhenAbsent() {
    ClusterEntries e = cluster(beside, "c1", 9);
    List<ConsulHttp.Op> fresh = TxnPacks.opsOf(e, Map.of());
    assertThat(fresh).hasSize(6);
    assertThat(fresh.get(0)).isEqualTo(ConsulHttp.Op.cas("mysql/master/c1/epoch", "9", 0));
    assertThat(fresh.subList(1, 6)).allSatisfy(op -> assertThat(op.casIndex()).isEqualTo(-1));
    List<ConsulHttp.Op> known = TxnPacks.opsOf(e, Map.of("mysql/master/c1/epoch", new StoredKey("8", 4711)));
    assertThat(known.get(0).casIndex()).isEqualTo(4711);
  }

  @Test
  void anEpochKeyLeftBesideTheMasterIsDeletedInTheClustersTransactionAgainstItsIndex() {
    ClusterEntries e = cluster(apart, "c1", 9);
    assertThat(TxnPacks.opsOf(e, Map.of())).hasSize(6);
    List<ConsulHttp.Op> ops = TxnPacks.opsOf(e, Map.of("mysql/master/c1/epoch", new StoredKey("4", 77)));
    assertThat(ops).hasSize(7).last().isEqualTo(ConsulHttp.Op.deleteIf("mysql/master/c1/epoch", 77));
    assertThat(TxnPacks.pack(List.of(e, e), 12, Map.of("mysql/master/c1/epoch", new StoredKey("4", 77))))
        .extracting(List::size).containsExactly(1, 1);
  }

  @Test
  void readsCoverEveryKeyWithTheFewestPrefixes() {
    KeyLayout owned = new KeyLayout("mysql/master", true, "herald/epoch", true);
    assertThat(BatchWriter.prefixesCovering(List.of(cluster(owned, "a", 1), cluster(owned, "b", 1))))
        .containsExactly("mysql/master/", "herald/epoch/");
    assertThat(BatchWriter.prefixesCovering(List.of(cluster(beside, "c1", 1)))).containsExactly("mysql/master/c1");
    assertThat(BatchWriter.prefixesCovering(List.of(cluster(apart, "c1", 1))))
        .containsExactly("mysql/master/c1", "herald/epoch/c1");
    assertThat(BatchWriter.prefixesCovering(List.of(cluster(beside, "c1", 1), cluster(beside, "c2", 1))))
        .containsExactly("mysql/master/c");
    assertThat(BatchWriter.prefixesCovering(List.of(cluster(apart, "a", 1), cluster(apart, "b", 1))))
        .containsExactly("mysql/master/", "herald/epoch/");
    assertThat(BatchWriter.prefixesCovering(List.of())).isEmpty();
  }

  @Test
  void keysArePercentEncodedButSlashes() {
    assertThat(ConsulHttp.encodePath("mysql/master/c-1.x_y~z")).isEqualTo("mysql/master/c-1.x_y~z");
    assertThat(ConsulHttp.encodePath("a b/c?d&e#f%")).isEqualTo("a%20b/c%3Fd%26e%23f%25");
    assertThat(ConsulHttp.encodePath("é")).isEqualTo("%C3%A9");
  }
}
