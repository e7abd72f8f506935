package org.antidote.study;

import ai.djl.Device;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Document;
import org.antidote.corpus.HeldOut;
import org.antidote.model.Models;
import org.antidote.model.Transformer;
import org.antidote.probe.Activations;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.Probes;
import org.antidote.tokenize.BpeTokenizer;

/**
 * Probes for a finished training run: load its model and tokenizer, capture every head's output on
 * labelled texts (kept on disk under the run, so a second call reuses them), fit one probe per
 * head.
 */
public final class RunProbes {

  private RunProbes() {}

  /** A run's model (the caller closes it), tokenizer, activations and fitted probes. */
  public record Fitted(
      Transformer model,
      BpeTokenizer tokenizer,
      Activations fit,
      Activations tuning,
      ProbeResult probes,
      Path dir) {}

  /** Labelled texts to fit on and to tune directions on. */
  public record Texts(List<Document> fit, List<Document> tuning) {

    /**
     * The default labelled set (ToxiGen's statements), balanced, seed 1: see {@link
     * #bundled(Corpora.LabelledSet, int, long)}.
     */
    public static Texts bundled(int perClass) {
      return bundled(Corpora.LabelledSet.DEFAULT, perClass, 1);
    }

    /**
     * One bundled labelled set, exactly balanced: up to {@code perClass} of each label from its
     * train split to fit, up to half as many from its validation split to tune, drawn with {@code
     * seed}; from ToxiGen only the fit side of its group split with {@code seed} ({@link
     * Corpora.Bundled#fitting}).
     */
    public static Texts bundled(Corpora.LabelledSet set, int perClass, long seed) {
      Corpora.Bundled data = Corpora.bundled();
      return new Texts(
          data.fitting(set, HeldOut.Split.TRAIN, perClass, seed),
          data.fitting(set, HeldOut.Split.VALIDATION, Math.max(50, perClass / 2), seed));
    }
  }

  /**
   * Fits probes for {@code run}; activations go to {@code dir} ({@code run/probes} when null). The
   * probes' 4:1 train/validation split is drawn with {@code seed}; the model is loaded on {@code
   * device}.
   */
  public static Fitted fit(
      Path run,
      Path dir,
      Texts texts,
      CaptureConfig.Position position,
      long seed,
      Device device,
      PrintStream log) {
    ProbeConfig probeConfig = ProbeConfig.defaults().withSeed(seed);
    for (int cls = 0; cls <= 1; cls++) {
      int c = cls;
      Probes.requireEnough(
          cls,
          (int) texts.fit().stream().filter(d -> d.label() != null && d.label() == c).count(),
          probeConfig);
    }
    Models.Loaded loaded = Models.load(run, device);
    Transformer model = loaded.model();
    Path out = dir != null ? dir : run.resolve("probes");
    CaptureConfig capture = new CaptureConfig(position, 32, 128, 4096);
    try {
      BpeTokenizer tok = loaded.requireTokenizer();
      Activations fit =
          Activations.capture(
              model,
              run.toString(),
              tok,
              texts.fit(),
              capture,
              out.resolve("activations-fit"),
              log);
      Activations tuning =
          Activations.capture(
              model,
              run.toString(),
              tok,
              texts.tuning(),
              capture,
              out.resolve("activations-tuning"),
              log);
      return new Fitted(model, tok, fit, tuning, Probes.fit(fit, probeConfig), out);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }
}
