package io.herald.kv.etcd;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.herald.kv.KvStoreException;
import org.junit.jupiter.api.Test;

/** How a failed TLS handshake with etcd is told from other failures, by the shapes gRPC gives it. */
class EtcdFailuresTest {
  private static StatusRuntimeException unavailable(String description) {
    return new StatusRuntimeException(Status.UNAVAILABLE.withDescription(description));
  }

  @Test
  void aConnectionClosedInTheHandshakeIsATlsMismatchInBothShapesGrpcGives() {
    for (String d : new String[] {"Connection closed while performing TLS negotiation",
        "io exception\nChannel Pipeline: [SslHandler#0, ProtocolNegotiators$ClientTlsHandler#0, "
            + "WriteBufferingAndExceptionHandler#0, DefaultChannelPipeline$TailContext#0]"}) {
      KvStoreException e = EtcdFailures.tlsFailure("etcd", "write 1 clusters", unavailable(d));
      assertThat(e).as(d).isNotNull();
      assertThat(e.getMessage()).contains("does the endpoint speak TLS", "http://");
    }
  }

  @Test
  void anIoErrorAfterTheHandshakeOrWithoutTlsIsNotATlsFailure() {
    assertThat(EtcdFailures.tlsFailure("etcd", "write", unavailable(
        "io exception\nChannel Pipeline: [SslHandler#0, WriteBufferingAndExceptionHandler#0]"))).isNull();
    assertThat(EtcdFailures.tlsFailure("etcd", "write", unavailable("io exception"))).isNull();
    assertThat(EtcdFailures.tlsFailure("etcd", "write", new IllegalStateException("ClientTlsHandler"))).isNull();
  }
}
