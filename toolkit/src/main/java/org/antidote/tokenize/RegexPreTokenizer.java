package org.antidote.tokenize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer given by a regex in the file ({@code Split}), as Llama 3 and OLMo 2 style
 * tokenizer.json files have it. Every match is a piece. Text between matches is a piece too with
 * behaviour {@code Isolated}, and is dropped with {@code Removed} + {@code invert} (the form OLMo 2
 * uses); the regexes in real files match every character, so for them the two agree. Slower than
 * {@link Gpt2PreTokenizer}, which is used whenever the regex is GPT-2's.
 */
final class RegexPreTokenizer implements PreTokenizer {

  private final String regex;
  private final boolean keepGaps;
  private final Pattern pattern;

  /**
   * @param keepGaps true for behaviour Isolated, false for Removed with invert
   * @throws java.util.regex.PatternSyntaxException if Java cannot compile the regex
   */
  RegexPreTokenizer(String regex, boolean keepGaps) {
    this.regex = regex;
    this.keepGaps = keepGaps;
    // Hugging Face's regex engine treats \s, \w and case-insensitivity as Unicode; so must we.
    this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
  }

  String regex() {
    return regex;
  }

  boolean keepsGaps() {
    return keepGaps;
  }

  @Override
  public void split(String text, int from, int to, Sink sink) {
    // Region bounds are opaque by default: lookaheads see the region's end as the text's end.
    Matcher m = pattern.matcher(text).region(from, to);
    int done = from;
    while (m.find()) {
      if (m.start() == m.end()) {
        continue;
      }
      if (m.start() > done && keepGaps) {
        sink.accept(text, done, m.start());
      }
      sink.accept(text, m.start(), m.end());
      done = m.end();
    }
    if (done < to && keepGaps) {
      sink.accept(text, done, to);
    }
  }
}
