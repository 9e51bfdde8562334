package io.herald.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.topology.GtidList;
import org.junit.jupiter.api.Test;

class SourceSetupTest {

  @Test
  void anOldMasterStartsFromItsBinlogWhenItsSlavePositionIsStale() {
    // pitfall 11: RESET SLAVE ALL left gtid_slave_pos at 0-1-322 while it wrote 0-2-*
    assertThat(SourceSetup.startPosition(GtidList.parse("0-2-330"), GtidList.parse("0-1-322")))
        .isEqualTo(GtidList.parse("0-2-330"));
  }

  @Test
  void eachDomainTakesTheLaterOfBinlogAndSlavePositionAndDomainsOfEitherAreKept() {
    assertThat(SourceSetup.startPosition(GtidList.parse("1-2-7,0-2-330"), GtidList.parse("0-3-335,2-1-4")))
        .isEqualTo(GtidList.parse("0-3-335,1-2-7,2-1-4"));
    assertThat(SourceSetup.startPosition(GtidList.parse("0-2-5"), GtidList.parse("0-1-5")))
        .isEqualTo(GtidList.parse("0-2-5"));
    assertThat(SourceSetup.startPosition(GtidList.EMPTY, GtidList.EMPTY)).isEqualTo(GtidList.EMPTY);
  }
}
