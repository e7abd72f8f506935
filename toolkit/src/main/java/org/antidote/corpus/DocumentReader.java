package org.antidote.corpus;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.zip.GZIPInputStream;
import org.antidote.corpus.ReadOptions.Format;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;

/**
 * Streams documents from one file in any supported format (see {@link ReadOptions.Format}),
 * gzip-compressed or not, one document at a time. Input must be UTF-8; anything wrong with the file
 * (missing, unreadable, not UTF-8, a malformed line, a missing field, no documents at all) raises a
 * {@link BadInputException} naming the file and line.
 */
public final class DocumentReader implements DocumentStream {

  /** How far into a text file to look for {@code %} separator lines. */
  private static final int SNIFF_CHARS = 1 << 16;

  private final Path file;
  private final ReadOptions options;
  private final Format format;
  private final String defaultSource;
  private final Utf8Lines in;
  private long line;
  private long produced;
  private long skipped;
  private Document next;
  private boolean done;
  // Text format: whether % lines (fortune files) rather than blank lines separate documents.
  private boolean percentSeparated;
  // CSV/TSV: the header's column positions.
  private int textColumn = -1;
  private int labelColumn = -1;
  private int categoryColumn = -1;
  private int columns;

  private DocumentReader(Path file, ReadOptions options) {
    this.file = file;
    this.options = options;
    this.format = options.format() == Format.AUTO ? detect(file) : options.format();
    this.defaultSource = options.source() != null ? options.source() : stem(file);
    this.in = openReader(file);
    try {
      if (format == Format.TEXT) {
        percentSeparated = sniffPercentLines();
      } else if (format == Format.CSV || format == Format.TSV) {
        readHeader();
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Opens {@code file} with default options. */
  public static DocumentReader open(Path file) {
    return open(file, ReadOptions.defaults());
  }

  /** Opens {@code file}; throws {@link BadInputException} if it is missing or unreadable. */
  public static DocumentReader open(Path file, ReadOptions options) {
    return new DocumentReader(file, options);
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
    return skipped;
  }

  /** How many documents were read so far. */
  public long documents() {
    return produced;
  }

  @Override
  public boolean hasNext() {
    if (next == null && !done) {
      next = readNext();
      if (next == null) {
        done = true;
        if (produced == 0) {
          throw BadInputException.in(
              file,
              "holds no documents"
                  + (skipped > 0 ? " (all " + skipped + " lines were malformed and skipped)" : "")
                  + "; expected "
                  + describeFormat());
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
    try {
      in.close();
    } catch (IOException ignored) {
      // Closing a reader we only read from cannot lose data.
    }
  }

  private Document readNext() {
    return switch (format) {
      case TEXT -> readText();
      case JSONL -> readJsonl();
      case CSV, TSV -> readDelimited();
      case AUTO -> throw new IllegalStateException("format was resolved in the constructor");
    };
  }

  // ---- plain text -------------------------------------------------------------------------

  private boolean sniffPercentLines() {
    try {
      byte[] head = in.peek(SNIFF_CHARS);
      for (String l : new String(head, StandardCharsets.ISO_8859_1).split("\n", -1)) {
        if (l.strip().equals("%")) {
          return true;
        }
      }
      return false;
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private Document readText() {
    StringBuilder doc = new StringBuilder();
    for (String l; (l = readLine()) != null; ) {
      boolean separator = percentSeparated ? l.strip().equals("%") : l.isBlank();
      if (separator) {
        if (!doc.toString().isBlank()) {
          return Document.of(doc.toString().strip(), defaultSource);
        }
        doc.setLength(0);
        continue;
      }
      if (doc.length() > 0) {
        doc.append('\n');
      }
      doc.append(l);
    }
    String last = doc.toString().strip();
    return last.isEmpty() ? null : Document.of(last, defaultSource);
  }

  // ---- JSONL --------------------------------------------------------------------------------

  private Document readJsonl() {
    for (String l; (l = readLine()) != null; ) {
      if (l.isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = Json.MAPPER.readTree(l);
      } catch (JsonProcessingException e) {
        if (skip()) {
          continue;
        }
        throw BadInputException.at(
            file,
            line,
            "malformed JSON ("
                + e.getOriginalMessage()
                + "); expected one JSON object per line. Use --skip-malformed to skip such lines.");
      }
      if (node == null || !node.isObject()) {
        if (skip()) {
          continue;
        }
        throw BadInputException.at(
            file,
            line,
            "expected a JSON object, found "
                + (node == null
                    ? "nothing"
                    : node.getNodeType().toString().toLowerCase(Locale.ROOT)));
      }
      JsonNode text = field(node, options.textField());
      if (text == null || !text.isTextual()) {
        if (skip()) {
          continue;
        }
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        throw BadInputException.at(
            file,
            line,
            (text == null ? "no" : "a non-string")
                + " \""
                + options.textField()
                + "\" field (fields present: "
                + names
                + "); choose the text field with --text-field");
      }
      JsonNode src = node.get("source");
      String source =
          options.source() == null && src != null && src.isTextual() ? src.asText() : defaultSource;
      Integer label =
          options.labelField() == null ? null : label(field(node, options.labelField()));
      JsonNode cat = options.categoryField() == null ? null : field(node, options.categoryField());
      String category = cat == null || cat.isNull() ? null : cat.asText();
      return new Document(text.asText(), source, label, category);
    }
    return null;
  }

  /**
   * A field by name, or by a dotted path into nested objects ({@code prompt.text}); null if absent.
   */
  private static JsonNode field(JsonNode node, String name) {
    JsonNode v = name.contains(".") ? node.at("/" + name.replace('.', '/')) : node.get(name);
    return v == null || v.isMissingNode() ? null : v;
  }

  private Integer label(JsonNode value) {
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

  private Integer label(String raw) {
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

  // ---- CSV / TSV ----------------------------------------------------------------------------

  private void readHeader() {
    List<String> header = readRecord();
    if (header == null) {
      throw BadInputException.in(file, "is empty; expected a header row naming the columns");
    }
    columns = header.size();
    for (int i = 0; i < header.size(); i++) {
      String h = header.get(i).strip();
      if (i == 0 && h.startsWith("\uFEFF")) {
        h = h.substring(1);
      }
      if (h.equals(options.textField())) {
        textColumn = i;
      } else if (h.equals(options.labelField())) {
        labelColumn = i;
      } else if (h.equals(options.categoryField())) {
        categoryColumn = i;
      }
    }
    if (textColumn < 0) {
      throw BadInputException.at(
          file,
          1,
          "no column named \""
              + options.textField()
              + "\" in the header "
              + header
              + "; choose the text column with --text-field");
    }
  }

  private Document readDelimited() {
    for (List<String> rec; (rec = readRecord()) != null; ) {
      if (rec.size() == 1 && rec.get(0).isBlank()) {
        continue;
      }
      if (rec.size() != columns) {
        if (skip()) {
          continue;
        }
        throw BadInputException.at(
            file,
            line,
            "expected "
                + columns
                + " columns as in the header, found "
                + rec.size()
                + ". Use --skip-malformed to skip such rows.");
      }
      Integer label = labelColumn < 0 ? null : label(rec.get(labelColumn));
      String category =
          categoryColumn < 0 || rec.get(categoryColumn).isBlank() ? null : rec.get(categoryColumn);
      return new Document(rec.get(textColumn), defaultSource, label, category);
    }
    return null;
  }

  /** One record, honouring double quotes (which may span lines); null at end of file. */
  private List<String> readRecord() {
    char delimiter = format == Format.TSV ? '\t' : ',';
    String first = readLine();
    if (first == null) {
      return null;
    }
    long startLine = line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    String current = first;
    int i = 0;
    boolean quoted = false;
    while (true) {
      if (i == current.length()) {
        if (!quoted) {
          fields.add(field.toString());
          return fields;
        }
        String more = readLine();
        if (more == null) {
          throw BadInputException.at(file, startLine, "a quoted field opened here is never closed");
        }
        field.append('\n');
        current = more;
        i = 0;
        continue;
      }
      char c = current.charAt(i++);
      if (quoted) {
        if (c == '"') {
          if (i < current.length() && current.charAt(i) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0) {
        quoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
  }

  // ---- shared -------------------------------------------------------------------------------

  private boolean skip() {
    if (options.skipMalformed()) {
      skipped++;
      return true;
    }
    return false;
  }

  private String readLine() {
    try {
      String l = in.readLine();
      if (l != null) {
        line++;
      }
      return l;
    } catch (CharacterCodingException e) {
      throw notUtf8(line + 1);
    } catch (IOException e) {
      throw unreadable(e);
    }
  }

  private BadInputException notUtf8(long atLine) {
    return BadInputException.at(
        file,
        atLine,
        "bytes that are not valid UTF-8; expected UTF-8 text"
            + " (convert with: iconv -f LATIN1 -t UTF-8)");
  }

  private BadInputException unreadable(IOException e) {
    return new BadInputException(file + ": could not be read: " + e.getMessage(), e);
  }

  private String describeFormat() {
    return switch (format) {
      case TEXT -> "plain text with documents separated by blank lines or % lines";
      case JSONL -> "JSON objects, one per line, with a \"" + options.textField() + "\" field";
      case CSV, TSV -> "rows with a \"" + options.textField() + "\" column";
      case AUTO -> "a supported format";
    };
  }

  private static Utf8Lines openReader(Path file) {
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
      return new Utf8Lines(bytes);
    } catch (NoSuchFileException e) {
      throw new BadInputException(file + ": no such file", e);
    } catch (IOException e) {
      throw new BadInputException(file + ": could not be opened: " + e.getMessage(), e);
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
