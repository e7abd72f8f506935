package org.antidote.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.antidote.io.BadInputException;

/**
 * Token sequences of different lengths through the model in padded batches: the one batching that
 * capability metrics and the ITI sweep's continuation score share. Padding goes on the right and is
 * never read: a causal model's outputs at real positions do not see it.
 */
public final class TokenBatches {

  /** Sequences per forward call. */
  public static final int SIZE = 16;

  private TokenBatches() {}

  /**
   * For each token sequence (2 to context tokens), the log-probability of each of its tokens after
   * the first given the ones before it. Element i of the result has {@code sequences.get(i).length
   * - 1} entries. Null hooks mean none.
   */
  public static List<float[]> logProbs(Transformer model, List<int[]> sequences, Hooks hooks) {
    int context = model.config().context();
    for (int[] s : sequences) {
      if (s.length < 2 || s.length > context) {
        throw new BadInputException(
            "a scored sequence needs 2 to " + context + " tokens, got " + s.length);
      }
    }
    List<float[]> out = new ArrayList<>(sequences.size());
    for (int from = 0; from < sequences.size(); from += SIZE) {
      List<int[]> batch = sequences.subList(from, Math.min(sequences.size(), from + SIZE));
      int longest = longest(batch);
      float[] lp;
      try (NDManager m = model.manager().newSubManager()) {
        NDArray logits =
            model.forward(padded(m, batch, longest), hooks == null ? Hooks.none() : hooks);
        lp = Transformer.tokenLogProbs(logits, targets(m, batch, longest)).toFloatArray();
      }
      for (int i = 0; i < batch.size(); i++) {
        out.add(Arrays.copyOfRange(lp, i * longest, i * longest + batch.get(i).length - 1));
      }
    }
    return out;
  }

  /** The batch as int64 ids [batch, longest], zero-padded on the right. */
  public static NDArray padded(NDManager m, List<int[]> batch, int longest) {
    long[] x = new long[batch.size() * longest];
    for (int i = 0; i < batch.size(); i++) {
      int[] s = batch.get(i);
      for (int j = 0; j < s.length; j++) {
        x[i * longest + j] = s[j];
      }
    }
    return m.create(x, new Shape(batch.size(), longest));
  }

  /**
   * What each position of {@link #padded} predicts, int64 [batch, longest]: token j + 1 of its
   * sequence (0 past the end, where nothing is read).
   */
  public static NDArray targets(NDManager m, List<int[]> batch, int longest) {
    long[] y = new long[batch.size() * longest];
    for (int i = 0; i < batch.size(); i++) {
      int[] s = batch.get(i);
      for (int j = 0; j + 1 < s.length; j++) {
        y[i * longest + j] = s[j + 1];
      }
    }
    return m.create(y, new Shape(batch.size(), longest));
  }

  /** The length of the batch's longest sequence. */
  public static int longest(List<int[]> batch) {
    return batch.stream().mapToInt(a -> a.length).max().orElse(1);
  }
}
