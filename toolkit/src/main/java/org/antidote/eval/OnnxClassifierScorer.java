package org.antidote.eval;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Checksums;
import org.antidote.math.Numerics;

/**
 * A user-supplied text classifier exported to ONNX (a Detoxify export, say) with its {@code
 * tokenizer.json}: one text per call, {@code input_ids} (and {@code attention_mask}, {@code
 * token_type_ids} when the model asks for them) in, logits out; the toxic label's probability by
 * sigmoid (multi-label models such as Detoxify) or softmax.
 */
public final class OnnxClassifierScorer implements ToxicityScorer {

  /** How logits become probabilities. */
  public enum Link {
    SIGMOID,
    SOFTMAX;

    /** Parses "sigmoid" or "softmax". */
    public static Link parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "sigmoid" -> SIGMOID;
        case "softmax" -> SOFTMAX;
        default -> throw new BadInputException("link '" + s + "' is not sigmoid or softmax");
      };
    }
  }

  /**
   * Which classifier.
   *
   * @param model the .onnx file
   * @param tokenizer its tokenizer.json
   * @param toxicLabel index of the toxic label among the model's outputs
   * @param link sigmoid or softmax
   * @param maxTokens texts are truncated to this many tokens
   */
  public record Config(Path model, Path tokenizer, int toxicLabel, Link link, int maxTokens) {

    public Config {
      for (Path p : new Path[] {model, tokenizer}) {
        if (p == null || !Files.isRegularFile(p)) {
          throw new BadInputException(
              p + ": no such file (an ONNX classifier needs its .onnx and tokenizer.json)");
        }
      }
      Check.input(
          toxicLabel >= 0 && maxTokens >= 2, "toxic label must be >= 0 and max tokens >= 2");
    }
  }

  private final Config config;
  private final String id;
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;

  /**
   * Opens the classifier; a file that is not a usable ONNX model or tokenizer is refused by name.
   */
  public OnnxClassifierScorer(Config config) {
    this.config = config;
    this.id =
        "onnx("
            + config.model().getFileName()
            + "@"
            + Checksums.sha256(config.model()).substring(0, 12)
            + ", "
            + config.tokenizer().getFileName()
            + "@"
            + Checksums.sha256(config.tokenizer()).substring(0, 12)
            + ", label "
            + config.toxicLabel()
            + ", "
            + config.link().name().toLowerCase(Locale.ROOT)
            + ", "
            + config.maxTokens()
            + " tokens)";
    try {
      this.session = env.createSession(config.model().toString(), new OrtSession.SessionOptions());
    } catch (OrtException e) {
      throw new BadInputException(
          config.model() + ": not a model ONNX Runtime can load: " + e.getMessage(), e);
    }
    if (!session.getInputNames().contains("input_ids")) {
      close();
      throw new BadInputException(
          config.model() + ": expected an input named input_ids, found " + session.getInputNames());
    }
    try {
      this.tokenizer =
          HuggingFaceTokenizer.newInstance(
              config.tokenizer(),
              Map.of(
                  "truncation",
                  "true",
                  "maxLength",
                  Integer.toString(config.maxTokens()),
                  "padding",
                  "false"));
    } catch (IOException | RuntimeException e) {
      close();
      throw new BadInputException(
          config.tokenizer()
              + ": not a tokenizer.json the Hugging Face tokenizers read: "
              + e.getMessage(),
          e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public double[] score(List<String> texts) {
    double[] out = new double[texts.size()];
    for (int i = 0; i < texts.size(); i++) {
      out[i] = score(texts.get(i));
    }
    return out;
  }

  private double score(String text) {
    long[] ids = tokenizer.encode(text).getIds();
    if (ids.length == 0) {
      ids = new long[] {0};
    }
    long[] shape = {1, ids.length};
    long[] ones = new long[ids.length];
    Arrays.fill(ones, 1L);
    try (OnnxTensor tIds = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor tMask = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
        OnnxTensor tTypes =
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", tIds);
      if (session.getInputNames().contains("attention_mask")) {
        inputs.put("attention_mask", tMask);
      }
      if (session.getInputNames().contains("token_type_ids")) {
        inputs.put("token_type_ids", tTypes);
      }
      try (OrtSession.Result result = session.run(inputs)) {
        OnnxValue v = result.get(0);
        float[] logits = flat((OnnxTensor) v);
        if (config.toxicLabel() >= logits.length) {
          throw new BadInputException(
              config.model()
                  + " has "
                  + logits.length
                  + " outputs; toxic label "
                  + config.toxicLabel()
                  + " does not exist");
        }
        return config.link() == Link.SIGMOID
            ? Numerics.sigmoid(logits[config.toxicLabel()])
            : Numerics.softmax(logits, 1)[config.toxicLabel()];
      }
    } catch (OrtException e) {
      throw new IllegalStateException(config.model() + " failed on a text: " + e.getMessage(), e);
    }
  }

  private static float[] flat(OnnxTensor t) {
    FloatBuffer b = t.getFloatBuffer();
    float[] out = new float[b.remaining()];
    b.get(out);
    return out;
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException | NullPointerException ignored) {
      // Closing a session that failed to open, or twice: nothing to free.
    }
  }
}
