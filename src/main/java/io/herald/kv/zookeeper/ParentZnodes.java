package io.herald.kv.zookeeper;

import io.herald.cluster.ClusterEntries;
import io.herald.cluster.KvPair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The znodes above the clusters' own znodes (such as {@code /mysql/master}): created once, outside the
 * clusters' transactions, and remembered so that later writes skip them. Thread-safe.
 */
final class ParentZnodes {
  /** Paths known to exist; a path is forgotten when a transaction says a parent is missing. */
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  /** The parent paths of a cluster's znodes that are not themselves the cluster's znodes. */
  static Set<String> outside(ClusterEntries e) {
    Set<String> own = new HashSet<>();
    for (KvPair p : e.allPairs()) own.add(Znodes.path(p.key()));
    Set<String> out = new TreeSet<>();
    for (String path : own) Znodes.parent(path).filter(p -> !own.contains(p)).ifPresent(out::add);
    return out;
  }

  /**
   * Makes sure every path (and its ancestors) exists. With {@code force}, paths believed to exist are created
   * again (after a transaction found one missing). The creations are pipelined on the session, parents first.
   */
  CompletableFuture<Void> ensure(Znodes znodes, Collection<String> paths, boolean force) {
    Set<String> missing = new TreeSet<>();
    for (String p : paths) {
      if (force || !known.contains(p)) missing.addAll(withAncestors(p));
    }
    if (missing.isEmpty()) return CompletableFuture.completedFuture(null);
    List<String> ordered = new ArrayList<>(missing);
    ordered.sort((a, b) -> Long.compare(depth(a), depth(b)));
    List<CompletableFuture<Void>> fs = new ArrayList<>();
    for (String p : ordered) fs.add(znodes.createIfAbsent(p));
    return CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).thenRun(() -> known.addAll(missing));
  }

  static long depth(String path) {
    return path.chars().filter(c -> c == '/').count();
  }

  private static List<String> withAncestors(String path) {
    List<String> out = new ArrayList<>();
    for (Optional<String> p = Optional.of(path); p.isPresent(); p = Znodes.parent(p.get())) out.add(p.get());
    return out;
  }
}
