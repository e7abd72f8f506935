package org.antidote.corpus;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Json;

/**
 * Writes documents as JSONL to a temporary file that becomes {@code target} only on {@link
 * #commit()}; closing without committing throws the partial file away. So a reader never sees half
 * a corpus, even after a crash.
 */
public final class DocumentWriter implements AutoCloseable {

  private final Path target;
  private final Path tmp;
  private final OutputStream raw;
  private final Writer out;
  private long documents;
  private long chars;
  private boolean committed;

  private DocumentWriter(Path target) {
    this.target = target;
    this.tmp = AtomicFiles.temporarySibling(target);
    try {
      this.raw = Files.newOutputStream(tmp);
      this.out = new BufferedWriter(new OutputStreamWriter(raw, StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      AtomicFiles.deleteQuietly(tmp);
      throw new UncheckedIOException("could not open " + tmp + " for writing", e);
    }
  }

  /** Starts writing {@code target} (created on commit). */
  public static DocumentWriter create(Path target) {
    return new DocumentWriter(target);
  }

  /** Appends one document as one line. */
  public void write(Document d) {
    writeLine(Json.line(d));
    chars += d.text().length();
  }

  /** Appends one already-serialised JSON line (must hold no newline). */
  public void writeLine(String jsonLine) {
    try {
      out.write(jsonLine);
      out.write('\n');
      documents++;
    } catch (IOException e) {
      throw AtomicFiles.writeFailure(target, e);
    }
  }

  /** Documents written so far. */
  public long documents() {
    return documents;
  }

  /** Characters of text written so far (through {@link #write(Document)}). */
  public long chars() {
    return chars;
  }

  /** Finishes the file and renames it into place. */
  public void commit() {
    try {
      out.close();
      AtomicFiles.commit(tmp, target);
      committed = true;
    } catch (IOException e) {
      closeRaw();
      throw AtomicFiles.writeFailure(target, e);
    }
  }

  /**
   * Closes the file itself: when the last bytes cannot be written (a full disk), the JDK's writer
   * throws from close() without closing the stream under it, and the open file would keep the
   * disk's space (and a mount) busy for as long as the process lives.
   */
  private void closeRaw() {
    try {
      raw.close();
    } catch (IOException ignored) {
      // Already failing; the temporary file is deleted next.
    }
  }

  @Override
  public void close() {
    if (!committed) {
      try {
        out.close();
      } catch (IOException ignored) {
        // The partial file is deleted next; nothing of value is lost.
      }
      closeRaw();
      AtomicFiles.deleteQuietly(tmp);
    }
  }
}
