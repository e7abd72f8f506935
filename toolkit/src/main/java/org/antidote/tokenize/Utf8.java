package org.antidote.tokenize;

/**
 * UTF-8 encoding straight from a range of a string into an int array, with no intermediate {@code
 * byte[]}: the first step of encoding every word.
 */
final class Utf8 {

  private Utf8() {}

  /** The most bytes one UTF-16 char can need (a surrogate pair: 4 bytes for 2 chars). */
  static final int MAX_BYTES_PER_CHAR = 3;

  /**
   * Writes the UTF-8 bytes (0..255) of {@code text[start, end)} to {@code out} and returns how
   * many. An unpaired surrogate, which UTF-8 cannot express, becomes U+FFFD.
   */
  static int encode(String text, int start, int end, int[] out) {
    int n = 0;
    for (int i = start; i < end; i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        out[n++] = c;
      } else if (c < 0x800) {
        out[n++] = 0xC0 | (c >> 6);
        out[n++] = 0x80 | (c & 0x3F);
      } else if (!Character.isSurrogate(c)) {
        n = encode3(c, out, n);
      } else if (Character.isHighSurrogate(c)
          && i + 1 < end
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, text.charAt(++i));
        out[n++] = 0xF0 | (cp >> 18);
        out[n++] = 0x80 | ((cp >> 12) & 0x3F);
        out[n++] = 0x80 | ((cp >> 6) & 0x3F);
        out[n++] = 0x80 | (cp & 0x3F);
      } else {
        n = encode3('\uFFFD', out, n);
      }
    }
    return n;
  }

  private static int encode3(char c, int[] out, int n) {
    out[n] = 0xE0 | (c >> 12);
    out[n + 1] = 0x80 | ((c >> 6) & 0x3F);
    out[n + 2] = 0x80 | (c & 0x3F);
    return n + 3;
  }
}
