package tcpsim.engine;

import java.util.Arrays;

/**
 * An open-addressing hash map from long keys to non-negative int values, in two primitive
 * arrays: a host's connection table holds one entry per socket, and at a million connections a
 * boxed {@code HashMap<Long, Integer>} would cost several times the memory.
 */
final class LongIntMap {
  static final int MISSING = -1;
  private static final long FREE = Long.MIN_VALUE;
  private static final long REMOVED = Long.MIN_VALUE + 1;

  private long[] keys = new long[16];
  private int[] values = new int[16];
  private int size;
  private int used; // live entries plus tombstones

  LongIntMap() {
    Arrays.fill(keys, FREE);
  }

  int size() {
    return size;
  }

  int get(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) return values[i];
      if (k == FREE) return MISSING;
    }
  }

  boolean containsKey(long key) {
    return get(key) != MISSING;
  }

  void put(long key, int value) {
    if (key == FREE || key == REMOVED) throw new IllegalArgumentException("reserved key");
    if ((used + 1) * 2 > keys.length) resize();
    int mask = keys.length - 1;
    int tombstone = -1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        values[i] = value;
        return;
      }
      if (k == REMOVED && tombstone < 0) tombstone = i;
      if (k == FREE) {
        int at = tombstone >= 0 ? tombstone : i;
        if (at == i) used++;
        keys[at] = key;
        values[at] = value;
        size++;
        return;
      }
    }
  }

  void remove(long key) {
    int mask = keys.length - 1;
    for (int i = slot(key, mask); ; i = (i + 1) & mask) {
      long k = keys[i];
      if (k == key) {
        keys[i] = REMOVED;
        size--;
        return;
      }
      if (k == FREE) return;
    }
  }

  private void resize() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    int capacity = Math.max(16, Integer.highestOneBit(Math.max(1, size) * 4));
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(keys, FREE);
    size = 0;
    used = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != FREE && oldKeys[i] != REMOVED) put(oldKeys[i], oldValues[i]);
    }
  }

  /** Fibonacci hashing: spreads keys whose entropy is in a few bit fields (ports, hosts). */
  private static int slot(long key, int mask) {
    return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
  }
}
