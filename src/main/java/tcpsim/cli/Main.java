package tcpsim.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code tcpsim} command line. Exit codes: 0 success, 1 a run failed, 2 bad input. */
@Command(name = "tcpsim", mixinStandardHelpOptions = true, version = "tcpsim 0.1.0",
    description = "Deterministic simulation of TCP connection lifecycles on Akka actors.",
    subcommands = {BatchCommand.class, RunCommand.class, ValidateCommand.class, TraceCommand.class,
        BenchCommand.class, NodeCommand.class})
public final class Main implements Runnable {
  public static final int EXIT_OK = 0;
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_BAD_INPUT = 2;

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    // SLF4J 2 reports that it replayed Akka's first log call; that notice is noise on a terminal.
    System.setProperty("slf4j.internal.verbosity", "ERROR");
    System.exit(execute(args));
  }

  /** Run the command line and return its exit code (tests call this instead of main). */
  public static int execute(String... args) {
    // picocli answers invalid options and arguments with its usage exit code, 2.
    CommandLine cli = new CommandLine(new Main());
    return cli.execute(args);
  }
}
