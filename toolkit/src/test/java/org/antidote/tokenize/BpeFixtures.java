package org.antidote.tokenize;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** English text written for these tests, and a tokenizer trained on it once per test run. */
final class BpeFixtures {

  private BpeFixtures() {}

  /** Original prose, in the plain style of an old almanac. */
  static final String PROSE =
      """
      The river town woke early in the dry months. Before the sun had cleared the eastern \
      hills, the baker had already drawn his first loaves from the oven, and the smell of warm \
      bread drifted down the narrow street toward the water. Fishermen untied their boats in \
      silence, for it was thought unlucky to speak before the nets were wet.

      By the middle of the morning the market square was crowded. Farmers brought eggs, cheese \
      and onions in wide baskets; a tinker mended kettles beside the well; and the children, \
      who ought to have been at their lessons, ran between the stalls shouting the prices they \
      had heard. Nobody minded them much. The schoolmaster himself was known to buy apples there \
      when he thought no one was looking.

      In the afternoon the heat settled over everything like a heavy blanket. Shops were shut, \
      dogs slept in the shade of the church wall, and even the river seemed to move more slowly. \
      Old men sat on the bench by the bridge and argued about the weather, the price of grain, \
      and whether the new mayor would last the year. They had argued about the same things for \
      forty years, and they did not expect to settle them now.

      When evening came, the lamps were lit one by one along the quay. Music could be heard from \
      the inn, where travellers who had come up the valley road exchanged news with the people \
      of the town. It wasn't grand news, as a rule: a bridge washed out, a wedding, a horse sold \
      for twice what it was worth. But they'd listen to every word, and they'll repeat it all \
      tomorrow, a little improved, to anyone who will stand still long enough to hear it.
      """;

  private static final String[] SUBJECTS = {
    "the miller",
    "a young teacher",
    "the old captain",
    "my neighbour",
    "the doctor's wife",
    "a travelling merchant",
    "the blacksmith",
    "our cousin from the city",
    "the ferryman",
    "a quiet student",
    "the shepherd",
    "the clerk at the post office",
    "a stranger"
  };
  private static final String[] VERBS = {
    "walked along",
    "looked across",
    "wrote a letter about",
    "spoke quietly of",
    "remembered",
    "painted",
    "carried water to",
    "forgot about",
    "dreamed of",
    "repaired",
    "visited",
    "counted the sheep near",
    "sang a song about",
    "complained about",
    "measured"
  };
  private static final String[] OBJECTS = {
    "the harbour",
    "the northern road",
    "an empty barn",
    "the orchard behind the mill",
    "the long winter",
    "a broken wheel",
    "the church tower",
    "the market",
    "the mountains",
    "a field of barley",
    "the lighthouse",
    "the schoolhouse",
    "the storm of 1887"
  };
  private static final String[] ENDINGS = {
    ".",
    ".",
    ".",
    "!",
    "?",
    ", and nobody knew why.",
    " before supper.",
    " in the rain.",
    ", though it was late.",
    " while the bells were ringing.",
    " for the third time that week."
  };

  /** {@code paragraphs} paragraphs of seeded, grammatical, repetitive English sentences. */
  static List<String> generatedEnglish(int paragraphs, long seed) {
    Random random = new Random(seed);
    List<String> texts = new ArrayList<>();
    for (int p = 0; p < paragraphs; p++) {
      StringBuilder text = new StringBuilder();
      int sentences = 3 + random.nextInt(6);
      for (int s = 0; s < sentences; s++) {
        String subject = pick(random, SUBJECTS);
        text.append(Character.toUpperCase(subject.charAt(0)))
            .append(subject.substring(1))
            .append(' ')
            .append(pick(random, VERBS))
            .append(' ')
            .append(pick(random, OBJECTS))
            .append(pick(random, ENDINGS))
            .append(s + 1 < sentences ? " " : "\n");
      }
      texts.add(text.toString());
    }
    return texts;
  }

  private static String pick(Random random, String[] words) {
    return words[random.nextInt(words.length)];
  }

  /** The training texts of {@link #tokenizer()}: the prose and 400 generated paragraphs. */
  static List<String> trainingTexts() {
    List<String> texts = new ArrayList<>(List.of(PROSE.split("\n\n")));
    texts.addAll(generatedEnglish(400, 42));
    return texts;
  }

  static final BpeTrainerConfig CONFIG = BpeTrainerConfig.of(600);

  private static BpeTokenizer trained;

  /** A 600-token vocabulary trained on {@link #trainingTexts()}, shared by the tests. */
  static synchronized BpeTokenizer tokenizer() {
    if (trained == null) {
      trained = BpeTokenizer.train(trainingTexts().iterator(), CONFIG);
    }
    return trained;
  }

  /** Short texts that between them exercise every kind of character. */
  static final List<String> VARIED =
      List.of(
          "",
          " ",
          "Hello, world!",
          "  leading spaces and trailing spaces   ",
          "Tabs\tand\nnewlines\r\n\r\nand   runs    of\u00A0non-breaking\u3000spaces",
          "It's John's; they'll say we'd've done it, but I'm sure you're RIGHT'S wrong.",
          "Numbers: 3.14159, 1,000,000 and ½ and Ⅻ and ٣٤٥ and 2024-06-01T12:00Z",
          "Emoji 🙂👍🏽 and family 👨‍👩‍👧 and flags 🇫🇷🇯🇵",
          "日本語のテキストと中文文本，还有한국어 문장도 있습니다。",
          "Combining marks: e\u0301 a\u0308 n\u0303 and Zalgo h\u0336\u0337\u0338e\u0335",
          "Arabic العربية and Hebrew עברית and Devanagari हिन्दी and Thai ภาษาไทย",
          "Control chars \u0000\u0001\u0007\u001B[0m\u007F\u0085 end",
          "Code: for (int i = 0; i < n; i++) { sum += a[i] * b[i]; } // done",
          "<|endoftext|> looks special but is plain text here",
          "Mixed\u2028line\u2029separators and zero\u200Bwidth\uFEFFspaces",
          "a".repeat(300) + " " + "-".repeat(200) + " " + "漢".repeat(150));
}
