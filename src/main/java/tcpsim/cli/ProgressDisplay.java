package tcpsim.cli;

import java.io.Console;
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
  /** Often enough to reassure someone reading a log, rarely enough not to flood it. */
  private static final long LINE_EVERY_MS = 5000;

  private final Thread thread;

  private ProgressDisplay(Thread thread) {
    this.thread = thread;
  }

  static ProgressDisplay start(Progress progress, long connections, String name, boolean quiet) {
    if (quiet) return new ProgressDisplay(null);
    return onTerminal() ? bar(progress, connections, name) : lines(progress, connections, name);
  }

  /**
   * Whether a person is watching: a bar redraws itself in place, which in a log file or a pipe
   * is only noise. Up to JDK 21 {@code System.console()} is null unless stdin and stdout are a
   * terminal; from JDK 22 it returns a console for redirected streams too, and
   * {@code Console.isTerminal()} (looked up by name, as Java 17 lacks it) tells.
   */
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) return false;
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true; // before JDK 22: a console is a terminal
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  private static ProgressDisplay bar(Progress progress, long connections, String name) {
    return started(() -> {
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
    });
  }

  /** Without a terminal: a line every 5 s while the run goes on, none for a short run. */
  static ProgressDisplay lines(Progress progress, long connections, String name) {
    long started = System.nanoTime();
    return started(() -> {
      try {
        while (true) {
          Thread.sleep(LINE_EVERY_MS);
          System.err.printf(Locale.ROOT,
              "%s: %.0f s wall, %.3f s simulated, %,d of %,d connections finished, %,d events%n",
              name, (System.nanoTime() - started) / 1e9, progress.simulatedNs() / 1e9,
              progress.connectionsFinished(), connections, progress.events());
        }
      } catch (InterruptedException e) {
        // the run is over
      }
    });
  }

  private static ProgressDisplay started(Runnable body) {
    Thread t = new Thread(body, "progress");
    t.setDaemon(true);
    t.start();
    return new ProgressDisplay(t);
  }

  /** Stop the display, and wait (briefly) for a line it is printing, so no line comes after. */
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
