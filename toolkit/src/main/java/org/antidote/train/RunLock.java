package org.antidote.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;

/**
 * One trainer per run folder: an operating-system lock on {@code RUN/.lock}, which holds the
 * holder's process id so that a second {@code train} on the same folder is refused naming it. The
 * operating system drops the lock when the holder dies, so a killed run never blocks its resume.
 * Closing removes the lock file, and the folder too when the lock made it and nothing else was
 * written there (a refused run leaves nothing behind).
 */
final class RunLock implements AutoCloseable {

  static final String FILE = ".lock";

  private final Path dir;
  private final Path file;
  private final boolean madeDir;
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(Path dir, boolean madeDir, FileChannel channel, FileLock lock) {
    this.dir = dir;
    this.file = dir.resolve(FILE);
    this.madeDir = madeDir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code runDir} (made if missing), or refuses naming the process that holds
   * it.
   */
  static RunLock acquire(Path runDir) {
    if (Files.exists(runDir) && !Files.isDirectory(runDir)) {
      throw BadInputException.in(runDir, "is a file; --out must name a run folder");
    }
    boolean made = !Files.exists(runDir);
    Path f = runDir.resolve(FILE);
    try {
      Files.createDirectories(runDir);
      while (true) {
        FileChannel ch =
            FileChannel.open(
                f, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
        FileLock l;
        try {
          l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          l = null; // this JVM holds it already (a notebook training the same folder twice at once)
        }
        if (l == null) {
          String holder = holder(ch);
          ch.close();
          throw new BadInputException(
              runDir
                  + ": another antidote process (PID "
                  + holder
                  + ") is training"
                  + " in this folder; wait for it to finish, or stop it, or choose another --out");
        }
        // The previous holder may have removed the file between our open and our lock: lock anew.
        if (!Files.exists(f)
            || key != null
                && !key.equals(Files.readAttributes(f, BasicFileAttributes.class).fileKey())) {
          l.release();
          ch.close();
          continue;
        }
        ch.truncate(0);
        ch.write(
            ByteBuffer.wrap(
                (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
            0);
        ch.force(false);
        return new RunLock(runDir, made, ch, l);
      }
    } catch (IOException e) {
      if (made) {
        AtomicFiles.deleteTree(runDir);
      }
      throw new UncheckedIOException("could not lock " + f + ": " + e, e);
    }
  }

  private static String holder(FileChannel ch) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(64);
    ch.read(b, 0);
    String pid = new String(b.array(), 0, b.position(), StandardCharsets.UTF_8).trim();
    return pid.isEmpty() ? "unknown" : pid;
  }

  @Override
  public void close() {
    try {
      // Removed while still held, so no other process can lock the old file after release.
      AtomicFiles.deleteQuietly(file);
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("could not release " + file + ": " + e, e);
    }
    if (madeDir) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isEmpty()) {
          Files.deleteIfExists(dir);
        }
      } catch (IOException ignored) {
        // The folder stays; an empty folder is harmless.
      }
    }
  }
}
