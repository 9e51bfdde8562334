package io.herald.topology;

import static io.herald.topology.Sample.master;
import static io.herald.topology.Sample.replica;
import static io.herald.topology.Sample.topology;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.topology.ProbeError.Kind;
import org.junit.jupiter.api.Test;

class TopologyTextTest {
  @Test
  void rendersAnIndentedTreeWithAlignedFacts() {
    Topology t = topology(master(23401).up(), replica(23403, 23401).up(), replica(23402, 23401).lag(3).up(),
        replica(23404, 23402).sqlStopped().up());
    assertThat(TopologyText.render(t, t.clusters().get(0))).isEqualTo("""
        127.0.0.1:23401     [0s,ok,10.11.19-MariaDB-log,rw,ROW,>>,GTID]
        + 127.0.0.1:23402   [3s,ok,10.11.19-MariaDB-log,ro,ROW,>>,GTID]
          + 127.0.0.1:23404 [null,nonreplicating,10.11.19-MariaDB-log,ro,ROW,>>,GTID]
        + 127.0.0.1:23403   [0s,ok,10.11.19-MariaDB-log,ro,ROW,>>,GTID]
        """);
  }

  @Test
  void showsUnreachableAndNeverSeenInstances() {
    Sample r = replica(2, 1);
    r.logSlaveUpdates = false;
    Topology t = topology(master(1).reports(3).down(Kind.UNREACHABLE), r.up());
    assertThat(TopologyText.render(t, t.clusters().get(0))).isEqualTo("""
        127.0.0.1:1   [null,unreachable,10.11.19-MariaDB-log,rw,ROW,>>,GTID]
        + 127.0.0.1:2 [0s,ok,10.11.19-MariaDB-log,ro,ROW,GTID]
        + 127.0.0.1:3 [null,unknown]
        """);
  }

  @Test
  void rendersACycleOnceFromItsSmallestMember() {
    Topology t = topology(replica(1, 2).readOnly(false).up(), replica(2, 1).up());
    assertThat(TopologyText.render(t, t.clusters().get(0))).isEqualTo("""
        127.0.0.1:1   [0s,ok,10.11.19-MariaDB-log,rw,ROW,>>,GTID]
        + 127.0.0.1:2 [0s,ok,10.11.19-MariaDB-log,ro,ROW,>>,GTID]
        """);
  }
}
