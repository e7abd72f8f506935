package org.antidote.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader never sees half of one: the bytes go to a temporary sibling,
 * which is renamed over the target only once it is complete. A crash leaves either the old file
 * or the new one, plus at worst a stray {@code .tmp-*} file.
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
      throw new UncheckedIOException("could not write " + target + ": " + e.getMessage(), e);
    } catch (RuntimeException | Error e) {
      deleteQuietly(tmp);
      throw e;
    }
  }

  /** Writes a string as UTF-8, atomically. */
  public static void writeString(Path target, String text) {
    write(target, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  /** A fresh temporary path in the same folder as {@code target} (so the rename stays on one disk). */
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
      Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
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
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      s.sorted(java.util.Comparator.reverseOrder()).forEach(AtomicFiles::deleteQuietly);
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
