package tcpsim.cli;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import tcpsim.engine.Progress;

/**
 * Shows a run's progress on stderr: a progress bar on a terminal (connections finished of all,
 * simulated time, ETA), a plain line every 5 s otherwise, nothing when quiet. Progress is
 * counted in connections, since a run's simulated end is not known in advance.
 */
final class ProgressDisplay implements AutoCloseable {
  private final Thread thread;

  private ProgressDisplay(Thread thread) {
    this.thread = thread;
  }

  static ProgressDisplay start(Progress progress, long connections, String name, boolean quiet) {
    if (quiet) return new ProgressDisplay(null);
    boolean terminal = System.console() != null;
    long started = System.nanoTime();
    Thread t = new Thread(() -> {
      if (terminal) {
        try (ProgressBar bar = new ProgressBarBuilder().setTaskName(name)
            .setInitialMax(Math.max(1, connections)).setStyle(ProgressBarStyle.ASCII)
            .setUnit(" conn", 1).showSpeed().continuousUpdate().build()) {
          while (!Thread.currentThread().isInterrupted()) {
            bar.stepTo(progress.connectionsFinished());
            bar.setExtraMessage(String.format(Locale.ROOT, "%.1f s simulated",
                progress.simulatedNs() / 1e9));
            Thread.sleep(200);
          }
        } catch (InterruptedException e) {
          // the run is over
        }
      } else {
        try {
          while (true) {
            Thread.sleep(5000);
            System.err.printf(Locale.ROOT,
                "%s: %.0f s wall, %.3f s simulated, %,d of %,d connections finished, %,d events%n",
                name, (System.nanoTime() - started) / 1e9, progress.simulatedNs() / 1e9,
                progress.connectionsFinished(), connections, progress.events());
          }
        } catch (InterruptedException e) {
          // the run is over
        }
      }
    }, "progress");
    t.setDaemon(true);
    t.start();
    return new ProgressDisplay(t);
  }

  @Override
  public void close() {
    if (thread == null) return;
    thread.interrupt();
    try {
      thread.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
