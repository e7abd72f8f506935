package org.antidote.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.antidote.io.BadInputException;

/**
 * What every format reader shares: one corpus file's UTF-8 lines (gunzipped when the file is gzip),
 * the line number for messages, the count of skipped malformed lines, and the reading of labels,
 * which JSONL and CSV/TSV write alike.
 */
final class CorpusInput implements AutoCloseable {

  final Path file;
  final ReadOptions options;

  /** The source of documents that name none: {@link ReadOptions#source()}, else the file's stem. */
  final String defaultSource;

  private final Utf8Lines in;
  private long line;
  private long skipped;

  private CorpusInput(Path file, ReadOptions options, Utf8Lines in) {
    this.file = file;
    this.options = options;
    this.defaultSource = options.source() != null ? options.source() : stem(file);
    this.in = in;
  }

  /** Opens {@code file}; throws {@link BadInputException} if it is missing or unreadable. */
  static CorpusInput open(Path file, ReadOptions options) {
    if (Files.isDirectory(file)) {
      throw BadInputException.in(file, "is a folder; expected a corpus file");
    }
    try {
      InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
      raw.mark(2);
      int b1 = raw.read();
      int b2 = raw.read();
      raw.reset();
      InputStream bytes = b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(raw, 1 << 16) : raw;
      return new CorpusInput(file, options, new Utf8Lines(bytes));
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": could not be opened: " + e.getMessage(), e);
    }
  }

  /** The number of the line read last (1-based; 0 before the first). */
  long line() {
    return line;
  }

  /** How many malformed lines were skipped. */
  long skipped() {
    return skipped;
  }

  /** The next line, or null at the end of the file. */
  String readLine() {
    try {
      String l = in.readLine();
      if (l != null) {
        line++;
      }
      return l;
    } catch (CharacterCodingException e) {
      throw BadInputException.at(
          file,
          line + 1,
          "bytes that are not valid UTF-8; expected UTF-8 text"
              + " (convert with: iconv -f LATIN1 -t UTF-8)");
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** Up to {@code n} bytes from the start of what is left, without consuming them. */
  byte[] peek(int n) {
    try {
      return in.peek(n);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  /** True (and counted) when malformed lines are skipped rather than refused. */
  boolean skip() {
    if (options.skipMalformed()) {
      skipped++;
      return true;
    }
    return false;
  }

  /**
   * A JSON label: a boolean, a number against the threshold, or a word ({@link #label(String)}).
   */
  Integer label(JsonNode value) {
    if (value == null || value.isNull()) {
      return null;
    }
    if (!options.toxicLabels().isEmpty()) {
      return label(
          value.isNumber() && value.canConvertToLong() && value.asDouble() == value.asLong()
              ? Long.toString(value.asLong())
              : value.asText());
    }
    if (value.isBoolean()) {
      return value.asBoolean() ? Document.TOXIC : Document.CLEAN;
    }
    if (value.isNumber()) {
      return value.asDouble() > options.labelThreshold() ? Document.TOXIC : Document.CLEAN;
    }
    return label(value.asText());
  }

  /**
   * A label as text: one of the options' toxic values, a word (toxic, clean, true, ...) or a number
   * against the threshold; null when empty.
   */
  Integer label(String raw) {
    String v = raw.strip().toLowerCase(Locale.ROOT);
    if (v.isEmpty()) {
      return null;
    }
    if (!options.toxicLabels().isEmpty()) {
      return options.toxicLabels().contains(v) ? Document.TOXIC : Document.CLEAN;
    }
    switch (v) {
      case "toxic", "true", "yes", "offensive", "hate" -> {
        return Document.TOXIC;
      }
      case "clean", "false", "no", "non-toxic", "nontoxic", "benign", "neutral" -> {
        return Document.CLEAN;
      }
      default -> {
        try {
          return Double.parseDouble(v) > options.labelThreshold() ? Document.TOXIC : Document.CLEAN;
        } catch (NumberFormatException e) {
          throw BadInputException.at(
              file,
              line,
              "label '"
                  + raw
                  + "' in "
                  + options.labelField()
                  + " is not understood; expected a number (above "
                  + options.labelThreshold()
                  + " = toxic), true/false, or toxic/clean");
        }
      }
    }
  }

  private BadInputException unreadable(IOException e) {
    return new BadInputException(file + ": could not be read: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing a reader we only read from cannot lose data.
    }
  }

  private static String stem(Path file) {
    String name = file.getFileName().toString();
    for (String ext : new String[] {".gz", ".jsonl", ".ndjson", ".json", ".csv", ".tsv", ".txt"}) {
      if (name.toLowerCase(Locale.ROOT).endsWith(ext)) {
        name = name.substring(0, name.length() - ext.length());
      }
    }
    return name;
  }
}
