package org.antidote.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.model.Hooks;
import org.antidote.model.TokenBatches;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;

/**
 * Capability metrics of a model, each with optional hooks so that an intervention can be scored the
 * same way as the plain model: cross-entropy and KL divergence on held-out clean text, last-word
 * accuracy, and accuracy on grammatical minimal pairs.
 *
 * <p>Every scored sequence starts with the end-of-text token, as every document but the first does
 * in the packed pre-training stream: the first real token is then predicted too, from the state the
 * model knows as "a new document starts". Passing {@code null} hooks means none.
 */
public final class Capability {

  /** The paper's truncation of each held-out document for cross-entropy. */
  public static final int DEFAULT_MAX_TOKENS = 128;

  private Capability() {}

  /**
   * {@link #crossEntropy(Transformer, BpeTokenizer, List, int, Hooks)} at {@value
   * #DEFAULT_MAX_TOKENS} tokens.
   */
  public static double crossEntropy(
      Transformer model, BpeTokenizer tok, List<String> texts, Hooks hooks) {
    return crossEntropy(model, tok, texts, DEFAULT_MAX_TOKENS, hooks);
  }

  /**
   * Mean next-token cross-entropy (nats) over every token of the first {@code maxTokens} tokens of
   * each text (capped so that the text and its leading end-of-text token fit the context). Empty
   * texts are skipped.
   */
  public static double crossEntropy(
      Transformer model, BpeTokenizer tok, List<String> texts, int maxTokens, Hooks hooks) {
    List<int[]> seqs = documents(model, tok, texts, maxTokens);
    double sum = 0;
    long count = 0;
    for (float[] lp : TokenBatches.logProbs(model, seqs, orNone(hooks))) {
      for (float v : lp) {
        sum -= v;
      }
      count += lp.length;
    }
    return sum / count;
  }

  /**
   * Cross-entropy and KL on the same text, from one pass with hooks and (when there are any) one
   * without, where computing them apart takes three.
   *
   * @param crossEntropy mean next-token cross-entropy (nats) with the hooks, as {@link
   *     #crossEntropy(Transformer, BpeTokenizer, List, int, Hooks)}
   * @param kl mean per-token KL(P_base || P_hooked) in nats of the next-token distributions over
   *     the same positions; 0 without hooks
   */
  public record OnText(double crossEntropy, double kl) {}

  /** {@link OnText} for the first {@code maxTokens} tokens of each text. */
  public static OnText onText(
      Transformer model, BpeTokenizer tok, List<String> texts, int maxTokens, Hooks hooks) {
    Hooks h = orNone(hooks);
    List<int[]> seqs = documents(model, tok, texts, maxTokens);
    double ce = 0;
    double kl = 0;
    long count = 0;
    for (int from = 0; from < seqs.size(); from += TokenBatches.SIZE) {
      List<int[]> batch = seqs.subList(from, Math.min(seqs.size(), from + TokenBatches.SIZE));
      int longest = TokenBatches.longest(batch);
      float[] lp;
      float[] div = null;
      try (NDManager m = model.manager().newSubManager()) {
        NDArray x = TokenBatches.padded(m, batch, longest);
        NDArray hooked = model.forward(x, h).logSoftmax(-1);
        lp =
            hooked
                .gather(TokenBatches.targets(m, batch, longest).expandDims(-1), -1)
                .squeeze(-1)
                .toFloatArray();
        if (!h.isEmpty()) {
          NDArray base = model.forward(x).logSoftmax(-1);
          div = base.exp().mul(base.sub(hooked)).sum(new int[] {-1}).toFloatArray();
        }
      }
      for (int i = 0; i < batch.size(); i++) {
        for (int j = 0; j < batch.get(i).length - 1; j++) {
          ce -= lp[i * longest + j];
          kl += div == null ? 0 : div[i * longest + j];
          count++;
        }
      }
    }
    return new OnText(ce / count, kl / count);
  }

  /**
   * LAMBADA-style accuracy: the share of texts whose final word the model predicts exactly by
   * greedy decoding. The final word is the last whitespace-separated word after trailing characters
   * that are neither letters nor digits are cut off; a text counts as correct when, at every token
   * of that word (with its leading space), the argmax given the true preceding tokens is that
   * token, which is the same as greedy decoding reproducing the word. Contexts longer than the
   * model's are cut from the left. Texts with a single word, or whose context does not tokenize as
   * a prefix of the whole, are skipped.
   */
  public static double lastWordAccuracy(
      Transformer model, BpeTokenizer tok, List<String> texts, Hooks hooks) {
    int context = model.config().context();
    List<int[]> seqs = new ArrayList<>();
    List<Integer> wordLengths = new ArrayList<>();
    for (String text : texts) {
      String t = cutTrailing(text.strip());
      int space = lastWhitespace(t);
      if (space <= 0) {
        continue;
      }
      String prefix = t.substring(0, space).stripTrailing();
      if (prefix.isEmpty()) {
        continue;
      }
      int[] whole = withEot(tok, tok.encode(prefix + " " + t.substring(space + 1)));
      int[] head = withEot(tok, tok.encode(prefix));
      int word = whole.length - head.length;
      if (word <= 0
          || word >= context
          || !Arrays.equals(whole, 0, head.length, head, 0, head.length)) {
        continue;
      }
      seqs.add(Arrays.copyOfRange(whole, Math.max(0, whole.length - context), whole.length));
      wordLengths.add(word);
    }
    if (seqs.isEmpty()) {
      throw new BadInputException("no text has a context and a final word to predict");
    }
    Hooks h = orNone(hooks);
    int correct = 0;
    for (int from = 0; from < seqs.size(); from += TokenBatches.SIZE) {
      List<int[]> batch = seqs.subList(from, Math.min(seqs.size(), from + TokenBatches.SIZE));
      int longest = TokenBatches.longest(batch);
      long[] argmax;
      try (NDManager m = model.manager().newSubManager()) {
        argmax = model.forward(TokenBatches.padded(m, batch, longest), h).argMax(-1).toLongArray();
      }
      for (int i = 0; i < batch.size(); i++) {
        int[] s = batch.get(i);
        boolean ok = true;
        // Position j predicts token j + 1: the word is the last wordLength tokens.
        for (int j = s.length - 1 - wordLengths.get(from + i); j < s.length - 1 && ok; j++) {
          ok = argmax[i * longest + j] == s[j + 1];
        }
        correct += ok ? 1 : 0;
      }
    }
    return (double) correct / seqs.size();
  }

  /**
   * BLiMP-style accuracy: the share of pairs whose good sentence gets a strictly higher total
   * log-probability than its bad one. Pairs where either sentence does not fit the context are
   * skipped.
   */
  public static double minimalPairs(
      Transformer model, BpeTokenizer tok, List<MinimalPair> pairs, Hooks hooks) {
    int context = model.config().context();
    List<int[]> seqs = new ArrayList<>();
    for (MinimalPair p : pairs) {
      int[] good = withEot(tok, tok.encode(p.good()));
      int[] bad = withEot(tok, tok.encode(p.bad()));
      if (good.length <= context && bad.length <= context) {
        seqs.add(good);
        seqs.add(bad);
      }
    }
    if (seqs.isEmpty()) {
      throw new BadInputException(
          "no minimal pair fits the model's context of " + context + " tokens");
    }
    List<float[]> lp = TokenBatches.logProbs(model, seqs, orNone(hooks));
    int correct = 0;
    for (int i = 0; i < lp.size(); i += 2) {
      correct += sum(lp.get(i)) > sum(lp.get(i + 1)) ? 1 : 0;
    }
    return correct / (lp.size() / 2.0);
  }

  /**
   * {@link #minimalPairs} overall ({@code "all"}) and per field, the part of each pair's rule
   * before {@code /} (BLiMP's syntax, morphology, semantics, syntax_semantics...), in field order.
   */
  public static Map<String, Double> minimalPairsByField(
      Transformer model, BpeTokenizer tok, List<MinimalPair> pairs, Hooks hooks) {
    Map<String, List<MinimalPair>> byField = new TreeMap<>();
    for (MinimalPair p : pairs) {
      int cut = p.rule().indexOf('/');
      byField
          .computeIfAbsent(cut < 0 ? p.rule() : p.rule().substring(0, cut), k -> new ArrayList<>())
          .add(p);
    }
    Map<String, Double> out = new LinkedHashMap<>();
    out.put("all", minimalPairs(model, tok, pairs, hooks));
    byField.forEach((field, ps) -> out.put(field, minimalPairs(model, tok, ps, hooks)));
    return out;
  }

  /** End-of-text then the first maxTokens tokens of each non-empty text, fitted to the context. */
  private static List<int[]> documents(
      Transformer model, BpeTokenizer tok, List<String> texts, int maxTokens) {
    Check.positive("max tokens", maxTokens);
    int cap = Math.min(maxTokens, model.config().context() - 1);
    List<int[]> seqs = new ArrayList<>();
    for (String t : texts) {
      int[] ids = tok.encode(t);
      if (ids.length > 0) {
        seqs.add(withEot(tok, Arrays.copyOf(ids, Math.min(ids.length, cap))));
      }
    }
    if (seqs.isEmpty()) {
      throw new BadInputException("no text to score: all " + texts.size() + " are empty");
    }
    return seqs;
  }

  private static int[] withEot(BpeTokenizer tok, int[] ids) {
    int[] out = new int[ids.length + 1];
    out[0] = tok.eotId();
    System.arraycopy(ids, 0, out, 1, ids.length);
    return out;
  }

  /**
   * Tokens [B, longest], padded at the end: causal attention keeps padding out of real positions.
   */
  private static double sum(float[] values) {
    double s = 0;
    for (float v : values) {
      s += v;
    }
    return s;
  }

  private static Hooks orNone(Hooks hooks) {
    return hooks == null ? Hooks.none() : hooks;
  }

  private static String cutTrailing(String s) {
    int end = s.length();
    while (end > 0 && !Character.isLetterOrDigit(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(0, end);
  }

  private static int lastWhitespace(String s) {
    for (int i = s.length() - 1; i >= 0; i--) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }
}
