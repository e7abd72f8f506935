package org.antidote.corpus;

import java.nio.file.Path;
import java.util.Locale;
import java.util.NoSuchElementException;
import org.antidote.corpus.ReadOptions.Format;
import org.antidote.io.BadInputException;

/**
 * Streams documents from one file in any supported format (see {@link ReadOptions.Format}),
 * gzip-compressed or not, one document at a time: {@link #open} picks the format's reader ({@code
 * TextReader}, {@code JsonlReader}, {@code DelimitedReader}) over one shared input. Input must be
 * UTF-8; anything wrong with the file (missing, unreadable, not UTF-8, a malformed line, a missing
 * field, no documents at all) raises a {@link BadInputException} naming the file and line.
 */
public final class DocumentReader implements DocumentStream {

  private final CorpusInput in;
  private final FormatReader reader;
  private long produced;
  private Document next;
  private boolean done;

  private DocumentReader(CorpusInput in, FormatReader reader) {
    this.in = in;
    this.reader = reader;
  }

  /** Opens {@code file} with default options. */
  public static DocumentReader open(Path file) {
    return open(file, ReadOptions.defaults());
  }

  /** Opens {@code file}; throws {@link BadInputException} if it is missing or unreadable. */
  public static DocumentReader open(Path file, ReadOptions options) {
    Format format = options.format() == Format.AUTO ? detect(file) : options.format();
    CorpusInput in = CorpusInput.open(file, options);
    try {
      FormatReader reader =
          switch (format) {
            case TEXT -> new TextReader(in);
            case JSONL -> new JsonlReader(in);
            case CSV -> new DelimitedReader(in, ',');
            case TSV -> new DelimitedReader(in, '\t');
            case AUTO -> throw new IllegalStateException("the format was resolved above");
          };
      return new DocumentReader(in, reader);
    } catch (RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** The format a file will be read as, by its extension (ignoring a trailing {@code .gz}). */
  public static Format detect(Path file) {
    String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".gz")) {
      name = name.substring(0, name.length() - 3);
    }
    if (name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json")) {
      return Format.JSONL;
    }
    if (name.endsWith(".csv")) {
      return Format.CSV;
    }
    if (name.endsWith(".tsv")) {
      return Format.TSV;
    }
    return Format.TEXT;
  }

  /** How many malformed lines were skipped (only with {@link ReadOptions#skipMalformed()}). */
  public long skipped() {
    return in.skipped();
  }

  /** How many documents were read so far. */
  public long documents() {
    return produced;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = reader.read();
      if (next == null) {
        done = true;
        if (produced == 0) {
          throw BadInputException.in(
              in.file,
              "holds no documents"
                  + (in.skipped() > 0
                      ? " (all " + in.skipped() + " lines were malformed and skipped)"
                      : "")
                  + "; expected "
                  + reader.expected());
        }
      }
    }
    return next != null;
  }

  @Override
  public Document next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Document d = next;
    next = null;
    produced++;
    return d;
  }

  @Override
  public void close() {
    in.close();
  }
}
