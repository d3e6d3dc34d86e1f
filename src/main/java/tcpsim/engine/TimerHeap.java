package tcpsim.engine;

import java.util.Arrays;

/**
 * A binary min-heap of (time, id) pairs in two primitive arrays: no object per entry, so it stays
 * cheap with hundreds of thousands of pending timers. Ties on time are broken by id, which keeps
 * the order stable. Entries are never updated in place: a caller that reschedules pushes a new
 * entry and skips stale ones when it pops (it knows each id's current deadline).
 */
final class TimerHeap {
  private long[] times = new long[16];
  private int[] ids = new int[16];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  long peekTime() {
    return size == 0 ? Long.MAX_VALUE : times[0];
  }

  int peekId() {
    return ids[0];
  }

  void push(long time, int id) {
    if (size == times.length) {
      times = Arrays.copyOf(times, size * 2);
      ids = Arrays.copyOf(ids, size * 2);
    }
    int i = size++;
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (!less(time, id, times[parent], ids[parent])) break;
      times[i] = times[parent];
      ids[i] = ids[parent];
      i = parent;
    }
    times[i] = time;
    ids[i] = id;
  }

  /** Remove the smallest entry. */
  void pop() {
    size--;
    if (size == 0) return;
    long time = times[size];
    int id = ids[size];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && less(times[child + 1], ids[child + 1], times[child], ids[child])) {
        child++;
      }
      if (!less(times[child], ids[child], time, id)) break;
      times[i] = times[child];
      ids[i] = ids[child];
      i = child;
    }
    times[i] = time;
    ids[i] = id;
  }

  private static boolean less(long t1, int id1, long t2, int id2) {
    return t1 < t2 || (t1 == t2 && id1 < id2);
  }
}
