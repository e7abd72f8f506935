package org.antidote.corpus;

import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * How to read a corpus file. The defaults read Antidote's own JSONL, C4 and Hugging Face exports
 * ({@code "text"} field), ToxiGen / Jigsaw style CSV when told the column names, and plain text.
 *
 * @param format file format; {@link Format#AUTO} decides by extension (after {@code .gz})
 * @param textField JSONL field or CSV/TSV column holding the text
 * @param labelField field or column holding the label, or null for none; read if present
 * @param categoryField field or column holding a category, or null for none; read if present
 * @param source source name given to documents that do not carry one; null means the file name
 * @param labelThreshold a numeric label above this is toxic (1), at or below it clean (0)
 * @param skipMalformed skip malformed lines and count them instead of stopping at the first one
 * @param toxicLabels when not empty, the label values (as written, case ignored) that mean toxic;
 *     every other value is clean: names ({@code hateful}) or classes ({@code 0,1} for Davidson's)
 */
public record ReadOptions(
    Format format,
    String textField,
    String labelField,
    String categoryField,
    String source,
    double labelThreshold,
    boolean skipMalformed,
    List<String> toxicLabels) {

  /** File formats the readers understand. */
  public enum Format {
    /** Decide by the file's extension: .jsonl/.ndjson/.json, .csv, .tsv, anything else text. */
    AUTO,
    /** Plain text: documents separated by lines holding only {@code %}, else by blank lines. */
    TEXT,
    /** One JSON object per line. */
    JSONL,
    /** Comma-separated values with a header row (RFC 4180 quoting). */
    CSV,
    /** Tab-separated values with a header row. */
    TSV
  }

  public ReadOptions {
    if (format == null) {
      format = Format.AUTO;
    }
    if (textField == null || textField.isBlank()) {
      throw new BadInputException("textField must name a field or column, got '" + textField + "'");
    }
    toxicLabels =
        toxicLabels == null
            ? List.of()
            : toxicLabels.stream()
                .map(v -> v.strip().toLowerCase(Locale.ROOT))
                .filter(v -> !v.isEmpty())
                .toList();
    Check.input(
        Double.isFinite(labelThreshold),
        "labelThreshold must be a finite number, got " + labelThreshold);
  }

  /** Defaults: auto format, field {@code text}, labels from {@code label}, threshold 0.5. */
  public static ReadOptions defaults() {
    return new ReadOptions(Format.AUTO, "text", "label", "category", null, 0.5, false, List.of());
  }

  /** The same options with another text field or column. */
  public ReadOptions withTextField(String field) {
    return new ReadOptions(
        format,
        field,
        labelField,
        categoryField,
        source,
        labelThreshold,
        skipMalformed,
        toxicLabels);
  }

  /** The same options with another label field or column. */
  public ReadOptions withLabelField(String field) {
    return new ReadOptions(
        format,
        textField,
        field,
        categoryField,
        source,
        labelThreshold,
        skipMalformed,
        toxicLabels);
  }

  /** The same options with a fixed source name. */
  public ReadOptions withSource(String name) {
    return new ReadOptions(
        format,
        textField,
        labelField,
        categoryField,
        name,
        labelThreshold,
        skipMalformed,
        toxicLabels);
  }

  /** The same options with a format forced. */
  public ReadOptions withFormat(Format f) {
    return new ReadOptions(
        f,
        textField,
        labelField,
        categoryField,
        source,
        labelThreshold,
        skipMalformed,
        toxicLabels);
  }

  /** The same options with another threshold for numeric labels. */
  public ReadOptions withLabelThreshold(double threshold) {
    return new ReadOptions(
        format,
        textField,
        labelField,
        categoryField,
        source,
        threshold,
        skipMalformed,
        toxicLabels);
  }

  /** The same options with the label values that mean toxic (empty: read labels as before). */
  public ReadOptions withToxicLabels(List<String> values) {
    return new ReadOptions(
        format,
        textField,
        labelField,
        categoryField,
        source,
        labelThreshold,
        skipMalformed,
        values);
  }

  /** The same options, skipping (and counting) malformed lines instead of failing. */
  public ReadOptions skippingMalformed(boolean skip) {
    return new ReadOptions(
        format, textField, labelField, categoryField, source, labelThreshold, skip, toxicLabels);
  }
}
