package tcpsim.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * How every report file is written: to a temporary file in the target's folder, then renamed
 * into place, so that a run killed midway never leaves half a file behind. What a kill can leave
 * is a temporary file (named {@code .tmp-*}); {@link #deleteLeftovers} removes those.
 */
public final class AtomicFiles {
  /** Every temporary file of this class starts with this, so leftovers can be told apart. */
  public static final String TEMP_PREFIX = ".tmp-";

  private AtomicFiles() {}

  public static void write(Path target, String content) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = createTemp(dir, ".part");
    try {
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      moveIntoPlace(tmp, target);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * A new private temporary file in {@code dir} for content that {@link #moveIntoPlace} will
   * rename onto its target later (large files written while a run goes on, like trace.pcap).
   */
  public static Path createTemp(Path dir, String suffix) throws IOException {
    return Files.createTempFile(dir, TEMP_PREFIX, suffix);
  }

  /**
   * Delete the temporary files a killed process left in {@code dir} (not below it). Only for a
   * folder no other writer is using at the moment: a live writer's temporary file would go too.
   *
   * @return how many were deleted
   */
  public static int deleteLeftovers(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return 0;
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, TEMP_PREFIX + "*")) {
      for (Path p : entries) {
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(p)) {
          deleted++;
        }
      }
    }
    return deleted;
  }

  /** Rename a finished temporary file onto {@code target}, readable by all like any report. */
  public static void moveIntoPlace(Path tmp, Path target) throws IOException {
    readableByAll(tmp);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Temporary files are private (0600); a report is for everyone who can read the folder. */
  private static void readableByAll(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: its defaults apply
    }
  }
}
