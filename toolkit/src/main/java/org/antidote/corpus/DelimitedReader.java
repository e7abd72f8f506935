package org.antidote.corpus;

import java.util.ArrayList;
import java.util.List;
import org.antidote.io.BadInputException;

/**
 * CSV or TSV with a header row naming the columns; double quotes may hold delimiters, doubled
 * quotes and line breaks. The text, label and category columns are the ones the options name.
 */
final class DelimitedReader implements FormatReader {

  private final CorpusInput in;
  private final ReadOptions options;
  private final char delimiter;
  private int textColumn = -1;
  private int labelColumn = -1;
  private int categoryColumn = -1;
  private final int columns;

  /** Reads the header; a file without one, or without the text column, is refused. */
  DelimitedReader(CorpusInput in, char delimiter) {
    this.in = in;
    this.options = in.options;
    this.delimiter = delimiter;
    List<String> header = readRecord();
    if (header == null) {
      throw BadInputException.in(in.file, "is empty; expected a header row naming the columns");
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
          in.file,
          1,
          "no column named \""
              + options.textField()
              + "\" in the header "
              + header
              + "; choose the text column with --text-field");
    }
  }

  @Override
  public Document read() {
    for (List<String> rec; (rec = readRecord()) != null; ) {
      if (rec.size() == 1 && rec.get(0).isBlank()) {
        continue;
      }
      if (rec.size() != columns) {
        if (in.skip()) {
          continue;
        }
        throw BadInputException.at(
            in.file,
            in.line(),
            "expected "
                + columns
                + " columns as in the header, found "
                + rec.size()
                + ". Use --skip-malformed to skip such rows.");
      }
      Integer label = labelColumn < 0 ? null : in.label(rec.get(labelColumn));
      String category =
          categoryColumn < 0 || rec.get(categoryColumn).isBlank() ? null : rec.get(categoryColumn);
      return new Document(rec.get(textColumn), in.defaultSource, label, category);
    }
    return null;
  }

  /** One record, honouring double quotes (which may span lines); null at end of file. */
  private List<String> readRecord() {
    String first = in.readLine();
    if (first == null) {
      return null;
    }
    long startLine = in.line();
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
        String more = in.readLine();
        if (more == null) {
          throw BadInputException.at(
              in.file, startLine, "a quoted field opened here is never closed");
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

  @Override
  public String expected() {
    return "rows with a \"" + options.textField() + "\" column";
  }
}
