package org.antidote.model;

import java.util.Locale;

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
        default ->
            throw new IllegalArgumentException("norm '" + s + "' is not layernorm or rmsnorm");
      };
    }
  }

  public ModelConfig {
    require(layers >= 1, "layers must be >= 1, got " + layers);
    require(heads >= 1, "heads must be >= 1, got " + heads);
    require(
        dModel >= 1 && dModel % heads == 0,
        "d_model " + dModel + " must be a positive multiple of heads " + heads);
    require(
        (dModel / heads) % 2 == 0,
        "d_head = d_model / heads = " + dModel / heads + " must be even for rotary embeddings");
    require(dMlp >= 1, "d_mlp must be >= 1, got " + dMlp);
    require(context >= 2, "context must be >= 2, got " + context);
    require(vocab >= 2, "vocab must be >= 2, got " + vocab);
    require(ropeTheta > 1, "rope theta must be > 1, got " + ropeTheta);
    require(norm != null, "norm must be layernorm or rmsnorm");
    require(initStd > 0 && initStd < 1, "init std must be in (0, 1), got " + initStd);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("model config: " + message);
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
    return new ModelConfig(
        layers, heads, dModel, dMlp, context, v, ropeTheta, norm, tieEmbeddings, initStd);
  }

  /** The same shape with another context length. */
  public ModelConfig withContext(int c) {
    return new ModelConfig(
        layers, heads, dModel, dMlp, c, vocab, ropeTheta, norm, tieEmbeddings, initStd);
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
