package org.antidote.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.compress.archivers.ar.ArArchiveEntry;
import org.apache.commons.compress.archivers.ar.ArArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.CompressorException;
import org.apache.commons.compress.compressors.CompressorStreamFactory;

/**
 * Reads the regular files inside the archives registries serve: npm tarballs and Debian source
 * archives ({@code .tar.gz}), and Debian binary packages ({@code .deb}: an ar archive around a
 * compressed {@code data.tar}). In Java, so fetching needs no tar or dpkg on the machine.
 */
public final class Archives {

  private Archives() {}

  /** Receives each regular file: its path inside the archive and its bytes. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(String path, byte[] bytes) throws IOException;
  }

  /** Visits every regular file of a {@code .tgz}/{@code .tar.gz} or {@code .deb}. */
  public static void forEachFile(Path archive, EntryVisitor visitor) {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(archive))) {
      if (archive.getFileName().toString().endsWith(".deb")) {
        readDeb(in, visitor);
      } else {
        readTar(decompress(in), visitor);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not read the archive " + archive + ": " + e.getMessage(), e);
    }
  }

  /**
   * The bytes of the regular file at {@code path} inside the archive; a package without it is a
   * broken pin.
   */
  public static byte[] file(Path archive, String path) {
    byte[][] found = new byte[1][];
    forEachFile(
        archive,
        (p, bytes) -> {
          if (p.equals(path)) {
            found[0] = bytes;
          }
        });
    Check.state(found[0] != null, archive + " has no " + path);
    return found[0];
  }

  private static void readDeb(InputStream in, EntryVisitor visitor) throws IOException {
    ArArchiveInputStream ar = new ArArchiveInputStream(in);
    for (ArArchiveEntry e; (e = ar.getNextEntry()) != null; ) {
      if (e.getName().startsWith("data.tar")) {
        readTar(decompress(new BufferedInputStream(ar)), visitor);
        return;
      }
    }
    throw new IOException("no data.tar member: not a Debian binary package");
  }

  private static void readTar(InputStream in, EntryVisitor visitor) throws IOException {
    TarArchiveInputStream tar = new TarArchiveInputStream(in);
    for (TarArchiveEntry e; (e = tar.getNextEntry()) != null; ) {
      if (e.isFile()) {
        visitor.visit(e.getName(), tar.readAllBytes());
      }
    }
  }

  private static InputStream decompress(InputStream in) throws IOException {
    try {
      return new CompressorStreamFactory().createCompressorInputStream(in);
    } catch (CompressorException e) {
      throw new IOException("unknown compression: " + e.getMessage(), e);
    }
  }
}
