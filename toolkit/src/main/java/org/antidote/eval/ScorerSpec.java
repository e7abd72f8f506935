package org.antidote.eval;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;
import java.util.Locale;
import org.antidote.io.BadInputException;

/**
 * Which toxicity scorer, as a command line's {@code --scorer} or a study's config names it: parsed
 * once, by {@link #parse}, and stored (in {@code study.json}) as the text it was parsed from.
 */
public sealed interface ScorerSpec {

  /** The forms {@link #parse} accepts, for messages and help. */
  String FORMS =
      "minilm (the offline default), lexicon, perspective (needs PERSPECTIVE_API_KEY) or"
          + " onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]]";

  /** The scorer when none is named: MiniLM, offline and bundled. */
  ScorerSpec DEFAULT = new MiniLm();

  /** The text form: what {@link #parse} reads back to an equal spec. */
  @JsonValue
  String spec();

  /** Makes the scorer (loading its model, reading its key). */
  ToxicityScorer open();

  /**
   * The {@link ToxicityScorer#id()} the scorer would have, without loading what is slow to load
   * (MiniLM's encoder) or needing what scoring needs (Perspective's key): what a cached result
   * records, so that it is reused only for the very scorer that made it.
   */
  default String id() {
    try (ToxicityScorer s = open()) {
      return s.id();
    }
  }

  /**
   * Reads {@code text}: a name (any case) or {@code onnx=...}; anything else is one sentence
   * listing the accepted forms.
   */
  @JsonCreator
  static ScorerSpec parse(String text) {
    if (text == null) {
      throw new BadInputException("a scorer is required: " + FORMS);
    }
    String t = text.strip();
    if (t.regionMatches(true, 0, "onnx=", 0, 5)) {
      return Onnx.parse(t);
    }
    return switch (t.toLowerCase(Locale.ROOT)) {
      case "minilm" -> new MiniLm();
      case "lexicon" -> new Lexicon();
      case "perspective" -> new Perspective();
      default -> throw new BadInputException("scorer must be " + FORMS + ", got '" + text + "'");
    };
  }

  /** The bundled MiniLM sentence encoder with its logistic head. */
  record MiniLm() implements ScorerSpec {
    @Override
    public String spec() {
      return "minilm";
    }

    @Override
    public ToxicityScorer open() {
      return MiniLmScorer.bundled();
    }

    @Override
    public String id() {
      return MiniLmScorer.bundledId();
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** The bundled profanity lexicons. */
  record Lexicon() implements ScorerSpec {
    @Override
    public String spec() {
      return "lexicon";
    }

    @Override
    public ToxicityScorer open() {
      return LexiconScorer.bundled();
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /** Google's Perspective API (needs {@code PERSPECTIVE_API_KEY}). */
  record Perspective() implements ScorerSpec {
    @Override
    public String spec() {
      return "perspective";
    }

    @Override
    public ToxicityScorer open() {
      return PerspectiveScorer.fromEnvironment(PerspectiveScorer.Config.defaults());
    }

    @Override
    public String id() {
      return PerspectiveScorer.ID;
    }

    @Override
    public String toString() {
      return spec();
    }
  }

  /**
   * A classifier of the user's own in ONNX.
   *
   * @param model the .onnx file
   * @param tokenizer its tokenizer.json
   * @param label index of the toxic output; null: 1
   * @param link how outputs become a probability; null: sigmoid
   */
  record Onnx(Path model, Path tokenizer, Integer label, OnnxClassifierScorer.Link link)
      implements ScorerSpec {

    /** Texts are cut to this many tokens. */
    static final int MAX_TOKENS = 512;

    static Onnx parse(String text) {
      String[] p = text.substring("onnx=".length()).split(",");
      if (p.length < 2 || p.length > 4 || p[0].isBlank() || p[1].isBlank()) {
        throw new BadInputException(
            "scorer onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]], got '" + text + "'");
      }
      Integer label = null;
      if (p.length > 2) {
        try {
          label = Integer.parseInt(p[2].strip());
        } catch (NumberFormatException e) {
          label = -1;
        }
        if (label < 0) {
          throw new BadInputException(
              "scorer " + text + ": LABEL must be the toxic output's index (>= 0), got " + p[2]);
        }
      }
      OnnxClassifierScorer.Link link = null;
      if (p.length > 3) {
        try {
          link = OnnxClassifierScorer.Link.parse(p[3]);
        } catch (IllegalArgumentException | BadInputException e) {
          throw new BadInputException("scorer " + text + ": " + e.getMessage());
        }
      }
      return new Onnx(Path.of(p[0].strip()), Path.of(p[1].strip()), label, link);
    }

    @Override
    public String spec() {
      return "onnx="
          + model
          + ","
          + tokenizer
          + (label == null ? "" : "," + label)
          + (link == null ? "" : "," + link.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public ToxicityScorer open() {
      return new OnnxClassifierScorer(
          new OnnxClassifierScorer.Config(
              model,
              tokenizer,
              label == null ? 1 : label,
              link == null ? OnnxClassifierScorer.Link.SIGMOID : link,
              MAX_TOKENS));
    }

    @Override
    public String toString() {
      return spec();
    }
  }
}
