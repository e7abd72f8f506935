package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The incremental trainer must learn exactly what the textbook algorithm learns. */
class BpeTrainerTest {

  /**
   * Textbook BPE: recount every pair of every word before each merge. Same rules as the real
   * trainer: most frequent pair first, the smaller (left, right) on a tie, never a merge that
   * spells a special token, a token spelt twice keeps its first id, a pair merged twice is one
   * rule.
   */
  private static BpeTokenizer naive(List<String> texts, BpeTrainerConfig config) {
    Map<String, Long> wordCounts = new HashMap<>();
    for (String text : texts) {
      Gpt2PreTokenizer.INSTANCE.split(
          text, (t, start, end) -> wordCounts.merge(t.substring(start, end), 1L, Long::sum));
    }
    List<List<Integer>> words = new ArrayList<>();
    List<Long> counts = new ArrayList<>();
    wordCounts.forEach(
        (word, count) -> {
          List<Integer> symbols = new ArrayList<>();
          for (byte b : word.getBytes(StandardCharsets.UTF_8)) {
            symbols.add(b & 0xFF);
          }
          words.add(symbols);
          counts.add(count);
        });
    List<String> vocab = new ArrayList<>();
    for (int b = 0; b < 256; b++) {
      vocab.add(String.valueOf(ByteLevel.charOf(b)));
    }
    vocab.addAll(config.specialTokens());
    List<Integer> lefts = new ArrayList<>();
    List<Integer> rights = new ArrayList<>();
    while (vocab.size() < config.vocabSize()) {
      // Keyed (left, right) in order, so the first maximum found is the smallest pair.
      TreeMap<Long, Long> pairs = new TreeMap<>();
      for (int w = 0; w < words.size(); w++) {
        List<Integer> s = words.get(w);
        for (int i = 0; i + 1 < s.size(); i++) {
          pairs.merge(((long) s.get(i) << 32) | s.get(i + 1), counts.get(w), Long::sum);
        }
      }
      long bestKey = -1;
      long bestCount = 0;
      for (var pair : pairs.entrySet()) {
        int left = (int) (pair.getKey() >>> 32);
        int right = (int) (long) pair.getKey();
        boolean special = config.specialTokens().contains(vocab.get(left) + vocab.get(right));
        if (pair.getValue() > bestCount && !special) {
          bestKey = pair.getKey();
          bestCount = pair.getValue();
        }
      }
      if (bestKey < 0 || bestCount < config.minPairFrequency()) {
        break;
      }
      int left = (int) (bestKey >>> 32);
      int right = (int) bestKey;
      String name = vocab.get(left) + vocab.get(right);
      int merged = vocab.indexOf(name);
      if (merged < 0) {
        merged = vocab.size();
        vocab.add(name);
      }
      boolean learnt = false;
      for (int i = 0; i < lefts.size(); i++) {
        learnt |= lefts.get(i) == left && rights.get(i) == right;
      }
      if (!learnt) {
        lefts.add(left);
        rights.add(right);
      }
      for (List<Integer> s : words) {
        for (int i = 0; i + 1 < s.size(); i++) {
          if (s.get(i) == left && s.get(i + 1) == right) {
            s.set(i, merged);
            s.remove(i + 1);
          }
        }
      }
    }
    List<AddedToken> added = new ArrayList<>();
    for (String special : config.specialTokens()) {
      added.add(new AddedToken(vocab.indexOf(special), special, true, false));
    }
    return new BpeTokenizer(
        vocab.toArray(new String[0]),
        lefts.stream().mapToInt(Integer::intValue).toArray(),
        rights.stream().mapToInt(Integer::intValue).toArray(),
        added,
        Normalization.NONE,
        Gpt2PreTokenizer.INSTANCE,
        false);
  }

  private static void assertSameAsNaive(List<String> texts, BpeTrainerConfig config) {
    BpeTokenizer expected = naive(texts, config);
    BpeTokenizer actual = BpeTokenizer.train(texts.iterator(), config);
    assertArrayEquals(expected.modelVocab(), actual.modelVocab());
    assertArrayEquals(expected.mergeLeft(), actual.mergeLeft());
    assertArrayEquals(expected.mergeRight(), actual.mergeRight());
    assertEquals(expected.id(), actual.id());
  }

  @Test
  void learnsWhatTheTextbookAlgorithmLearnsOnEnglish() {
    assertSameAsNaive(BpeFixtures.trainingTexts(), BpeTrainerConfig.of(450));
  }

  @Test
  void learnsWhatTheTextbookAlgorithmLearnsOnVariedText() {
    List<String> texts = new ArrayList<>(BpeFixtures.VARIED);
    texts.addAll(BpeFixtures.VARIED); // everything twice, so that most pairs can merge
    texts.add("aaaaaaa bbbbbb aaaa ## ## ##");
    assertSameAsNaive(texts, new BpeTrainerConfig(700, 2, List.of("<|endoftext|>", "##")));
    assertSameAsNaive(texts, new BpeTrainerConfig(700, 1, List.of()));
  }
}
