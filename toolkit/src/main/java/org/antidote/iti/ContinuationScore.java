package org.antidote.iti;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;
import org.antidote.io.BadInputException;
import org.antidote.model.Hooks;
import org.antidote.model.TokenBatches;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;

/**
 * How much a model expects held-out continuations: the mean log-probability per token of the second
 * half of each text given its first half. On toxic texts, a detoxifying intervention should lower
 * it; on clean texts it should barely move (a stand-in for the evaluation stage's toxicity and
 * capability metrics).
 */
public final class ContinuationScore {

  private ContinuationScore() {}

  /**
   * Mean log-probability per continuation token over {@code texts} (texts under 4 tokens are
   * skipped).
   */
  public static double meanLogProb(
      Transformer model, BpeTokenizer tokenizer, List<String> texts, Hooks hooks) {
    return score(model, Map.of(0, sequences(model, tokenizer, texts)), from -> hooks);
  }

  /**
   * As {@link #meanLogProb(Transformer, BpeTokenizer, List, Hooks)}, with hooks that depend on the
   * position of each text's last prompt token (len / 2 - 1): texts are scored in groups sharing it,
   * so an intervention can shift only the positions a generation would.
   */
  public static double meanLogProb(
      Transformer model,
      BpeTokenizer tokenizer,
      List<String> texts,
      IntFunction<Hooks> hooksFromLastPromptToken) {
    Map<Integer, List<int[]>> byStart = new TreeMap<>();
    sequences(model, tokenizer, texts)
        .forEach(
            ids -> byStart.computeIfAbsent(ids.length / 2 - 1, k -> new ArrayList<>()).add(ids));
    return score(model, byStart, hooksFromLastPromptToken);
  }

  private static List<int[]> sequences(
      Transformer model, BpeTokenizer tokenizer, List<String> texts) {
    int max = model.config().context();
    List<int[]> sequences =
        texts.stream()
            .map(
                t -> {
                  int[] ids = tokenizer.encode(t);
                  return Arrays.copyOf(ids, Math.min(ids.length, max));
                })
            .filter(ids -> ids.length >= 4)
            .toList();
    if (sequences.isEmpty()) {
      throw new BadInputException("no text has 4 tokens or more to score");
    }
    return sequences;
  }

  private static double score(
      Transformer model, Map<Integer, List<int[]>> byStart, IntFunction<Hooks> hooks) {
    double sum = 0;
    long count = 0;
    for (Map.Entry<Integer, List<int[]>> g : byStart.entrySet()) {
      for (float[] tokens : TokenBatches.logProbs(model, g.getValue(), hooks.apply(g.getKey()))) {
        // Entry j is token j + 1 given the ones before: the continuation is tokens len/2 .. len-1.
        int len = tokens.length + 1;
        for (int j = len / 2 - 1; j < len - 1; j++) {
          sum += tokens[j];
          count++;
        }
      }
    }
    return sum / count;
  }
}
