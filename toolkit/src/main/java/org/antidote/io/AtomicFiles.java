package org.antidote.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary sibling, which
 * is renamed over the target only once it is complete. A crash leaves either the old file or the
 * new one, plus at worst a stray {@code .tmp-*} file.
 */
public final class AtomicFiles {

  private AtomicFiles() {}

  /** Something that writes a whole file to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Writes {@code target} atomically with whatever {@code writer} puts in the stream. */
  public static void write(Path target, Writer writer) {
    Path tmp = temporarySibling(target);
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.writeTo(out);
      }
      commit(tmp, target);
    } catch (IOException e) {
      deleteQuietly(tmp);
      throw writeFailure(target, e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /**
   * The error for a failed write of {@code target}: one sentence, and a full disk said in so many
   * words, because the user can fix it (and what was there before is still there).
   */
  public static UncheckedIOException writeFailure(Path target, IOException e) {
    if (isDiskFull(e)) {
      return new UncheckedIOException(
          target
              + ": the disk is full ("
              + e.getMessage()
              + "); nothing was replaced,"
              + " whatever was there before is intact; free some space and run the same command again",
          e);
    }
    return new UncheckedIOException("could not write " + target + ": " + e, e);
  }

  /** Whether an I/O failure (or one it wraps) is the file system running out of space or quota. */
  public static boolean isDiskFull(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage();
      if (m != null
          && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) {
        return true;
      }
    }
    return false;
  }

  /** Writes a string as UTF-8, atomically. */
  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * A fresh temporary path in the same folder as {@code target} (so the rename stays on one disk).
   */
  public static Path temporarySibling(Path target) {
    Path abs = target.toAbsolutePath();
    try {
      Files.createDirectories(abs.getParent());
      return Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".tmp-", "");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a temporary file beside " + target, e);
    }
  }

  /** Renames a finished temporary file over its target, atomically where the file system can. */
  public static void commit(Path tmp, Path target) throws IOException {
    // Temporary files are created private; finished artefacts are readable like any other file.
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
    } catch (UnsupportedOperationException ignored) {
      // Not a POSIX file system: keep its defaults.
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  /** Best-effort removal of a temporary folder and everything in it; a leftover is harmless. */
  public static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
    } catch (IOException ignored) {
      // Nothing there, or not readable: nothing of value is lost.
    }
  }

  /** Best-effort removal of a temporary file after a failure; never hides the original error. */
  public static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // The original failure matters more than a leftover temporary file.
    }
  }
}
