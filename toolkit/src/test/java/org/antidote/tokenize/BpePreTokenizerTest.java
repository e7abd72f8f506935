package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

/** The hand-written GPT-2 pre-tokenizer must split exactly where the regex does. */
class BpePreTokenizerTest {

  private static List<String> byRegex(String text) {
    List<String> pieces = new ArrayList<>();
    Matcher m = Gpt2PreTokenizer.PATTERN.matcher(text);
    int done = 0;
    while (m.find()) {
      // The regex matches every character, so nothing may fall between two matches.
      assertEquals(done, m.start(), () -> "gap before " + m.start() + " in " + escape(text));
      pieces.add(m.group());
      done = m.end();
    }
    assertEquals(text.length(), done);
    return pieces;
  }

  private static List<String> split(PreTokenizer preTokenizer, String text) {
    List<String> pieces = new ArrayList<>();
    preTokenizer.split(text, (t, start, end) -> pieces.add(t.substring(start, end)));
    return pieces;
  }

  @Test
  void knownSplits() {
    assertEquals(
        List.of("Hello", ",", " world", "!"), split(Gpt2PreTokenizer.INSTANCE, "Hello, world!"));
    assertEquals(
        List.of("I", "'m", " sure", " it", "'s", " John", "'", "S", " rock", "'", "n", "'", "roll"),
        split(Gpt2PreTokenizer.INSTANCE, "I'm sure it's John'S rock'n'roll"));
    // Contractions are lower case only, so "'S" is punctuation then a word.
    // A run of spaces gives all but its last space to itself; the last one starts the next word.
    assertEquals(
        List.of("a", "   ", " b", "\n", "c", "  "),
        split(Gpt2PreTokenizer.INSTANCE, "a    b\nc  "));
    assertEquals(List.of("x", " \t ", "\n", "y"), split(Gpt2PreTokenizer.INSTANCE, "x \t \ny"));
    assertEquals(
        List.of(" 123", "abc", " ...?!", " \u00A0", "\u00A0", "z"),
        split(Gpt2PreTokenizer.INSTANCE, " 123abc ...?! \u00A0\u00A0z"));
  }

  @Test
  void agreesWithTheRegexOnTheFixtures() {
    for (String text : BpeFixtures.VARIED) {
      assertEquals(byRegex(text), split(Gpt2PreTokenizer.INSTANCE, text), () -> escape(text));
    }
    for (String text : BpeFixtures.trainingTexts()) {
      assertEquals(byRegex(text), split(Gpt2PreTokenizer.INSTANCE, text));
    }
  }

  /** Random strings over characters chosen to hit every branch and boundary of the regex. */
  @Test
  void agreesWithTheRegexOnRandomText() {
    String[] pool = {
      " ", " ", " ", "  ", "\t", "\n", "\r\n", "\u000B", "\f", "\u0085", "\u00A0", "\u2003",
      "\u3000", "\u2028", "\u001C", "\u200B", "'", "'", "s", "t", "re", "ve", "m", "ll", "d", "S",
      "a", "Z", "é", "ß", "Ω", "ж", "字", "ｱ", "ª", "ʰ", "\u0301", "\u0903", "1", "9", "½", "Ⅻ", "٣",
      "²", ".", ",", "-", "!", "\"", "$", "€", "😀", "👍🏽", "𝔸", "𝟙", "\uD800", "\uDC00",
      "\u0000", "\u007F", "_", "~", "ǅ"
    };
    Random random = new Random(7);
    for (int trial = 0; trial < 20_000; trial++) {
      StringBuilder text = new StringBuilder();
      int parts = random.nextInt(12);
      for (int i = 0; i < parts; i++) {
        text.append(pool[random.nextInt(pool.length)]);
      }
      String s = text.toString();
      assertEquals(byRegex(s), split(Gpt2PreTokenizer.INSTANCE, s), () -> escape(s));
    }
  }

  @Test
  void theRegexFallbackSplitsLikeTheHandWrittenOne() {
    PreTokenizer regex = new RegexPreTokenizer(Gpt2PreTokenizer.REGEX, true);
    for (String text : BpeFixtures.VARIED) {
      assertEquals(split(Gpt2PreTokenizer.INSTANCE, text), split(regex, text), () -> escape(text));
    }
  }

  @Test
  void regexFallbackKeepsOrDropsTextBetweenMatches() {
    PreTokenizer isolated = new RegexPreTokenizer("\\d+", true);
    assertEquals(List.of("ab", "12", "c", "3"), split(isolated, "ab12c3"));
    assertEquals(List.of(), split(isolated, ""));
    PreTokenizer removedInverted = new RegexPreTokenizer("\\d+", false);
    assertEquals(List.of("12", "3"), split(removedInverted, "ab12c3"));
  }

  @Test
  void aRangeIsSplitAsIfItWereTheWholeText() {
    // "a  " ends the range: its spaces are a final run, not the prefix of the next word.
    String text = "xx a  b yy";
    for (PreTokenizer p :
        List.of(Gpt2PreTokenizer.INSTANCE, new RegexPreTokenizer(Gpt2PreTokenizer.REGEX, true))) {
      List<String> pieces = new ArrayList<>();
      p.split(text, 2, 6, (t, start, end) -> pieces.add(t.substring(start, end)));
      assertEquals(byRegex(" a  "), pieces);
      assertEquals(List.of(" a", "  "), pieces);
    }
  }

  static String escape(String text) {
    StringBuilder out = new StringBuilder();
    text.codePoints()
        .forEach(
            cp ->
                out.append(
                    cp >= 0x20 && cp < 0x7F
                        ? Character.toString(cp)
                        : String.format("\\u{%X}", cp)));
    return out.toString();
  }
}
