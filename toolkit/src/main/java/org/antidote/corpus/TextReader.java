package org.antidote.corpus;

import java.nio.charset.StandardCharsets;

/**
 * Plain text: documents separated by blank lines, or, in fortune(6) files, by lines holding only
 * {@code %} (then blank lines inside an entry are kept). Which one is decided from the start of the
 * file.
 */
final class TextReader implements FormatReader {

  /** How far into a text file to look for {@code %} separator lines. */
  private static final int SNIFF_CHARS = 1 << 16;

  private final CorpusInput in;
  private final boolean percentSeparated;

  TextReader(CorpusInput in) {
    this.in = in;
    this.percentSeparated = hasPercentLine(in.peek(SNIFF_CHARS));
  }

  private static boolean hasPercentLine(byte[] head) {
    for (String l : new String(head, StandardCharsets.ISO_8859_1).split("\n", -1)) {
      if (l.strip().equals("%")) {
        return true;
      }
    }
    return false;
  }

  @Override
  public Document read() {
    StringBuilder doc = new StringBuilder();
    for (String l; (l = in.readLine()) != null; ) {
      boolean separator = percentSeparated ? l.strip().equals("%") : l.isBlank();
      if (separator) {
        if (!doc.toString().isBlank()) {
          return Document.of(doc.toString().strip(), in.defaultSource);
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
    return last.isEmpty() ? null : Document.of(last, in.defaultSource);
  }

  @Override
  public String expected() {
    return "plain text with documents separated by blank lines or % lines";
  }
}
