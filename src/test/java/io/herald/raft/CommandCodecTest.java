package io.herald.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.cluster.Alias;
import io.herald.cluster.Cluster;
import io.herald.cluster.HostPort;
import io.herald.cluster.Master;
import io.herald.raft.CommandResult.Refusal;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CommandCodecTest {
  private static final Master V4 = new Master(new HostPort("db1.example.com", 3306), "10.0.0.1", "");
  private static final Master V6 = new Master(new HostPort("2001:db8::1", 3307), "", "2001:db8::1");

  static Stream<Command> commands() {
    return Stream.of(
        Command.SetMaster.declared(Alias.of("orders"), V4, 1_764_576_000_123L),
        Command.SetMaster.declared(Alias.of("x".repeat(128)), V6, 0),
        new Command.Submit(Optional.of(Alias.of("orders"))),
        new Command.Submit(Optional.empty()),
        Command.SetMaster.discovered(Alias.of("orders"), V4, 0, 1_764_576_000_123L),
        new Command.SetMaster(Alias.of("orders"), V6, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.of(42), 7, 99),
        new Command.Discover(new HostPort("db1.example.com", 3306)),
        new Command.Forget(List.of(new HostPort("db1", 3306), new HostPort("2001:db8::1", 3307))),
        new Command.Adopt(Alias.of("orders")),
        new Command.ReportFailure(Alias.of("orders"), 1_764_576_000_123_000L, "127.0.0.1:10001", "DeadMaster", true, 1_764_576_000_999L),
        new Command.SetRecoveries(false),
        new Command.BeginDowntime(new HostPort("db1", 3306), "ops", "kernel upgrade", 1_000, 61_000),
        new Command.EndDowntime(new HostPort("db1", 3306)),
        new Command.RegisterCandidate(new HostPort("db2", 3306), io.herald.cluster.PromotionRule.MUST_NOT, 1_000, 2_000));
  }

  static Stream<CommandResult> results() {
    Cluster a = new Cluster(Alias.of("a"), V4, 3, 0);
    Cluster b = new Cluster(Alias.of("b"), V6, 5, 9, io.herald.cluster.Origin.DISCOVERED);
    return Stream.of(
        CommandResult.applied(1, List.of()),
        CommandResult.applied(9, List.of(a, b)),
        CommandResult.refused(4, Refusal.Kind.CONFLICT, "db1:3306 is already the master of cluster 'a'"),
        CommandResult.refused(Long.MAX_VALUE, Refusal.Kind.NOT_FOUND, ""),
        new CommandResult(7, Optional.of(new Refusal(Refusal.Kind.INVALID, "ünïcode message")), List.of(a)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void commandRoundTrips(Command command) {
    assertThat(CommandCodec.decodeCommand(CommandCodec.encode(command))).isEqualTo(command);
  }

  @ParameterizedTest
  @MethodSource("results")
  void resultRoundTrips(CommandResult result) {
    assertThat(CommandCodec.decodeResult(CommandCodec.encode(result))).isEqualTo(result);
  }

  @Test
  void encodingIsDeterministic() {
    Command c = Command.SetMaster.declared(Alias.of("orders"), V4, 5);
    assertThat(CommandCodec.encode(c)).isEqualTo(CommandCodec.encode(Command.SetMaster.declared(Alias.of("orders"), V4, 5)));
  }

  @ParameterizedTest
  @MethodSource("commands")
  void everyTruncatedCommandIsRefused(Command command) {
    byte[] full = CommandCodec.encode(command);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(cut))
          .as("truncated to %d of %d bytes", n, full.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @ParameterizedTest
  @MethodSource("results")
  void everyTruncatedResultIsRefused(CommandResult result) {
    byte[] full = CommandCodec.encode(result);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = Arrays.copyOf(full, n);
      assertThatThrownBy(() -> CommandCodec.decodeResult(cut))
          .as("truncated to %d of %d bytes", n, full.length)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void unknownVersionIsRefused() {
    byte[] bytes = CommandCodec.encode(new Command.Submit(Optional.empty()));
    bytes[0] = 4;
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("version 4");
    byte[] result = CommandCodec.encode(CommandResult.applied(1, List.of()));
    result[0] = (byte) 0xff;
    assertThatThrownBy(() -> CommandCodec.decodeResult(result)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unknownCommandTypeIsRefused() {
    byte[] bytes = CommandCodec.encode(new Command.Submit(Optional.empty()));
    bytes[1] = 99;
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown command type 99");
  }

  @Test
  void invalidAliasInsideTheBytesIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(2);
      out.writeBoolean(true);
      out.writeUTF("a/b");
    });
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  /** What a stranger on an insecure raft port sent in the adversarial test: it must never be applied. */
  @ParameterizedTest
  @MethodSource("forgedMasters")
  void aSetMasterWithAnAddressTheApiWouldRefuseIsRefused(Master forged) {
    byte[] bytes = CommandCodec.encode(Command.SetMaster.declared(Alias.of("pwned"), forged, 1));
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid");
  }

  static Stream<Master> forgedMasters() {
    return Stream.of(
        new Master(new HostPort("10.66.6.6", 3306), "evil..ipv4", ""),
        new Master(new HostPort("10.66.6.6", 3306), "256.256.256.256", ""),
        new Master(new HostPort("2001:db8::1", 3306), "", "1::2::3"),
        new Master(new HostPort("db..x", 3306), "", ""),
        new Master(new HostPort("0177.0.0.1", 3306), "", ""));
  }

  @Test
  void aVersionOneSetMasterStillDecodesAsADeclaration() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(1);
      out.writeUTF("orders");
      out.writeUTF("db1");
      out.writeInt(3306);
      out.writeUTF("");
      out.writeUTF("");
    });
    assertThat(CommandCodec.decodeCommand(bytes)).isEqualTo(Command.SetMaster.declared(Alias.of("orders"),
        new Master(new HostPort("db1", 3306), "", ""), 0));
  }

  @Test
  void anOldLogEntryWithAnAddressOfItsDayStillAppliesButAClientsIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeByte(1);
      out.writeUTF("orders");
      out.writeUTF("0177.0.0.1"); // accepted by the code that logged it
      out.writeInt(3306);
      out.writeUTF("");
      out.writeUTF("");
    });
    assertThat(CommandCodec.decodeLogged(bytes)).isInstanceOf(Command.SetMaster.class);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aClockOrMinimumEpochThatWouldOverflowIsRefused() {
    Master m = new Master(new HostPort("db1", 3306), "", "");
    for (Command c : List.of(
        new Command.SetMaster(Alias.of("a"), m, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(), Long.MAX_VALUE / 100, 0),
        new Command.SetMaster(Alias.of("a"), m, io.herald.cluster.Origin.DECLARED, java.util.OptionalLong.empty(), 1, Long.MAX_VALUE - 1))) {
      byte[] bytes = CommandCodec.encode(c);
      assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> CommandCodec.decodeLogged(bytes)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aForgedDiscoverOfABadAddressIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(2);
      out.writeByte(3);
      out.writeUTF("0177.0.0.1");
      out.writeInt(3306);
    });
    assertThatThrownBy(() -> CommandCodec.decodeCommand(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void bytesAfterTheCommandAreRefused() {
    byte[] good = CommandCodec.encode(new Command.Submit(Optional.empty()));
    byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
    assertThatThrownBy(() -> CommandCodec.decodeCommand(longer)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("after the command");
  }

  @Test
  void unknownRefusalKindIsRefused() throws IOException {
    byte[] bytes = bytes(out -> {
      out.writeByte(1);
      out.writeLong(1);
      out.writeBoolean(true);
      out.writeUTF("TEAPOT");
      out.writeUTF("short and stout");
      out.writeInt(0);
    });
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void negativeClusterCountIsRefused() throws IOException {
    byte[] bytes = resultWithClusterCount(-1);
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void hugeClusterCountIsRefusedWithoutAllocatingForIt() throws IOException {
    // a corrupt count must not make the decoder reserve room for two billion clusters (OutOfMemoryError)
    byte[] bytes = resultWithClusterCount(Integer.MAX_VALUE);
    assertThatThrownBy(() -> CommandCodec.decodeResult(bytes)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyInputIsRefused() {
    assertThatThrownBy(() -> CommandCodec.decodeCommand(new byte[0])).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CommandCodec.decodeResult(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] resultWithClusterCount(int n) throws IOException {
    return bytes(out -> {
      out.writeByte(1);
      out.writeLong(1);
      out.writeBoolean(false);
      out.writeInt(n);
    });
  }

  private interface Body {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] bytes(Body body) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(b)) {
      body.write(out);
    }
    return b.toByteArray();
  }
}
