package io.herald.kv.zookeeper;

/** A znode as read: its data as UTF-8 text and its data version, for a compare-and-set. */
record Znode(String value, int version) {}
