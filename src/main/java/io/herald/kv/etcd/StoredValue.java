package io.herald.kv.etcd;

/** A key's value as read, with the revision of its last change, for a compare-and-set. */
record StoredValue(String value, long modRevision) {}
