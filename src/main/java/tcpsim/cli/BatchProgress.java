package tcpsim.cli;

import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import tcpsim.engine.Progress;
import tcpsim.report.BatchRow;

/**
 * Shows a whole batch's progress on stderr (stdout keeps the summary). On a terminal: one bar of
 * runs finished out of all, with how many passed and did not, the run in progress (its simulated
 * time and connections) and an ETA. Otherwise: one line per finished run,
 * {@code [3/7] loss-sweep[network.loss=2%] passed in 0.8 s}, and for a long run
 * {@link ProgressDisplay}'s line every 5 s. Nothing when quiet. Used from the batch's worker
 * threads ({@code --jobs}), hence synchronized.
 */
final class BatchProgress implements AutoCloseable {
  private enum Mode { QUIET, BAR, LINES }

  private final Mode mode;
  private final int runs;
  private final ProgressBar bar; // BAR only
  private final Thread refresher; // BAR only: the run in progress changes between finishes
  private final long startedNs = System.nanoTime();

  // Guarded by this. Lock order: never call the bar while holding this lock, because the bar's
  // own thread holds its lock when it asks eta(), which takes this one.
  private int finished;
  private int passed;
  private int ran; // finished runs that did run (not kept by --resume): the ETA's basis
  private final Set<Run> running = new LinkedHashSet<>();

  private BatchProgress(Mode mode, int runs) {
    this.mode = mode;
    this.runs = runs;
    if (mode != Mode.BAR) {
      this.bar = null;
      this.refresher = null;
      return;
    }
    this.bar = new ProgressBarBuilder().setTaskName("batch").setInitialMax(Math.max(1, runs))
        .setStyle(ProgressBarStyle.ASCII).setUnit(" runs", 1).setUpdateIntervalMillis(500)
        .continuousUpdate().setEtaFunction(state -> eta()).build();
    this.refresher = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          bar.setExtraMessage(message());
          Thread.sleep(200);
        }
      } catch (InterruptedException e) {
        // the batch is over
      }
    }, "batch-progress");
    refresher.setDaemon(true);
    refresher.start();
  }

  static BatchProgress start(int runs, boolean quiet) {
    Mode mode = quiet ? Mode.QUIET : ProgressDisplay.onTerminal() ? Mode.BAR : Mode.LINES;
    return new BatchProgress(mode, runs);
  }

  /** A run begins; it is shown until {@link Run#finished} (or {@link Run#close}). */
  Run begin(String label, Progress progress, long connections) {
    Run run = new Run(label, progress, connections,
        mode == Mode.LINES ? ProgressDisplay.lines(progress, connections, label) : null);
    synchronized (this) {
      running.add(run);
    }
    return run;
  }

  /** A run that {@code --resume} did not repeat: finished at once, and shown so. */
  void resumed(String label, BatchRow row) {
    record(label, row, -1);
  }

  /** One run in progress. */
  final class Run implements AutoCloseable {
    private final String label;
    private final Progress progress;
    private final long connections;
    private final ProgressDisplay lines;
    private final long startedNs = System.nanoTime();

    private Run(String label, Progress progress, long connections, ProgressDisplay lines) {
      this.label = label;
      this.progress = progress;
      this.connections = connections;
      this.lines = lines;
    }

    /** The run is over, with this result: count it and show it. */
    void finished(BatchRow row) {
      close(); // its periodic line must not come after its final one
      record(label, row, System.nanoTime() - startedNs);
    }

    /** Stop showing the run (it failed with an exception, or {@link #finished} did). */
    @Override
    public void close() {
      if (lines != null) lines.close();
      synchronized (BatchProgress.this) {
        running.remove(this);
      }
    }
  }

  /** Count a finished run; {@code nanos} is its wall time, negative when it was resumed. */
  private void record(String label, BatchRow row, long nanos) {
    int done;
    synchronized (this) {
      done = ++finished;
      if (row.ok()) passed++;
      if (nanos >= 0) ran++;
      // Printed under the lock, so that with --jobs the [i/n] lines come out in order.
      if (mode == Mode.LINES) System.err.println(line(done, runs, label, row, nanos));
    }
    if (mode == Mode.BAR) {
      bar.stepTo(done);
      bar.setExtraMessage(message());
    }
  }

  /** {@code [3/7] loss-sweep[network.loss=2%] passed in 0.8 s}, and why when it did not pass. */
  static String line(int done, int runs, String label, BatchRow row, long nanos) {
    String how = nanos < 0 ? " (resumed)" : String.format(Locale.ROOT, " in %.1f s", nanos / 1e9);
    String why = row.reason().isEmpty() ? "" : " — " + row.reason();
    return "[" + done + "/" + runs + "] " + label + " " + row.status() + how + why;
  }

  /**
   * The bar's text after its counts: passed and not, then the (first) run in progress, with its
   * share of connections finished and its simulated time; short, because the bar gives up its
   * own width to this text on a narrow terminal.
   */
  private synchronized String message() {
    String counts = passed + " passed, " + (finished - passed) + " not";
    if (running.isEmpty()) return counts;
    Run now = running.iterator().next();
    long percent = 100 * now.progress.connectionsFinished() / Math.max(1, now.connections);
    String more = running.size() > 1 ? " (+" + (running.size() - 1) + " running)" : "";
    return String.format(Locale.ROOT, "%s | %s %d%%, %.1f s simulated%s", counts, now.label,
        percent, now.progress.simulatedNs() / 1e9, more);
  }

  /**
   * Time so far per run that ran, times the runs left. The bar's own estimate (runs per second)
   * would count runs kept by --resume, which take no time, and promise too early an end; wall
   * time so far (not the runs' own times added up) keeps it right with --jobs.
   */
  private synchronized Optional<Duration> eta() {
    if (ran == 0) return Optional.empty();
    long elapsed = System.nanoTime() - startedNs;
    return Optional.of(Duration.ofNanos(elapsed / ran * (runs - finished)));
  }

  @Override
  public void close() {
    if (mode != Mode.BAR) return;
    refresher.interrupt();
    try {
      refresher.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    bar.setExtraMessage(message());
    bar.close(); // draws the final state and ends the line
  }
}
