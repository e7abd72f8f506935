package org.antidote.tokenize;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pre-tokenizer given by a regex in the file, as Llama 3 / OLMo 2 style tokenizer.json files
 * have it ({@code Split} with behaviour {@code Isolated}): every match is a piece, and so is any
 * stretch of text between matches. Slower than {@link Gpt2PreTokenizer}, which is used whenever
 * the regex is GPT-2's.
 */
final class RegexPreTokenizer implements PreTokenizer {

  private final String regex;
  private final Pattern pattern;

  RegexPreTokenizer(String regex) {
    this.regex = regex;
    // Hugging Face's regex engine treats \s, \w and case-insensitivity as Unicode; so must we.
    this.pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
  }

  String regex() {
    return regex;
  }

  @Override
  public void split(String text, Sink sink) {
    Matcher m = pattern.matcher(text);
    int done = 0;
    while (m.find()) {
      if (m.start() == m.end()) {
        continue;
      }
      if (m.start() > done) {
        sink.accept(text, done, m.start());
      }
      sink.accept(text, m.start(), m.end());
      done = m.end();
    }
    if (done < text.length()) {
      sink.accept(text, done, text.length());
    }
  }
}
