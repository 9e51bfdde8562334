package io.herald.bench;

import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.options.DeleteOption;
import io.herald.kv.KvStore;
import io.herald.kv.etcd.EtcdKvStore;
import io.herald.kv.etcd.EtcdOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** etcd: the baseline is jetcd's {@code put}, one key at a time, each awaited. */
final class EtcdTarget implements BulkTarget {
  private final String endpoints;
  private Client client;

  EtcdTarget(String endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public String name() {
    return "etcd";
  }

  @Override
  public String address() {
    return endpoints;
  }

  @Override
  public void start() throws IOException {
    client = Client.builder().endpoints(EtcdOptions.parseEndpoints(endpoints).toArray(java.net.URI[]::new)).build();
    Await.result(client.getKVClient().get(bytes("herald-bench/ping")), "etcd " + endpoints + ": first read");
  }

  @Override
  public void writeOne(String key, String value) throws IOException {
    Await.result(client.getKVClient().put(bytes(key), bytes(value)), "etcd put " + key);
  }

  @Override
  public AutoCloseable watch(String prefix, java.util.function.BiConsumer<String, String> onChange) {
    io.etcd.jetcd.Watch.Watcher w = client.getWatchClient().watch(bytes(prefix),
        io.etcd.jetcd.options.WatchOption.builder().isPrefix(true).build(), io.etcd.jetcd.Watch.listener(r -> {
          for (io.etcd.jetcd.watch.WatchEvent e : r.getEvents()) {
            if (e.getEventType() == io.etcd.jetcd.watch.WatchEvent.EventType.PUT) {
              onChange.accept(e.getKeyValue().getKey().toString(StandardCharsets.UTF_8),
                  e.getKeyValue().getValue().toString(StandardCharsets.UTF_8));
            }
          }
        }));
    return w::close;
  }

  @Override
  public KvStore heraldStore() {
    return new EtcdKvStore("bench-etcd", EtcdOptions.plain(endpoints));
  }

  @Override
  public void deleteAll(String root, List<String> written) throws IOException {
    DeleteOption prefix = DeleteOption.builder().isPrefix(true).build();
    Await.result(client.getKVClient().delete(bytes(root), prefix), "etcd delete prefix " + root);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    if (client != null) client.close();
  }
}
