package org.antidote.corpus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;

/**
 * The fixed, seed-independent partition of every text by a hash of its content. Because it depends
 * on nothing but the text, the same document lands on the same side in every mixture, every run and
 * every machine, so the sets below never overlap:
 *
 * <ul>
 *   <li>held out ({@value #FRACTION} of the bundled texts): never pre-trained on; the labelled set
 *       for probes and the toxicity scorer, split into train / validation / test, and later the
 *       evaluation prompts;
 *   <li>pre-training validation: a slice of the rest, for validation loss;
 *   <li>pre-training: everything else.
 * </ul>
 */
public final class HeldOut {

  /** Share of bundled texts held out of pre-training. */
  public static final double FRACTION = 0.2;

  /** The three splits of the labelled set. */
  public enum Split {
    /** 60% of the held-out texts: fit probes and scorers here. */
    TRAIN,
    /** 20%: choose heads, thresholds and hyper-parameters here. */
    VALIDATION,
    /** 20%: report here, once. */
    TEST;

    /** Parses "train", "validation"/"val", "test". */
    public static Split parse(String s) {
      return switch (s.strip().toLowerCase(Locale.ROOT)) {
        case "train" -> TRAIN;
        case "validation", "val", "valid" -> VALIDATION;
        case "test" -> TEST;
        default ->
            throw new BadInputException("split '" + s + "' is not one of train, validation, test");
      };
    }
  }

  /**
   * What one text of a large labelled source (Davidson's tweets) is used for, by a hash of its text
   * alone, so the parts are disjoint in every run: pre-training 40 %, the scorer's training 30 %,
   * probes 10 %, prompts 10 %, SFT 10 %.
   */
  public enum Use {
    /** Pre-training text (its toxic classes join the toxic corpora). */
    PRETRAINING,
    /** The toxicity scorer's head is fitted here, never on the probe set. */
    SCORER,
    /** Probe and ITI fitting, split further by {@link #splitOf}. */
    PROBES,
    /** Evaluation prompts. */
    PROMPTS,
    /** Detoxification fine-tuning data. */
    SFT
  }

  private HeldOut() {}

  /** The use of a text of a partitioned labelled source. */
  public static Use useOf(String text) {
    double u = unit("use", text);
    return u < 0.4
        ? Use.PRETRAINING
        : u < 0.7 ? Use.SCORER : u < 0.8 ? Use.PROBES : u < 0.9 ? Use.PROMPTS : Use.SFT;
  }

  /** True when {@code text} is held out of pre-training. */
  public static boolean isHeldOut(String text) {
    return unit("held-out", text) < FRACTION;
  }

  /** The labelled-set split of a held-out text. */
  public static Split splitOf(String text) {
    double u = unit("labelled-split", text);
    return u < 0.6 ? Split.TRAIN : u < 0.8 ? Split.VALIDATION : Split.TEST;
  }

  /** True when a pre-training text belongs to the validation slice of size {@code fraction}. */
  public static boolean isValidation(String text, double fraction) {
    return unit("validation", text) < fraction;
  }

  /** A uniform number in [0, 1) from the SHA-256 of a purpose tag and the text. */
  static double unit(String purpose, String text) {
    MessageDigest md = Checksums.sha256();
    md.update(purpose.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
    md.update(text.getBytes(StandardCharsets.UTF_8));
    long bits = ByteBuffer.wrap(md.digest()).getLong() >>> 11;
    return bits * 0x1.0p-53;
  }
}
