package io.herald.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A comma-separated list of MariaDB GTIDs as the server prints it: a position ({@code @@gtid_current_pos},
 * {@code @@gtid_binlog_pos}, {@code @@gtid_slave_pos}, {@code Gtid_IO_Pos}: one GTID per domain) or a binlog state
 * ({@code @@gtid_binlog_state}: the last GTID of every (domain, server) pair). Empty when the server has none.
 * Order is kept as given.
 */
public record GtidList(List<Gtid> gtids) {
  public static final GtidList EMPTY = new GtidList(List.of());

  public GtidList {
    gtids = List.copyOf(Objects.requireNonNull(gtids, "gtids"));
  }

  /** Parses {@code 0-1-322,1-2-7}; null or blank is {@link #EMPTY}. */
  public static GtidList parse(String text) {
    if (text == null || text.isBlank()) return EMPTY;
    List<Gtid> list = new ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) list.add(Gtid.parse(part));
    }
    return new GtidList(list);
  }

  public boolean isEmpty() {
    return gtids.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    for (Gtid g : gtids) {
      if (b.length() > 0) b.append(',');
      b.append(g);
    }
    return b.toString();
  }
}
