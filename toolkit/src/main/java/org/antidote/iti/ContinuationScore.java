package org.antidote.iti;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import org.antidote.model.Hooks;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;

/**
 * How much a model expects held-out continuations: the mean log-probability per token of the
 * second half of each text given its first half. On toxic texts, a detoxifying intervention
 * should lower it; on clean texts it should barely move (a stand-in for the evaluation stage's
 * toxicity and capability metrics).
 */
public final class ContinuationScore {

  private static final int BATCH = 16;

  private ContinuationScore() {}

  /** Mean log-probability per continuation token over {@code texts} (texts under 4 tokens are skipped). */
  public static double meanLogProb(Transformer model, BpeTokenizer tokenizer, List<String> texts, Hooks hooks) {
    int max = model.config().context();
    double sum = 0;
    long count = 0;
    for (int from = 0; from < texts.size(); from += BATCH) {
      List<int[]> batch = texts.subList(from, Math.min(texts.size(), from + BATCH)).stream()
          .map(t -> {
            int[] ids = tokenizer.encode(t);
            return Arrays.copyOf(ids, Math.min(ids.length, max));
          }).filter(ids -> ids.length >= 4).toList();
      if (batch.isEmpty()) {
        continue;
      }
      int longest = batch.stream().mapToInt(a -> a.length).max().orElse(1);
      int b = batch.size();
      long[] x = new long[b * longest];
      long[] y = new long[b * longest];
      for (int i = 0; i < b; i++) {
        int[] ids = batch.get(i);
        for (int j = 0; j < ids.length; j++) {
          x[i * longest + j] = ids[j];
          y[i * longest + j] = j + 1 < ids.length ? ids[j + 1] : 0;
        }
      }
      float[] lp;
      try (NDManager m = model.manager().newSubManager()) {
        NDArray logits = model.forward(m.create(x, new Shape(b, longest)), hooks);
        lp = Transformer.tokenLogProbs(logits, m.create(y, new Shape(b, longest))).toFloatArray();
      }
      for (int i = 0; i < b; i++) {
        int len = batch.get(i).length;
        // Position j predicts token j + 1: the continuation is tokens len/2 .. len-1.
        for (int j = len / 2 - 1; j < len - 1; j++) {
          sum += lp[i * longest + j];
          count++;
        }
      }
    }
    if (count == 0) {
      throw new IllegalArgumentException("no text has 4 tokens or more to score");
    }
    return sum / count;
  }
}
