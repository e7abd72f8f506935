package org.antidote.tokenize;

import java.util.regex.Pattern;

/**
 * GPT-2's pre-tokenizer, hand-written: it gives exactly the pieces of {@link #REGEX} (with Unicode
 * {@code \s}, as Hugging Face's Oniguruma regex has it), several times faster than {@link
 * java.util.regex}. The regex, alternative by alternative, at each position:
 *
 * <ol>
 *   <li>an English contraction: {@code 's 't 're 've 'm 'll 'd} (lower case only);
 *   <li>an optional space and a run of letters ({@code \p{L}});
 *   <li>an optional space and a run of numbers ({@code \p{N}});
 *   <li>an optional space and a run of anything else that is not whitespace;
 *   <li>a run of whitespace not followed by a non-space, i.e. a run that ends the text, or
 *       otherwise the run minus its last character (which then prefixes the next word);
 *   <li>any run of whitespace.
 * </ol>
 *
 * <p>Character classes come from the JDK's Unicode tables (Unicode 13 on Java 17); letters added to
 * Unicode later count as "anything else" here, where a newer regex engine calls them letters.
 */
final class Gpt2PreTokenizer implements PreTokenizer {

  /** The regex this class implements, as it appears in GPT-2 and in tokenizer.json files. */
  static final String REGEX =
      "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";

  /** {@link #REGEX} compiled as Hugging Face runs it: {@code \s} is Unicode White_Space. */
  static final Pattern PATTERN = Pattern.compile(REGEX, Pattern.UNICODE_CHARACTER_CLASS);

  static final Gpt2PreTokenizer INSTANCE = new Gpt2PreTokenizer();

  private static final byte LETTER = 0;
  private static final byte NUMBER = 1;
  private static final byte SPACE = 2;
  private static final byte OTHER = 3;

  private static final byte[] ASCII_CLASS = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ASCII_CLASS[c] = OTHER;
    }
    for (int c = 'a'; c <= 'z'; c++) {
      ASCII_CLASS[c] = LETTER;
      ASCII_CLASS[c - 'a' + 'A'] = LETTER;
    }
    for (int c = '0'; c <= '9'; c++) {
      ASCII_CLASS[c] = NUMBER;
    }
    for (char c : new char[] {' ', '\t', '\n', 0x0B, '\f', '\r'}) {
      ASCII_CLASS[c] = SPACE;
    }
  }

  private Gpt2PreTokenizer() {}

  @Override
  public void split(String text, int from, int to, Sink sink) {
    for (int start = from; start < to; ) {
      int end = end(text, start, to);
      sink.accept(text, start, end);
      start = end;
    }
  }

  /** Where the piece that starts at {@code start} ends, if the text ended at {@code n}. */
  static int end(String text, int start, int n) {
    char c = text.charAt(start);
    if (c == '\'') { // alternative 1
      int contraction = contractionEnd(text, start, n);
      if (contraction > 0) {
        return contraction;
      }
    }
    if (c == ' ' && start + 1 < n) { // alternatives 2 to 4, with their optional space
      byte next = classAt(text, start + 1, n);
      if (next != SPACE) {
        return runEnd(text, start + 1, n, next);
      }
    }
    byte cls = classAt(text, start, n);
    if (cls != SPACE) { // alternatives 2 to 4, without
      return runEnd(text, start, n, cls);
    }
    // Alternatives 5 and 6.
    int runEnd = runEnd(text, start, n, SPACE);
    // All whitespace characters are in the BMP, so "one character" is one char here.
    if (runEnd == n || runEnd - start == 1) {
      return runEnd;
    }
    return runEnd - 1;
  }

  private static int contractionEnd(String text, int start, int n) {
    if (start + 1 >= n) {
      return -1;
    }
    char a = text.charAt(start + 1);
    if (a == 's' || a == 't' || a == 'm' || a == 'd') {
      return start + 2;
    }
    if (start + 2 >= n) {
      return -1;
    }
    char b = text.charAt(start + 2);
    if ((a == 'r' && b == 'e') || (a == 'v' && b == 'e') || (a == 'l' && b == 'l')) {
      return start + 3;
    }
    return -1;
  }

  private static int runEnd(String text, int from, int n, byte cls) {
    int i = from;
    while (i < n) {
      char c = text.charAt(i);
      if (c < 128) {
        if (ASCII_CLASS[c] != cls) {
          break;
        }
        i++;
      } else {
        int cp = codePointAt(text, i, n);
        if (classOf(cp) != cls) {
          break;
        }
        i += Character.charCount(cp);
      }
    }
    return i;
  }

  private static byte classAt(String text, int i, int n) {
    char c = text.charAt(i);
    return c < 128 ? ASCII_CLASS[c] : classOf(codePointAt(text, i, n));
  }

  /** Like {@link String#codePointAt}, but a surrogate pair must end before {@code n}. */
  private static int codePointAt(String text, int i, int n) {
    char c = text.charAt(i);
    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
      return Character.toCodePoint(c, text.charAt(i + 1));
    }
    return c;
  }

  private static byte classOf(int cp) {
    if (cp < 128) {
      return ASCII_CLASS[cp];
    }
    switch (Character.getType(cp)) {
      case Character.UPPERCASE_LETTER:
      case Character.LOWERCASE_LETTER:
      case Character.TITLECASE_LETTER:
      case Character.MODIFIER_LETTER:
      case Character.OTHER_LETTER:
        return LETTER;
      case Character.DECIMAL_DIGIT_NUMBER:
      case Character.LETTER_NUMBER:
      case Character.OTHER_NUMBER:
        return NUMBER;
      default:
        return isWhiteSpace(cp) ? SPACE : OTHER;
    }
  }

  /** Unicode's White_Space property above ASCII (what {@code \s} means in Unicode mode). */
  private static boolean isWhiteSpace(int cp) {
    return cp == 0x85
        || cp == 0xA0
        || cp == 0x1680
        || (cp >= 0x2000 && cp <= 0x200A)
        || cp == 0x2028
        || cp == 0x2029
        || cp == 0x202F
        || cp == 0x205F
        || cp == 0x3000;
  }
}
