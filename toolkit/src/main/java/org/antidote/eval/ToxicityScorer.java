package org.antidote.eval;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;

/**
 * Something that rates texts for toxicity: a classifier on sentence embeddings, a lexicon, a remote
 * service. Scores are probabilities of toxicity, so scorers can be swapped and compared.
 */
public interface ToxicityScorer extends AutoCloseable {

  /** A stable name for reports and result files (what scored, and how). */
  String id();

  /** One probability of toxicity in [0, 1] per text, in order. */
  double[] score(List<String> texts);

  /**
   * Frees what the scorer holds (a model session, say); nothing, unless a scorer says otherwise.
   */
  @Override
  default void close() {}

  /**
   * The scorer called {@code name}: {@code minilm} (offline default), {@code lexicon}, {@code
   * perspective} (needs {@code PERSPECTIVE_API_KEY}) or {@code
   * onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]]} for a classifier of your own.
   */
  static ToxicityScorer named(String name) {
    if (name.startsWith("onnx=")) {
      String[] p = name.substring("onnx=".length()).split(",");
      if (p.length < 2) {
        throw new BadInputException(
            "scorer onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]], got " + name);
      }
      return new OnnxClassifierScorer(
          new OnnxClassifierScorer.Config(
              Path.of(p[0]),
              Path.of(p[1]),
              p.length > 2 ? Integer.parseInt(p[2]) : 1,
              p.length > 3
                  ? OnnxClassifierScorer.Link.parse(p[3])
                  : OnnxClassifierScorer.Link.SIGMOID,
              512));
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "minilm" -> MiniLmScorer.bundled();
      case "lexicon" -> LexiconScorer.bundled();
      case "perspective" -> PerspectiveScorer.fromEnvironment(PerspectiveScorer.Config.defaults());
      default ->
          throw new BadInputException(
              "scorer must be minilm, lexicon, perspective or onnx=..., got " + name);
    };
  }

  /**
   * The {@link #id()} of the scorer {@link #named} {@code name} would make, without loading what is
   * slow to load (MiniLM's encoder) or needing what scoring needs (Perspective's key): what a
   * cached result records, so that it is reused only for the very scorer that made it.
   */
  static String idOf(String name) {
    switch (name.toLowerCase(Locale.ROOT)) {
      case "minilm":
        return MiniLmScorer.bundledId();
      case "perspective":
        return PerspectiveScorer.ID;
      default:
        try (ToxicityScorer scorer = named(name)) {
          return scorer.id();
        }
    }
  }
}
