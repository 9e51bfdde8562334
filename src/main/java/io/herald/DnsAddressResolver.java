package io.herald;

import io.herald.cluster.AddressResolver;
import io.herald.cluster.HostPort;
import io.herald.cluster.IpLiteral;
import io.herald.cluster.Master;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves through the JVM's resolver, bounded by a timeout. IP literals are taken as they are, with no lookup.
 * Thread-safe; owns a small pool of named daemon threads, closed by {@link #close}.
 */
final class DnsAddressResolver implements AddressResolver, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsAddressResolver.class);
  private final Duration timeout;
  private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "resolve");
    t.setDaemon(true);
    return t;
  });

  DnsAddressResolver(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public Master resolve(HostPort address) {
    String host = address.host();
    if (IpLiteral.isIpv4(host)) return new Master(address, host, "");
    if (host.contains(":")) return new Master(address, "", IpLiteral.isIpv6(host) ? host : "");
    // a numeric form that is not canonical: resolvers disagree on what it means, so publish no address for it
    if (IpLiteral.looksNumeric(host)) return new Master(address, "", "");
    Future<InetAddress[]> f = pool.submit(() -> InetAddress.getAllByName(host));
    try {
      String v4 = "";
      String v6 = "";
      for (InetAddress a : f.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        if (a instanceof Inet4Address && v4.isEmpty()) v4 = a.getHostAddress();
        if (a instanceof Inet6Address && v6.isEmpty()) v6 = a.getHostAddress();
      }
      return new Master(address, v4, v6);
    } catch (TimeoutException e) {
      f.cancel(true);
      LOG.warn("master {}: name did not resolve within {} ms; publishing empty ipv4/ipv6", host, timeout.toMillis());
    } catch (ExecutionException e) {
      LOG.warn("master {}: name does not resolve ({}); publishing empty ipv4/ipv6", host, e.getCause().toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new Master(address, "", "");
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
