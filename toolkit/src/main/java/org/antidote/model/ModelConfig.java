package org.antidote.model;

import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * The shape of a model. Validated when built, so a bad shape fails before any work starts.
 *
 * @param layers transformer blocks
 * @param heads attention heads per block
 * @param dModel residual stream width (a multiple of {@code heads})
 * @param dMlp hidden width of the SwiGLU MLP
 * @param context longest sequence the model is trained on
 * @param vocab vocabulary size
 * @param ropeTheta base of the rotary position frequencies
 * @param norm normalisation before attention, MLP and unembedding
 * @param tieEmbeddings whether the unembedding is the transposed embedding
 * @param initStd standard deviation of the normal initialisation
 */
public record ModelConfig(
    int layers,
    int heads,
    int dModel,
    int dMlp,
    int context,
    int vocab,
    double ropeTheta,
    Norm norm,
    boolean tieEmbeddings,
    double initStd) {

  /** Normalisation choices. */
  public enum Norm {
    /** LayerNorm without learned scale or bias, as in OLMo-1B. */
    LAYER_NORM,
    /** RMSNorm with a learned scale. */
    RMS_NORM;

    /** Parses "layernorm" / "layer_norm" / "rmsnorm". */
    public static Norm parse(String s) {
      String v = s.strip().toLowerCase(Locale.ROOT).replace("-", "_");
      return switch (v) {
        case "layernorm", "layer_norm", "ln" -> LAYER_NORM;
        case "rmsnorm", "rms_norm", "rms" -> RMS_NORM;
        default -> throw new BadInputException("norm '" + s + "' is not layernorm or rmsnorm");
      };
    }
  }

  public ModelConfig {
    Check.positive("model config: layers", layers);
    Check.positive("model config: heads", heads);
    Check.input(
        dModel >= 1 && dModel % heads == 0,
        "model config: d_model " + dModel + " must be a positive multiple of heads " + heads);
    Check.input(
        (dModel / heads) % 2 == 0,
        "model config: d_head = d_model / heads = "
            + dModel / heads
            + " must be even for rotary embeddings");
    Check.positive("model config: d_mlp", dMlp);
    Check.atLeast("model config: context", context, 2);
    Check.atLeast("model config: vocab", vocab, 2);
    Check.input(ropeTheta > 1, "model config: rope theta must be > 1, got " + ropeTheta);
    Check.input(norm != null, "model config: norm must be layernorm or rmsnorm");
    Check.input(
        initStd > 0 && initStd < 1, "model config: init std must be in (0, 1), got " + initStd);
  }

  /** A builder holding every default: the {@link Preset#TINY} shape. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this shape. */
  public Builder toBuilder() {
    return new Builder()
        .layers(layers)
        .heads(heads)
        .dModel(dModel)
        .dMlp(dMlp)
        .context(context)
        .vocab(vocab)
        .ropeTheta(ropeTheta)
        .norm(norm)
        .tieEmbeddings(tieEmbeddings)
        .initStd(initStd);
  }

  /** The one place a shape's defaults are stated; the presets start from it. */
  public static final class Builder {
    private int layers = 2; // the tiny preset: trains in seconds
    private int heads = 4; // d_head 16
    private int dModel = 64; // residual width
    private int dMlp = 128; // SwiGLU hidden width, 2 x d_model
    private int context = 64; // tokens per training window
    private int vocab = 512; // a placeholder until fitted to a tokenizer
    private double ropeTheta = 10_000; // RoPE's usual base
    private Norm norm = Norm.LAYER_NORM; // non-parametric, as OLMo-1B
    private boolean tieEmbeddings = true; // unembedding = embedding transposed
    private double initStd = 0.02; // GPT-2's and OLMo's

    private Builder() {}

    public Builder layers(int v) {
      layers = v;
      return this;
    }

    public Builder heads(int v) {
      heads = v;
      return this;
    }

    public Builder dModel(int v) {
      dModel = v;
      return this;
    }

    public Builder dMlp(int v) {
      dMlp = v;
      return this;
    }

    public Builder context(int v) {
      context = v;
      return this;
    }

    public Builder vocab(int v) {
      vocab = v;
      return this;
    }

    public Builder ropeTheta(double v) {
      ropeTheta = v;
      return this;
    }

    public Builder norm(Norm v) {
      norm = v;
      return this;
    }

    public Builder tieEmbeddings(boolean v) {
      tieEmbeddings = v;
      return this;
    }

    public Builder initStd(double v) {
      initStd = v;
      return this;
    }

    /** The shape, validated. */
    public ModelConfig build() {
      return new ModelConfig(
          layers, heads, dModel, dMlp, context, vocab, ropeTheta, norm, tieEmbeddings, initStd);
    }
  }

  /** Width of one head. */
  public int dHead() {
    return dModel / heads;
  }

  /** Number of trained parameters. */
  public long parameters() {
    long perLayer =
        4L * dModel * dModel + 3L * dModel * dMlp + (norm == Norm.RMS_NORM ? 2L * dModel : 0);
    long embed = (long) vocab * dModel * (tieEmbeddings ? 1 : 2);
    return layers * perLayer + embed + (norm == Norm.RMS_NORM ? dModel : 0);
  }

  /** The same shape with another vocabulary (a preset fitted to a tokenizer). */
  public ModelConfig withVocab(int v) {
    return toBuilder().vocab(v).build();
  }

  /** The same shape with another context length. */
  public ModelConfig withContext(int c) {
    return toBuilder().context(c).build();
  }

  /** Forward-pass FLOPs per token (2 per multiply-add, attention included), for MFU. */
  public double flopsPerToken() {
    double matmuls =
        2.0 * (layers * (4.0 * dModel * dModel + 3.0 * dModel * dMlp) + (double) vocab * dModel);
    double attention =
        2.0 * layers * context * dModel; // scores and weighted sum, averaged over positions
    return matmuls + attention;
  }
}
