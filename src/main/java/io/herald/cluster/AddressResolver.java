package io.herald.cluster;

/**
 * Resolves a master's address to the IPv4/IPv6 addresses published beside it. Called once per change, before the
 * change is replicated. Never throws: a name that does not resolve (in time) gets empty addresses.
 */
public interface AddressResolver {
  Master resolve(HostPort address);
}
