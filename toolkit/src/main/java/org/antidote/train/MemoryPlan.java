package org.antidote.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.model.ModelConfig;
import org.antidote.model.Precision;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * What one training configuration needs in memory and time, computed from the model's shape and the
 * way {@link org.antidote.model.Transformer} computes: every tensor a forward pass makes stays
 * alive in the micro-batch's manager until backward is done, so activation memory is the sum of
 * every intermediate of the pass (counted per token below), not only what autograd saves.
 *
 * <p>Per token and block, in float32 values: the first norm (d), Q, K, V (3d), rotary positions on
 * Q and K (8d: four half-width products and two sums each, and the concatenation), the contiguous
 * copies the batched products make of Q, K and V (3d), scores, their scaling, the mask and the
 * softmax (4 x heads x context), the attention output and its reshape (2d), the output projection
 * and residual sum (2d), the second norm (d), the MLP's gate, sigmoid, product, up and gated
 * product (5 x d_mlp), and its projection and residual sum (2d). The head adds the final norm (d),
 * the logits and their log-softmax (2 x vocab). float16 products add a 2-byte copy of every
 * product's inputs and its 2-byte result. Checkpointing keeps one residual stream per block plus
 * the larger of one block's and the head's activations.
 *
 * <p>Fixed memory: float32 weights, gradients and two AdamW moments (16 bytes per parameter), plus
 * the float16 copies of the weights that the products of one step hold (2 bytes). A plan fits when
 * fixed plus activation memory is at most {@link #USABLE} of the device's.
 *
 * @param model the model's shape
 * @param batch sequences per micro-batch
 * @param context positions per sequence
 * @param gradAccum micro-batches per optimiser step
 * @param precision format of the matrix products
 * @param checkpointActivations whether blocks are recomputed in backward
 * @param deviceBytes the device's memory
 * @param gpu the GPU whose peak the time uses
 * @param mfu model FLOPs utilisation assumed
 * @param tokens training tokens of one run
 * @param gridRuns runs in the grid (the paper's: 6 toxic shares x 2 seeds)
 * @param gridTokens training tokens of the whole grid
 */
public record MemoryPlan(
    ModelConfig model,
    int batch,
    int context,
    int gradAccum,
    Precision precision,
    boolean checkpointActivations,
    long deviceBytes,
    Gpu gpu,
    double mfu,
    long tokens,
    int gridRuns,
    long gridTokens)
    implements Displayable {

  /** Share of the device's memory a plan may use (the rest: CUDA context, allocator slack). */
  public static final double USABLE = 0.9;

  /**
   * Clean tokens of each of the paper's runs, and its toxic shares of the final mixture (2 seeds
   * each).
   */
  public static final long PAPER_CLEAN_TOKENS = 20_100_000_000L;

  public static final double[] PAPER_SHARES = {0, 0.05, 0.10, 0.15, 0.20, 0.25};
  public static final int PAPER_SEEDS = 2;

  /** Peak dense throughput and memory of the GPUs a plan can be made for. */
  public enum Gpu {
    /** NVIDIA H100 SXM: 989 TFLOP/s dense bf16/fp16 tensor cores, 67 TFLOP/s fp32, 80 GB. */
    H100(989.4e12, 66.9e12, 80L * 1000 * 1000 * 1000),
    /** NVIDIA H200 SXM: the H100's compute with 141 GB of HBM3e. */
    H200(989.4e12, 66.9e12, 141L * 1000 * 1000 * 1000);

    private final double halfPeak;
    private final double fp32Peak;
    private final long bytes;

    Gpu(double halfPeak, double fp32Peak, long bytes) {
      this.halfPeak = halfPeak;
      this.fp32Peak = fp32Peak;
      this.bytes = bytes;
    }

    /** Peak FLOP/s of matrix products in {@code p} (fp32 without TF32, libtorch's default). */
    public double peak(Precision p) {
      return p == Precision.FP32 ? fp32Peak : halfPeak;
    }

    /** The GPU's memory in bytes. */
    public long bytes() {
      return bytes;
    }

    /** Parses "h100" or "h200". */
    public static Gpu parse(String s) {
      try {
        return valueOf(s.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--gpu must be H100 or H200, got '" + s + "'");
      }
    }
  }

  public MemoryPlan {
    Check.input(
        batch >= 1 && context >= 1 && gradAccum >= 1,
        "plan: batch, context and grad-accum must be >= 1, got "
            + batch
            + ", "
            + context
            + ", "
            + gradAccum);
    Check.input(
        context <= model.context(),
        "plan: --context " + context + " exceeds the model's " + model.context());
    Check.input(mfu > 0 && mfu <= 1, "plan: --mfu must be in (0, 1], got " + mfu);
    Check.input(deviceBytes >= 1 && tokens >= 1, "plan: device memory and tokens must be positive");
  }

  /**
   * A plan for one of the paper's runs on {@code gpu}, with its memory unless {@code deviceBytes} >
   * 0.
   */
  public static MemoryPlan of(
      ModelConfig model,
      int batch,
      int context,
      int gradAccum,
      Precision precision,
      boolean checkpointActivations,
      long deviceBytes,
      Gpu gpu,
      double mfu,
      long tokens) {
    long grid = 0;
    for (double share : PAPER_SHARES) {
      grid += Math.round(PAPER_CLEAN_TOKENS / (1 - share)) * PAPER_SEEDS;
    }
    return new MemoryPlan(
        model,
        batch,
        context,
        gradAccum,
        precision,
        checkpointActivations,
        deviceBytes > 0 ? deviceBytes : gpu.bytes(),
        gpu,
        mfu,
        tokens,
        PAPER_SHARES.length * PAPER_SEEDS,
        grid);
  }

  /**
   * The plan of a training config on a device of {@code deviceBytes} (for {@link Trainer}'s check).
   */
  public static MemoryPlan of(TrainConfig c, long deviceBytes) {
    return of(
        c.model(),
        c.batchSize(),
        c.model().context(),
        c.gradAccum(),
        c.precision(),
        c.checkpointActivations(),
        deviceBytes,
        Gpu.H100,
        0.4,
        Math.max(1, (long) c.steps() * c.tokensPerStep()));
  }

  /** Trained parameters. */
  public long parameters() {
    return model.parameters();
  }

  /** Weights, gradients and AdamW moments in float32, and one step's half copies of the weights. */
  public long fixedBytes() {
    return 16 * parameters() + (precision == Precision.FP32 ? 0 : 2 * parameters());
  }

  /** Optimiser state alone (the two moments). */
  public long optimizerBytes() {
    return 8 * parameters();
  }

  /** Bytes one block's activations take per token. */
  long blockBytesPerToken() {
    long d = model.dModel();
    long m = model.dMlp();
    long a = (long) model.heads() * context;
    long bytes = 4 * (22 * d + 5 * m + 4 * a);
    if (precision != Precision.FP32) {
      bytes += 2 * ((7 * d + m + a) + (6 * d + 2 * m + a));
    }
    return bytes;
  }

  /** Bytes the head (final norm, logits, log-softmax) takes per token. */
  long headBytesPerToken() {
    long d = model.dModel();
    long v = model.vocab();
    return 4 * (d + 2 * v) + (precision == Precision.FP32 ? 0 : 2 * (d + v));
  }

  /** Activation bytes of one micro-batch, without or with checkpointing. */
  public long activationBytes(boolean checkpointed) {
    long tokensPerMicro = (long) batch * context;
    long d = model.dModel();
    if (!checkpointed) {
      return tokensPerMicro * (4 * d + model.layers() * blockBytesPerToken() + headBytesPerToken());
    }
    return tokensPerMicro
        * (4 * d * (model.layers() + 1) + Math.max(blockBytesPerToken(), headBytesPerToken()));
  }

  /** Fixed plus activation memory of this plan. */
  public long totalBytes() {
    return fixedBytes() + activationBytes(checkpointActivations);
  }

  /** Whether the plan fits in {@link #USABLE} of the device's memory. */
  public boolean fits() {
    return totalBytes() <= USABLE * deviceBytes;
  }

  /** The largest micro-batch that fits, 0 if not even one sequence does. */
  public int largestBatch(boolean checkpointed) {
    long free = (long) (USABLE * deviceBytes) - fixedBytes();
    long perSequence = activationBytes(checkpointed) / batch;
    return free <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, free / perSequence);
  }

  /**
   * Model FLOPs per trained token: three forward passes' worth ({@link ModelConfig#flopsPerToken}).
   */
  public double flopsPerToken() {
    return 3 * model.withContext(context).flopsPerToken();
  }

  /** FLOPs the hardware does per token: checkpointing adds one more forward pass of the blocks. */
  public double hardwareFlopsPerToken() {
    if (!checkpointActivations) {
      return flopsPerToken();
    }
    return flopsPerToken()
        + model.withContext(context).flopsPerToken()
        - 2.0 * model.vocab() * model.dModel();
  }

  /** Seconds to train {@code n} tokens at the plan's MFU of the GPU's peak. */
  public double seconds(long n) {
    return n * hardwareFlopsPerToken() / (mfu * gpu.peak(precision));
  }

  /** One sentence for a refusal: what is needed, what the device has, and the way out. */
  public String refusal(String device) {
    return String.format(
        Locale.ROOT,
        "this configuration needs about %s (%s weights, gradients and optimiser state"
            + " + %s activations for a micro-batch of %d sequences x %d positions of --context) but %s has %s (%.0f %% usable); the largest micro-batch"
            + " that fits is %d (%d with --checkpoint-activations): lower --batch-size (or --context) and raise --grad-accum"
            + " (./antidote plan shows the numbers)",
        gb(totalBytes()),
        gb(fixedBytes()),
        gb(activationBytes(checkpointActivations)),
        batch,
        context,
        device,
        gb(deviceBytes),
        100 * USABLE,
        largestBatch(false),
        largestBatch(true));
  }

  @Override
  public Table table() {
    List<String[]> rows = new ArrayList<>();
    rows.add(
        new String[] {
          "model",
          model.layers()
              + " layers x "
              + model.heads()
              + " heads x "
              + model.dModel()
              + " (MLP "
              + model.dMlp()
              + ", vocabulary "
              + model.vocab()
              + ")"
        });
    rows.add(
        new String[] {
          "parameters", String.format(Locale.ROOT, "%,d (%.3g B)", parameters(), parameters() / 1e9)
        });
    rows.add(new String[] {"weights + gradients (fp32)", gb(8 * parameters())});
    rows.add(new String[] {"optimiser state (AdamW m, v)", gb(optimizerBytes())});
    if (precision != Precision.FP32) {
      rows.add(new String[] {"half copies of weights", gb(2 * parameters())});
    }
    rows.add(
        new String[] {
          "micro-batch",
          batch
              + " x "
              + context
              + " tokens, "
              + gradAccum
              + " per step, "
              + precision.name().toLowerCase(Locale.ROOT)
        });
    rows.add(new String[] {"activations per micro-batch", gb(activationBytes(false))});
    rows.add(new String[] {"activations, checkpointed", gb(activationBytes(true))});
    rows.add(
        new String[] {
          "total (" + (checkpointActivations ? "checkpointed" : "plain") + ")",
          gb(totalBytes()) + (fits() ? " fits in " : " does NOT fit in ") + gb(deviceBytes)
        });
    rows.add(
        new String[] {
          "largest micro-batch that fits",
          largestBatch(false) + " plain, " + largestBatch(true) + " checkpointed"
        });
    rows.add(
        new String[] {
          "FLOPs per token",
          String.format(
              Locale.ROOT, "%.3g model, %.3g hardware", flopsPerToken(), hardwareFlopsPerToken())
        });
    String peak =
        String.format(
            Locale.ROOT,
            "%s %s peak %.0f TFLOP/s at %.0f %% MFU",
            gpu,
            precision == Precision.FP32 ? "fp32" : "half-precision dense",
            gpu.peak(precision) / 1e12,
            100 * mfu);
    rows.add(
        new String[] {
          "one run: " + String.format(Locale.ROOT, "%.3g", (double) tokens) + " tokens",
          duration(seconds(tokens)) + " on one " + peak
        });
    rows.add(
        new String[] {
          "paper's grid: "
              + gridRuns
              + " runs, "
              + String.format(Locale.ROOT, "%.3g", (double) gridTokens)
              + " tokens",
          duration(seconds(gridTokens))
              + " GPU time ("
              + String.format(Locale.ROOT, "%.0f", seconds(gridTokens) / 3600)
              + " GPU-hours)"
        });
    Table t = Table.create("plan");
    t.addColumns(
        StringColumn.create("quantity", rows.stream().map(r -> r[0]).toList()),
        StringColumn.create("value", rows.stream().map(r -> r[1]).toList()));
    return t;
  }

  @Override
  public String toString() {
    return table().print(100);
  }

  static String gb(long bytes) {
    return bytes >= 1e9
        ? String.format(Locale.ROOT, "%.2f GB", bytes / 1e9)
        : String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
  }

  static String duration(double s) {
    if (s < 3600) {
      return String.format(Locale.ROOT, "%.1f min", s / 60);
    }
    if (s < 3 * 86400) {
      return String.format(Locale.ROOT, "%.1f h", s / 3600);
    }
    return String.format(Locale.ROOT, "%.1f days", s / 86400);
  }
}
