package tcpsim.cluster;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's largest heap in use right after a garbage collection since it started: the live
 * set, which is what the simulation really holds (a sample between collections would count
 * garbage too). Every node reports it at the end of a run, so that a distributed bench can add
 * up the memory of all its nodes.
 */
public final class HeapWatch {
  private static final AtomicLong PEAK = new AtomicLong();
  private static volatile boolean started;

  private HeapWatch() {}

  /** Start listening to collections (idempotent). */
  public static synchronized void start() {
    if (started) return;
    started = true;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (!(gc instanceof NotificationEmitter emitter)) continue;
      emitter.addNotificationListener((n, h) -> {
        if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
          return;
        }
        var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
        long used = info.getGcInfo().getMemoryUsageAfterGc().values().stream()
            .mapToLong(MemoryUsage::getUsed).sum();
        PEAK.accumulateAndGet(used, Math::max);
      }, null, null);
    }
  }

  /**
   * The live-set peak; if there was no collection yet, the heap pools' peak usage instead (an
   * upper bound: it counts garbage too).
   */
  public static long peakLiveBytes() {
    if (PEAK.get() > 0) return PEAK.get();
    return ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP)
        .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
  }
}
