package org.antidote.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.SafeTensors.Tensor;

/**
 * A decoder-only transformer in OLMo's recipe: token embedding, blocks of (norm, causal
 * self-attention with rotary positions, residual add, norm, SwiGLU MLP, residual add), a final
 * norm and the unembedding. No biases, except an optional attention-output bias per block that
 * only a baked-in intervention sets.
 *
 * <p>Parameters live in the model's own {@link NDManager}; every tensor a forward pass makes lives
 * in the manager of its input tokens, so a caller that makes the tokens in a sub-manager and
 * closes it frees everything the pass made.
 *
 * <p>Parameter names follow TransformerLens: {@code embed.W_E}, {@code blocks.{l}.attn.W_QKV},
 * {@code blocks.{l}.attn.W_O}, {@code blocks.{l}.mlp.W_gate|W_up|W_down}, {@code blocks.{l}.ln1.w}
 * and {@code ln2.w} (RMSNorm only), {@code ln_final.w} (RMSNorm only), {@code unembed.W_U} (untied
 * only), {@code blocks.{l}.attn.b_O} (baked-in interventions only).
 */
public final class Transformer implements AutoCloseable {

  private static final float NORM_EPS = 1e-5f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final NDArray[] attnBias;
  private final float[] ropeInvFreq;
  private final NDArray lnOnes;
  private final NDArray lnZeros;
  private Precision precision = Precision.FP32;

  private Transformer(ModelConfig config, Device device) {
    this.config = config;
    this.manager = NDManager.newBaseManager(device);
    this.attnBias = new NDArray[config.layers()];
    int half = config.dHead() / 2;
    this.ropeInvFreq = new float[half];
    for (int i = 0; i < half; i++) {
      ropeInvFreq[i] = (float) StrictMath.pow(config.ropeTheta(), -2.0 * i / config.dHead());
    }
    this.lnOnes = manager.ones(new Shape(config.dModel()));
    this.lnZeros = manager.zeros(new Shape(config.dModel()));
  }

  /** The device training and inference use by default: {@link Devices#auto()}. */
  public static Device defaultDevice() {
    return Devices.auto();
  }

  /** A freshly initialised model on the default device. */
  public static Transformer create(ModelConfig config, long seed) {
    return create(config, seed, defaultDevice());
  }

  /**
   * A freshly initialised model: weights drawn from N(0, initStd) by a Java RNG seeded with
   * {@code seed} (so the same seed gives the same weights on any device), output projections
   * scaled down by sqrt(2 * layers) as in GPT-2 and OLMo, norm scales at one.
   */
  public static Transformer create(ModelConfig config, long seed, Device device) {
    Transformer t = new Transformer(config, device);
    SplittableRandom rng = new SplittableRandom(seed);
    for (Map.Entry<String, long[]> e : t.parameterShapes().entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
      float[] values = new float[n];
      if (name.endsWith(".w")) {
        java.util.Arrays.fill(values, 1f);
      } else {
        double std = config.initStd();
        if (name.endsWith("W_O") || name.endsWith("W_down")) {
          std /= Math.sqrt(2.0 * config.layers());
        }
        for (int i = 0; i < n; i++) {
          values[i] = (float) (Numerics.gaussian(rng) * std);
        }
      }
      t.addParameter(name, values, shape);
    }
    return t;
  }

  /** A model from saved tensors (see {@link #state()}); shapes must match {@code config}. */
  public static Transformer fromState(ModelConfig config, Map<String, Tensor> state, Device device) {
    Transformer t = new Transformer(config, device);
    for (Map.Entry<String, long[]> e : t.parameterShapes().entrySet()) {
      Tensor saved = state.get(e.getKey());
      if (saved == null) {
        throw new IllegalArgumentException("saved weights lack " + e.getKey() + " (have " + state.keySet() + ")");
      }
      if (!java.util.Arrays.equals(saved.shape(), e.getValue())) {
        throw new IllegalArgumentException("saved " + e.getKey() + " has shape " + java.util.Arrays.toString(saved.shape())
            + " but this config needs " + java.util.Arrays.toString(e.getValue()));
      }
      t.addParameter(e.getKey(), saved.floats(), e.getValue());
    }
    for (int l = 0; l < config.layers(); l++) {
      Tensor b = state.get("blocks." + l + ".attn.b_O");
      if (b != null) {
        t.setAttentionOutputBias(l, b.floats());
      }
    }
    return t;
  }

  private void addParameter(String name, float[] values, long[] shape) {
    NDArray p = manager.create(values, new Shape(shape));
    p.setRequiresGradient(true);
    params.put(name, p);
  }

  /** Names and shapes of the trained parameters, in a fixed order. */
  public Map<String, long[]> parameterShapes() {
    int d = config.dModel();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("embed.W_E", new long[] {config.vocab(), d});
    boolean rms = config.norm() == ModelConfig.Norm.RMS_NORM;
    for (int l = 0; l < config.layers(); l++) {
      String b = "blocks." + l + ".";
      if (rms) {
        s.put(b + "ln1.w", new long[] {d});
      }
      s.put(b + "attn.W_QKV", new long[] {d, 3L * d});
      s.put(b + "attn.W_O", new long[] {d, d});
      if (rms) {
        s.put(b + "ln2.w", new long[] {d});
      }
      s.put(b + "mlp.W_gate", new long[] {d, config.dMlp()});
      s.put(b + "mlp.W_up", new long[] {d, config.dMlp()});
      s.put(b + "mlp.W_down", new long[] {config.dMlp(), d});
    }
    if (rms) {
      s.put("ln_final.w", new long[] {d});
    }
    if (!config.tieEmbeddings()) {
      s.put("unembed.W_U", new long[] {d, config.vocab()});
    }
    return s;
  }

  /** The model's shape. */
  public ModelConfig config() {
    return config;
  }

  /** The manager that owns the parameters. */
  public NDManager manager() {
    return manager;
  }

  /** The device the parameters live on. */
  public Device device() {
    return manager.getDevice();
  }

  /** The trained parameters by name (live arrays: the optimiser updates them in place). */
  public Map<String, NDArray> parameters() {
    return Collections.unmodifiableMap(params);
  }

  /**
   * Computes matrix products in {@code p} (mixed precision); parameters, norms, softmax and the loss
   * stay float32. Check {@link DtypeSupport#supported} first: an unsupported type can abort the JVM.
   */
  public Transformer precision(Precision p) {
    this.precision = p;
    return this;
  }

  /** The format of the matrix products. */
  public Precision precision() {
    return precision;
  }

  /**
   * Sets a bias added after block {@code layer}'s attention output projection: the baked-in form
   * of an intervention. Null removes it.
   */
  public void setAttentionOutputBias(int layer, float[] bias) {
    if (attnBias[layer] != null) {
      attnBias[layer].close();
      attnBias[layer] = null;
    }
    if (bias != null) {
      if (bias.length != config.dModel()) {
        throw new IllegalArgumentException("bias must have d_model = " + config.dModel() + " values, got " + bias.length);
      }
      attnBias[layer] = manager.create(bias);
    }
  }

  /** Weights (and any baked-in biases) as tensors, for checkpoints and {@code model.safetensors}. */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    params.forEach((name, p) -> out.put(name, Tensor.f32(p.getShape().getShape(), p.toFloatArray())));
    for (int l = 0; l < config.layers(); l++) {
      if (attnBias[l] != null) {
        out.put("blocks." + l + ".attn.b_O", Tensor.f32(new long[] {config.dModel()}, attnBias[l].toFloatArray()));
      }
    }
    return out;
  }

  /** Overwrites the weights in place with saved values (same names and shapes). */
  public void loadState(Map<String, Tensor> state) {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      Tensor t = state.get(e.getKey());
      if (t == null || !java.util.Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
        throw new IllegalArgumentException("saved weights do not fit this model at " + e.getKey());
      }
      e.getValue().set(java.nio.FloatBuffer.wrap(t.floats()));
    }
  }

  // ---- forward ------------------------------------------------------------------------------

  /** Logits [B, T, vocab] for token ids [B, T]. */
  public NDArray forward(NDArray tokens) {
    return forward(tokens, Hooks.none(), null);
  }

  /** Logits [B, T, vocab], with this call's hooks. */
  public NDArray forward(NDArray tokens, Hooks hooks) {
    return forward(tokens, hooks, null);
  }

  /**
   * Logits [B, T, vocab] for token ids [B, T] (int64), with hooks, continuing the positions held
   * in {@code cache} when it is not null (and adding this call's keys and values to it).
   */
  public NDArray forward(NDArray tokens, Hooks hooks, KvCache cache) {
    NDManager m = tokens.getManager();
    long[] shape = tokens.getShape().getShape();
    if (shape.length != 2) {
      throw new IllegalArgumentException("tokens must be [batch, positions], got " + tokens.getShape());
    }
    int batch = (int) shape[0];
    int t = (int) shape[1];
    int offset = cache == null ? 0 : cache.length();
    if (cache == null && t > config.context()) {
      throw new IllegalArgumentException(t + " positions exceed the model's context of " + config.context());
    }
    int dh = config.dHead();

    NDArray[] rope = ropeTables(m, offset, t);
    NDArray mask = causalMask(m, offset, t);
    // A tensor, not a Number: DJL's mul(Number) wraps the number in a from_blob tensor and closes
    // it at once, but autograd saves it for backward, which then reads freed memory. This one lives
    // in the call's manager until the caller closes it, after backward.
    NDArray attnScale = m.create(1.0 / Math.sqrt(dh));
    if (cache != null && cache.keyMask() != null) {
      mask = mask.add(cache.keyMask()); // [B, 1, T, S]
    }

    NDArray x = own(Embedding.embedding(tokens, params.get("embed.W_E"), SparseFormat.DENSE).singletonOrThrow(), m);
    x = blocks(0, config.layers(), x, new Pass(batch, t, rope, mask, attnScale, hooks, cache));
    if (cache != null) {
      cache.advance(t);
    }
    return head(x);
  }

  /** What every block of one forward pass shares. */
  private record Pass(int batch, int t, NDArray[] rope, NDArray mask, NDArray attnScale, Hooks hooks, KvCache cache) {}

  /** The final norm and the unembedding: logits for the last residual stream. */
  private NDArray head(NDArray x) {
    NDArray out = norm(x, "ln_final.w");
    NDArray unembed = config.tieEmbeddings() ? own(params.get("embed.W_E").transpose(), x.getManager())
        : params.get("unembed.W_U");
    return mm(out, unembed);
  }

  /** Runs blocks {@code from} (inclusive) to {@code to} (exclusive) on the residual stream {@code x}. */
  private NDArray blocks(int from, int to, NDArray x, Pass p) {
    int batch = p.batch();
    int t = p.t();
    int d = config.dModel();
    int h = config.heads();
    int dh = config.dHead();
    Hooks hooks = p.hooks();
    KvCache cache = p.cache();
    NDArray[] rope = p.rope();
    NDArray mask = p.mask();
    NDArray attnScale = p.attnScale();
    boolean hooked = !hooks.isEmpty();
    for (int l = from; l < to; l++) {
      String b = "blocks." + l + ".";
      if (hooked) {
        x = hooks.run(b + HookName.Point.RESID_PRE.suffix(), x);
      }
      NDArray n1 = norm(x, b + "ln1.w");
      NDList qkv = mm(n1, params.get(b + "attn.W_QKV")).split(3, 2);
      NDArray q = applyRope(qkv.get(0).reshape(batch, t, h, dh), rope).transpose(0, 2, 1, 3);
      NDArray k = applyRope(qkv.get(1).reshape(batch, t, h, dh), rope).transpose(0, 2, 1, 3);
      NDArray v = qkv.get(2).reshape(batch, t, h, dh).transpose(0, 2, 1, 3);
      if (cache != null) {
        NDArray[] kv = cache.append(l, k, v);
        k = kv[0];
        v = kv[1];
      }
      NDArray scores = mm(q, k.transpose(0, 1, 3, 2)).mul(attnScale).add(mask);
      NDArray pattern = scores.softmax(-1);
      if (hooked) {
        pattern = hooks.run(b + HookName.Point.ATTN_PATTERN.suffix(), pattern);
      }
      NDArray z = mm(pattern, v).transpose(0, 2, 1, 3); // [B, T, H, dh]
      if (hooked) {
        z = hooks.run(b + HookName.Point.ATTN_Z.suffix(), z);
      }
      NDArray attnOut = mm(z.reshape(batch, t, d), params.get(b + "attn.W_O"));
      if (attnBias[l] != null) {
        attnOut = attnOut.add(attnBias[l]);
      }
      if (hooked) {
        attnOut = hooks.run(b + HookName.Point.ATTN_OUT.suffix(), attnOut);
      }
      x = x.add(attnOut);
      if (hooked) {
        x = hooks.run(b + HookName.Point.RESID_MID.suffix(), x);
      }
      NDArray n2 = norm(x, b + "ln2.w");
      NDArray gate = mm(n2, params.get(b + "mlp.W_gate"));
      NDArray post = gate.mul(Activation.sigmoid(gate)).mul(mm(n2, params.get(b + "mlp.W_up")));
      if (hooked) {
        post = hooks.run(b + HookName.Point.MLP_POST.suffix(), post);
      }
      NDArray mlpOut = mm(post, params.get(b + "mlp.W_down"));
      if (hooked) {
        mlpOut = hooks.run(b + HookName.Point.MLP_OUT.suffix(), mlpOut);
      }
      x = x.add(mlpOut);
      if (hooked) {
        x = hooks.run(b + HookName.Point.RESID_POST.suffix(), x);
      }
    }
    return x;
  }

  /**
   * One micro-batch's backward pass: adds to every parameter's gradient the gradient of
   * {@code objective(loss)}, where loss is the mean cross-entropy of {@code targets} given
   * {@code inputs}, and returns the loss. Call it outside any gradient collector.
   *
   * <p>With {@code checkpointActivations}, the forward pass keeps only each block's input, and
   * backward recomputes one block at a time from it: memory for activations drops from every block's
   * to one block's plus a residual stream per block, for about one more forward pass of compute. The
   * gradients are the same bits as the plain path's when this is the micro-batch's only contribution
   * (each block's graph is rebuilt from the same input by the same ops, and its output receives the
   * same gradient); across accumulated micro-batches a tied embedding's two contributions are added
   * to the running gradient one at a time instead of as their sum, which may differ in the last bit.
   */
  public float backward(NDArray inputs, NDArray targets, java.util.function.UnaryOperator<NDArray> objective,
      boolean checkpointActivations) {
    if (!checkpointActivations) {
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = loss(inputs, targets);
        gc.backward(objective.apply(loss));
        return loss.getFloat();
      }
    }
    NDManager m = inputs.getManager();
    int t = (int) inputs.getShape().get(1);
    int layers = config.layers();
    Pass pass = new Pass((int) inputs.getShape().get(0), t, ropeTables(m, 0, t), causalMask(m, 0, t),
        m.create(1.0 / Math.sqrt(config.dHead())), Hooks.none(), null);
    // Forward without a graph (no collector is open), keeping only each block's input.
    NDArray[] stream = new NDArray[layers + 1];
    stream[0] = own(Embedding.embedding(inputs, params.get("embed.W_E"), SparseFormat.DENSE).singletonOrThrow(), m);
    for (int l = 0; l < layers; l++) {
      try (NDManager block = m.newSubManager()) {
        NDArray out = blocks(l, l + 1, inBlock(stream[l], block, false), pass);
        out.attach(m);
        stream[l + 1] = out;
      }
    }
    float lossValue;
    NDArray grad;
    try (NDManager seg = m.newSubManager()) {
      NDArray x = inBlock(stream[layers], seg, true);
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = crossEntropy(head(x), targets);
        gc.backward(objective.apply(loss));
        lossValue = loss.getFloat();
      }
      grad = keep(x.getGradient(), m);
    }
    for (int l = layers - 1; l >= 0; l--) {
      try (NDManager seg = m.newSubManager()) {
        NDArray x = inBlock(stream[l], seg, true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
          // d(sum(out * g))/d(out) is g exactly, so the block's backward sees the plain path's gradient.
          gc.backward(blocks(l, l + 1, x, pass).mul(grad).sum());
        }
        grad = keep(x.getGradient(), m);
      }
    }
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      NDArray embedded = own(Embedding.embedding(inputs, params.get("embed.W_E"), SparseFormat.DENSE).singletonOrThrow(), m);
      gc.backward(embedded.mul(grad).sum());
    }
    return lossValue;
  }

  /** A copy of {@code x} in {@code manager}, so the ops on it (and their results) live and die there. */
  private static NDArray inBlock(NDArray x, NDManager manager, boolean leaf) {
    NDArray copy = x.duplicate();
    copy.attach(manager);
    if (leaf) {
      copy.setRequiresGradient(true);
    }
    return copy;
  }

  /** A copy of a gradient that outlives the segment whose leaf it belongs to. */
  private static NDArray keep(NDArray gradient, NDManager manager) {
    NDArray copy = gradient.duplicate();
    copy.attach(manager);
    return copy;
  }

  /** Mean next-token cross-entropy (nats) of {@code targets} [B, T] given {@code inputs} [B, T]. */
  public NDArray loss(NDArray inputs, NDArray targets) {
    return crossEntropy(forward(inputs), targets);
  }

  /** Mean cross-entropy of {@code targets} under {@code logits}. */
  public static NDArray crossEntropy(NDArray logits, NDArray targets) {
    return tokenLogProbs(logits, targets).mean().neg();
  }

  /** Log-probability [B, T] of each target token under {@code logits} [B, T, V]. */
  public static NDArray tokenLogProbs(NDArray logits, NDArray targets) {
    return logits.logSoftmax(-1).gather(targets.expandDims(-1), -1).squeeze(-1);
  }

  private NDArray norm(NDArray x, String weight) {
    if (config.norm() == ModelConfig.Norm.LAYER_NORM) {
      return own(LayerNorm.layerNorm(x, new Shape(config.dModel()), lnOnes, lnZeros, NORM_EPS).singletonOrThrow(),
          x.getManager());
    }
    // pow(Number) would save a scalar tensor for backward that DJL frees at once: see forward.
    NDArray rms = x.square().mean(new int[] {-1}, true).add(NORM_EPS).pow(x.getManager().create(-0.5));
    return x.mul(rms).mul(params.get(weight));
  }

  private NDArray mm(NDArray a, NDArray b) {
    if (precision == Precision.FP32) {
      return a.matMul(b);
    }
    return cast(cast(a, precision.dataType()).matMul(cast(b, precision.dataType())), DataType.FLOAT32);
  }

  /**
   * Converts {@code x} to {@code type} inside the autograd graph. Not {@code toType}: DJL's
   * {@code torchTo} runs under a {@code NoGradGuard}, so its result has no gradient history and
   * nothing before it would train. A cumulative product over a new axis of length one is the
   * identity with a dtype argument that autograd differentiates (the gradient is cast back).
   */
  static NDArray cast(NDArray x, DataType type) {
    if (x.getDataType() == type) {
      return x;
    }
    return x.expandDims(-1).cumProd(-1, type).squeeze(-1);
  }

  /** Cos and sin of each position's rotary angles, [T, 1, d_head / 2], in the call's manager. */
  private NDArray[] ropeTables(NDManager m, int offset, int t) {
    int half = ropeInvFreq.length;
    float[] cos = new float[t * half];
    float[] sin = new float[t * half];
    for (int p = 0; p < t; p++) {
      for (int i = 0; i < half; i++) {
        double angle = (offset + p) * (double) ropeInvFreq[i];
        // StrictMath, not Math: the same bits in every JVM, interpreted or compiled (Math.cos is
        // allowed to differ in the last bit).
        cos[p * half + i] = (float) StrictMath.cos(angle);
        sin[p * half + i] = (float) StrictMath.sin(angle);
      }
    }
    Shape s = new Shape(t, 1, half);
    return new NDArray[] {m.create(cos, s), m.create(sin, s)};
  }

  /** Rotates pairs (i, i + d_head/2) of [B, T, H, d_head] by each position's angles (NeoX layout). */
  private static NDArray applyRope(NDArray x, NDArray[] rope) {
    NDList halves = x.split(2, 3);
    NDArray x1 = halves.get(0);
    NDArray x2 = halves.get(1);
    NDArray cos = rope[0];
    NDArray sin = rope[1];
    return x1.mul(cos).sub(x2.mul(sin)).concat(x2.mul(cos).add(x1.mul(sin)), 3);
  }

  /** [T, S] with 0 where query t may see key s (s <= offset + t) and -inf elsewhere. */
  private static NDArray causalMask(NDManager m, int offset, int t) {
    int s = offset + t;
    float[] mask = new float[t * s];
    for (int q = 0; q < t; q++) {
      for (int k = offset + q + 1; k < s; k++) {
        mask[q * s + k] = Float.NEGATIVE_INFINITY;
      }
    }
    return m.create(mask, new Shape(t, s));
  }

  /** Moves a result into the call's manager when an op placed it with a parameter. */
  private static NDArray own(NDArray a, NDManager m) {
    if (a.getManager() != m) {
      a.attach(m);
    }
    return a;
  }


  /** Number of trained parameters. */
  public long parameterCount() {
    long n = 0;
    for (NDArray p : params.values()) {
      n += p.size();
    }
    return n;
  }

  /** Names of every hook point this model passes, in forward order. */
  public List<String> hookNames() {
    List<String> names = new ArrayList<>();
    for (int l = 0; l < config.layers(); l++) {
      for (HookName.Point p : HookName.Point.values()) {
        names.add(HookName.of(l, p));
      }
    }
    return names;
  }

  @Override
  public void close() {
    manager.close();
  }
}
