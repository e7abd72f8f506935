package org.antidote.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;
import org.antidote.io.BadInputException;
import org.antidote.io.SafeTensors.Tensor;
import org.antidote.math.Numerics;

/**
 * A decoder-only transformer in OLMo's recipe: token embedding, blocks of (norm, causal
 * self-attention with rotary positions, residual add, norm, SwiGLU MLP, residual add), a final norm
 * and the unembedding. No biases, except an optional attention-output bias per block that only a
 * baked-in intervention sets.
 *
 * <p>Parameters live in the model's own {@link NDManager}; every tensor a forward pass makes lives
 * in the manager of its input tokens, so a caller that makes the tokens in a sub-manager and closes
 * it frees everything the pass made.
 *
 * <p>Parameter names follow TransformerLens: {@code embed.W_E}, {@code blocks.{l}.attn.W_QKV},
 * {@code blocks.{l}.attn.W_O}, {@code blocks.{l}.mlp.W_gate|W_up|W_down}, {@code blocks.{l}.ln1.w}
 * and {@code ln2.w} (RMSNorm only), {@code ln_final.w} (RMSNorm only), {@code unembed.W_U} (untied
 * only), {@code blocks.{l}.attn.b_O} (baked-in interventions only).
 */
public final class Transformer implements AutoCloseable {

  private final ModelConfig config;
  private final Architecture arch;
  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  private final NDArray[] attnBias;
  private final HookName.Layer[] hookNames;
  private final float[] ropeInvFreq;
  private final NDArray lnOnes;
  private final NDArray lnZeros;
  private Precision precision = Precision.FP32;

  private Transformer(ModelConfig config, Architecture arch, Device device) {
    arch.check(config);
    this.config = config;
    this.arch = arch;
    this.manager = NDManager.newBaseManager(device);
    this.attnBias = new NDArray[config.layers()];
    this.hookNames = new HookName.Layer[config.layers()];
    for (int l = 0; l < config.layers(); l++) {
      hookNames[l] = HookName.layer(l);
    }
    int half = arch.rotaryDims() / 2;
    this.ropeInvFreq = new float[half];
    for (int i = 0; i < half; i++) {
      ropeInvFreq[i] =
          (float)
              (StrictMath.pow(config.ropeTheta(), -2.0 * i / arch.rotaryDims()) / arch.ropeScale());
    }
    this.lnOnes = manager.ones(new Shape(config.dModel()));
    this.lnZeros = manager.zeros(new Shape(config.dModel()));
  }

  /**
   * An empty model of another wiring, for {@link Models} to fill with {@link #putParameter}; its
   * parameters do not record gradients.
   */
  static Transformer empty(ModelConfig config, Architecture arch, Device device) {
    return new Transformer(config, arch, device);
  }

  /**
   * Sets parameter {@code name}, which must be one of {@link #parameterShapes()} with its shape.
   */
  void putParameter(String name, NDArray value) {
    long[] want = parameterShapes().get(name);
    if (want == null || !Arrays.equals(want, value.getShape().getShape())) {
      throw new BadInputException(
          name
              + " of shape "
              + value.getShape()
              + " is not a parameter of this model"
              + (want == null ? "" : " (expected " + Arrays.toString(want) + ")"));
    }
    value.attach(manager);
    params.put(name, value);
  }

  /**
   * The device training and inference use by default: the first GPU if DJL sees one, else the CPU.
   */
  public static Device defaultDevice() {
    return Devices.auto();
  }

  /** A freshly initialised model on the default device. */
  public static Transformer create(ModelConfig config, long seed) {
    return create(config, seed, defaultDevice());
  }

  /**
   * A freshly initialised model: weights drawn from N(0, initStd) by a Java RNG seeded with {@code
   * seed} (so the same seed gives the same weights on any device), output projections scaled down
   * by sqrt(2 * layers) as in GPT-2 and OLMo, norm scales at one.
   */
  public static Transformer create(ModelConfig config, long seed, Device device) {
    Transformer t = new Transformer(config, Architecture.of(config), device);
    SplittableRandom rng = new SplittableRandom(seed);
    for (Map.Entry<String, long[]> e : t.parameterShapes().entrySet()) {
      String name = e.getKey();
      long[] shape = e.getValue();
      int n = (int) (shape.length == 1 ? shape[0] : shape[0] * shape[1]);
      float[] values = new float[n];
      if (name.endsWith(".w")) {
        Arrays.fill(values, 1f);
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
  public static Transformer fromState(
      ModelConfig config, Map<String, Tensor> state, Device device) {
    Transformer t = new Transformer(config, Architecture.of(config), device);
    for (Map.Entry<String, long[]> e : t.parameterShapes().entrySet()) {
      Tensor saved = state.get(e.getKey());
      if (saved == null) {
        throw new BadInputException(
            "saved weights lack " + e.getKey() + " (have " + state.keySet() + ")");
      }
      if (!Arrays.equals(saved.shape(), e.getValue())) {
        throw new BadInputException(
            "saved "
                + e.getKey()
                + " has shape "
                + Arrays.toString(saved.shape())
                + " but this config needs "
                + Arrays.toString(e.getValue()));
      }
      t.addParameter(e.getKey(), saved.floats(), e.getValue());
    }
    for (int l = 0; l < config.layers(); l++) {
      Tensor b = state.get(t.hookNames[l].prefix() + "attn.b_O");
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
    int mlp = config.dMlp();
    Map<String, long[]> s = new LinkedHashMap<>();
    s.put("embed.W_E", new long[] {config.vocab(), d});
    if (arch.learnedPositions()) {
      s.put("pos.W_pos", new long[] {config.context(), d});
    }
    boolean rms = config.norm() == ModelConfig.Norm.RMS_NORM;
    boolean scaled = rms || arch.normAffine();
    for (int l = 0; l < config.layers(); l++) {
      String b = hookNames[l].prefix();
      normShapes(s, b + "ln1", scaled, d);
      s.put(b + "attn.W_QKV", new long[] {d, arch.qkvWidth(config)});
      if (arch.qkvBias()) {
        s.put(b + "attn.b_QKV", new long[] {arch.qkvWidth(config)});
      }
      if (arch.qkNorm()) {
        s.put(b + "attn.q_norm.w", new long[] {(long) config.heads() * config.dHead()});
        s.put(b + "attn.k_norm.w", new long[] {(long) arch.kvHeads() * config.dHead()});
      }
      s.put(b + "attn.W_O", new long[] {d, d});
      if (arch.outBias()) {
        s.put(b + "attn.b_O", new long[] {d});
      }
      normShapes(s, b + "ln2", scaled, d);
      if (arch.mlp() == Architecture.Mlp.SWIGLU) {
        s.put(b + "mlp.W_gate", new long[] {d, mlp});
      }
      s.put(b + "mlp.W_up", new long[] {d, mlp});
      if (arch.mlpBias()) {
        if (arch.mlp() == Architecture.Mlp.SWIGLU) {
          s.put(b + "mlp.b_gate", new long[] {mlp});
        }
        s.put(b + "mlp.b_up", new long[] {mlp});
      }
      s.put(b + "mlp.W_down", new long[] {mlp, d});
      if (arch.mlpBias()) {
        s.put(b + "mlp.b_down", new long[] {d});
      }
    }
    normShapes(s, "ln_final", scaled, d);
    if (!config.tieEmbeddings()) {
      s.put("unembed.W_U", new long[] {d, config.vocab()});
    }
    return s;
  }

  private void normShapes(Map<String, long[]> s, String name, boolean scaled, int d) {
    if (scaled) {
      s.put(name + ".w", new long[] {d});
    }
    if (arch.normAffine()) {
      s.put(name + ".b", new long[] {d});
    }
  }

  /** How the blocks are wired. */
  public Architecture architecture() {
    return arch;
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
   * Computes matrix products in {@code p} (mixed precision); parameters, norms, softmax and the
   * loss stay float32. Check {@link DtypeSupport#supported} first: an unsupported type can abort
   * the JVM.
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
   * Sets a bias added after block {@code layer}'s attention output projection: the baked-in form of
   * an intervention. Null removes it.
   */
  public void setAttentionOutputBias(int layer, float[] bias) {
    if (attnBias[layer] != null) {
      attnBias[layer].close();
      attnBias[layer] = null;
    }
    if (bias != null) {
      if (bias.length != config.dModel()) {
        throw new BadInputException(
            "bias must have d_model = " + config.dModel() + " values, got " + bias.length);
      }
      attnBias[layer] = manager.create(bias);
    }
  }

  /**
   * Weights (and any baked-in biases) as tensors, for checkpoints and {@code model.safetensors}.
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    params.forEach(
        (name, p) -> out.put(name, Tensor.f32(p.getShape().getShape(), p.toFloatArray())));
    for (int l = 0; l < config.layers(); l++) {
      if (attnBias[l] != null) {
        out.put(
            hookNames[l].prefix() + "attn.b_O",
            Tensor.f32(new long[] {config.dModel()}, attnBias[l].toFloatArray()));
      }
    }
    return out;
  }

  /** Overwrites the weights in place with saved values (same names and shapes). */
  public void loadState(Map<String, Tensor> state) {
    for (Map.Entry<String, NDArray> e : params.entrySet()) {
      Tensor t = state.get(e.getKey());
      if (t == null || !Arrays.equals(t.shape(), e.getValue().getShape().getShape())) {
        throw new BadInputException("saved weights do not fit this model at " + e.getKey());
      }
      e.getValue().set(FloatBuffer.wrap(t.floats()));
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
   * Logits [B, T, vocab] for token ids [B, T] (int64), with hooks, continuing the positions held in
   * {@code cache} when it is not null (and adding this call's keys and values to it).
   */
  public NDArray forward(NDArray tokens, Hooks hooks, KvCache cache) {
    Pass pass = begin(tokens, hooks, cache);
    NDArray x = embed(tokens, pass);
    for (int l = 0; l < config.layers(); l++) {
      x = block(l, x, pass);
    }
    return finish(x, pass);
  }

  /**
   * The logits [B, vocab] of the last position only, otherwise as {@link #forward(NDArray, Hooks,
   * KvCache)}: generation reads nothing else, and the unembedding of every prompt position is most
   * of a long prompt's cost at a small model's width.
   */
  public NDArray forwardLast(NDArray tokens, Hooks hooks, KvCache cache) {
    Pass pass = begin(tokens, hooks, cache);
    NDArray x = embed(tokens, pass);
    for (int l = 0; l < config.layers(); l++) {
      x = block(l, x, pass);
    }
    if (pass.cache != null) {
      pass.cache.advance(pass.t);
    }
    return head(x.get(":, -1, :"));
  }

  /**
   * One forward call's shared state: positions, rotary tables, causal mask, hooks and cache. Made
   * by {@link #begin}; its tensors live in the tokens' manager.
   */
  public final class Pass {
    private final NDManager m;
    private final int batch;
    private final int t;
    private final int offset;
    private final Hooks hooks;
    private final boolean hooked;
    private final KvCache cache;
    private final NDArray[] rope;
    private final NDArray attnScale;
    private NDArray mask;

    private Pass(NDManager m, int batch, int t, Hooks hooks, KvCache cache) {
      this.m = m;
      this.batch = batch;
      this.t = t;
      this.offset = cache == null ? 0 : cache.length();
      this.hooks = hooks;
      this.hooked = !hooks.isEmpty();
      this.cache = cache;
      this.rope = arch.learnedPositions() ? null : ropeTables(m, offset, t);
      this.mask = causalMask(m, offset, t);
      // A tensor, not a Number: DJL's mul(Number) wraps the number in a from_blob tensor and closes
      // it at once, but autograd saves it for backward, which then reads freed memory. This one
      // lives in the call's manager until the caller closes it, after backward.
      this.attnScale = m.create(1.0 / Math.sqrt(config.dHead()));
      if (cache != null && cache.keyMask() != null) {
        mask = mask.add(cache.keyMask()); // [B, 1, T, S]
      }
    }

    private NDArray hook(int layer, HookName.Point point, NDArray x) {
      return hooked ? hooks.run(hookNames[layer].name(point), x) : x;
    }

    // With no graph being recorded, a fresh temporary that no hook has seen is updated in place:
    // the same kernel, so the same bits, without allocating and writing a new tensor. Asked at
    // every call, not once per pass: checkpointed backward runs one pass with and without a graph.

    /** {@code fresh + b}, in place when no graph is recorded; {@code fresh} is a temporary. */
    private NDArray plus(NDArray fresh, NDArray b) {
      return JniUtils.isGradMode() ? fresh.add(b) : fresh.addi(b);
    }

    /** {@code fresh * b}, in place when no graph is recorded; {@code fresh} is a temporary. */
    private NDArray times(NDArray fresh, NDArray b) {
      return JniUtils.isGradMode() ? fresh.mul(b) : fresh.muli(b);
    }
  }

  /** Starts a forward call over {@code tokens} [B, T] (see {@link #embed} and {@link #block}). */
  public Pass begin(NDArray tokens, Hooks hooks, KvCache cache) {
    long[] shape = tokens.getShape().getShape();
    if (shape.length != 2) {
      throw new BadInputException("tokens must be [batch, positions], got " + tokens.getShape());
    }
    int t = (int) shape[1];
    int offset = cache == null ? 0 : cache.length();
    if ((cache == null || arch.learnedPositions()) && offset + t > config.context()) {
      throw new BadInputException(
          offset + t + " positions exceed the model's context of " + config.context());
    }
    return new Pass(tokens.getManager(), (int) shape[0], t, hooks, cache);
  }

  /** The residual stream [B, T, d_model] into block 0. */
  public NDArray embed(NDArray tokens, Pass pass) {
    NDArray x =
        own(
            Embedding.embedding(tokens, params.get("embed.W_E"), SparseFormat.DENSE)
                .singletonOrThrow(),
            pass.m);
    if (arch.learnedPositions()) {
      NDArray pos = params.get("pos.W_pos").get(pass.offset + ":" + (pass.offset + pass.t));
      x = pass.plus(x, own(pos, pass.m));
    }
    return x;
  }

  /** Block {@code l}: residual stream in, residual stream out, passing its hook points. */
  public NDArray block(int l, NDArray x, Pass pass) {
    String b = hookNames[l].prefix();
    x = pass.hook(l, HookName.Point.RESID_PRE, x);
    NDArray attnOut = attention(l, arch.postNorm() ? x : norm(x, b + "ln1"), pass);
    if (arch.postNorm()) {
      attnOut = norm(attnOut, b + "ln1");
    }
    attnOut = pass.hook(l, HookName.Point.ATTN_OUT, attnOut);
    NDArray mid = pass.hook(l, HookName.Point.RESID_MID, x.add(attnOut));
    NDArray mlpIn = arch.parallel() ? x : mid;
    NDArray mlpOut = mlp(l, arch.postNorm() ? mlpIn : norm(mlpIn, b + "ln2"), pass);
    if (arch.postNorm()) {
      mlpOut = norm(mlpOut, b + "ln2");
    }
    mlpOut = pass.hook(l, HookName.Point.MLP_OUT, mlpOut);
    return pass.hook(l, HookName.Point.RESID_POST, mid.add(mlpOut));
  }

  /**
   * Block {@code l}'s attention output [B, T, d_model] (before any baked bias's hook) for normed
   * input.
   */
  private NDArray attention(int l, NDArray n1, Pass pass) {
    String b = hookNames[l].prefix();
    int batch = pass.batch;
    int t = pass.t;
    int h = config.heads();
    int kv = arch.kvHeads();
    int dh = config.dHead();
    NDArray fused = mm(n1, params.get(b + "attn.W_QKV"));
    if (arch.qkvBias()) {
      fused = pass.plus(fused, params.get(b + "attn.b_QKV"));
    }
    NDList qkv =
        kv == h
            ? fused.split(3, 2)
            : fused.split(new long[] {(long) h * dh, (long) (h + kv) * dh}, 2);
    NDArray q = qkv.get(0);
    NDArray k = qkv.get(1);
    NDArray v = qkv.get(2);
    if (arch.clipQkv() > 0) {
      q = q.clip(-arch.clipQkv(), arch.clipQkv());
      k = k.clip(-arch.clipQkv(), arch.clipQkv());
      v = v.clip(-arch.clipQkv(), arch.clipQkv());
    }
    if (arch.qkNorm()) {
      q = rmsNorm(q, params.get(b + "attn.q_norm.w"));
      k = rmsNorm(k, params.get(b + "attn.k_norm.w"));
    }
    q = q.reshape(batch, t, h, dh);
    k = k.reshape(batch, t, kv, dh);
    if (pass.rope != null) {
      q = applyRope(q, pass.rope);
      k = applyRope(k, pass.rope);
    }
    q = q.transpose(0, 2, 1, 3);
    k = k.transpose(0, 2, 1, 3);
    v = v.reshape(batch, t, kv, dh).transpose(0, 2, 1, 3);
    if (pass.cache != null) {
      NDArray[] cached = pass.cache.append(l, k, v);
      k = cached[0];
      v = cached[1];
    }
    if (kv != h) {
      // Query head i reads key-value head i / (h / kv), as grouped-query attention defines.
      k = k.repeat(1, h / kv);
      v = v.repeat(1, h / kv);
    }
    NDArray scores =
        pass.plus(pass.times(mm(q, k.transpose(0, 1, 3, 2)), pass.attnScale), pass.mask);
    NDArray pattern = pass.hook(l, HookName.Point.ATTN_PATTERN, scores.softmax(-1));
    NDArray z = mm(pattern, v).transpose(0, 2, 1, 3); // [B, T, H, dh]
    z = pass.hook(l, HookName.Point.ATTN_Z, z);
    NDArray attnOut = mm(z.reshape(batch, t, (long) h * dh), params.get(b + "attn.W_O"));
    if (arch.outBias()) {
      attnOut = pass.plus(attnOut, params.get(b + "attn.b_O"));
    }
    if (attnBias[l] != null) {
      attnOut = pass.plus(attnOut, attnBias[l]);
    }
    return attnOut;
  }

  /**
   * Block {@code l}'s MLP output [B, T, d_model] for normed input, passing {@code mlp.hook_post}.
   */
  private NDArray mlp(int l, NDArray n2, Pass pass) {
    String b = hookNames[l].prefix();
    NDArray up = mm(n2, params.get(b + "mlp.W_up"));
    if (arch.mlpBias()) {
      up = pass.plus(up, params.get(b + "mlp.b_up"));
    }
    NDArray post;
    if (arch.mlp() == Architecture.Mlp.SWIGLU) {
      NDArray gate = mm(n2, params.get(b + "mlp.W_gate"));
      if (arch.mlpBias()) {
        gate = pass.plus(gate, params.get(b + "mlp.b_gate"));
      }
      // sigmoid(gate) * gate is gate * sigmoid(gate) to the bit: a product commutes.
      post = pass.times(pass.times(Activation.sigmoid(gate), gate), up);
    } else if (arch.mlp() == Architecture.Mlp.GELU) {
      post = Activation.gelu(up);
    } else {
      post = geluTanh(up, pass);
    }
    post = pass.hook(l, HookName.Point.MLP_POST, post);
    NDArray out = mm(post, params.get(b + "mlp.W_down"));
    if (arch.mlpBias()) {
      out = pass.plus(out, params.get(b + "mlp.b_down"));
    }
    return out;
  }

  /** The logits [B, T, vocab] from the residual stream out of the last block; ends the pass. */
  public NDArray finish(NDArray x, Pass pass) {
    if (pass.cache != null) {
      pass.cache.advance(pass.t);
    }
    return head(x);
  }

  /** The final norm and the unembedding: logits for the last residual stream. */
  private NDArray head(NDArray x) {
    NDArray out = norm(x, "ln_final");
    NDArray unembed =
        config.tieEmbeddings()
            ? own(params.get("embed.W_E").transpose(), x.getManager())
            : params.get("unembed.W_U");
    return mm(out, unembed);
  }

  /**
   * One micro-batch's backward pass: adds to every parameter's gradient the gradient of {@code
   * objective(loss)}, where loss is the mean cross-entropy of {@code targets} given {@code inputs},
   * and returns the loss. Call it outside any gradient collector.
   *
   * <p>With {@code checkpointActivations}, the forward pass keeps only each block's input, and
   * backward recomputes one block at a time from it: memory for activations drops from every
   * block's to one block's plus a residual stream per block, for about one more forward pass of
   * compute. The gradients are the same bits as the plain path's when this is the micro-batch's
   * only contribution (each block's graph is rebuilt from the same input by the same ops, and its
   * output receives the same gradient); across accumulated micro-batches a tied embedding's two
   * contributions are added to the running gradient one at a time instead of as their sum, which
   * may differ in the last bit.
   */
  public float backward(
      NDArray inputs,
      NDArray targets,
      UnaryOperator<NDArray> objective,
      boolean checkpointActivations) {
    if (!checkpointActivations) {
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = loss(inputs, targets);
        gc.backward(objective.apply(loss));
        return loss.getFloat();
      }
    }
    NDManager m = inputs.getManager();
    int layers = config.layers();
    Pass pass = begin(inputs, Hooks.none(), null);
    // Forward without a graph (no collector is open), keeping only each block's input.
    NDArray[] stream = new NDArray[layers + 1];
    stream[0] = embed(inputs, pass);
    for (int l = 0; l < layers; l++) {
      try (NDManager block = m.newSubManager()) {
        NDArray out = block(l, inBlock(stream[l], block, false), pass);
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
          // d(sum(out * g))/d(out) is g exactly, so the block's backward sees the plain path's
          // gradient.
          gc.backward(block(l, x, pass).mul(grad).sum());
        }
        grad = keep(x.getGradient(), m);
      }
    }
    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
      gc.backward(embed(inputs, pass).mul(grad).sum());
    }
    return lossValue;
  }

  /**
   * A copy of {@code x} in {@code manager}, so the ops on it (and their results) live and die
   * there.
   */
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

  /**
   * GPT-2's {@code gelu_new}, 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))), computed as x
   * sigmoid(x (c + 0.044715 c x^2)) with c = 2 sqrt(2 / pi), since 0.5 (1 + tanh(u)) = sigmoid(2
   * u): six element-wise passes instead of eight, within a few float32 ulps of {@code
   * transformers}' form. The element-wise passes over [B, T, d_mlp] are a large share of a GPT-2
   * forward pass on the CPU.
   */
  private static NDArray geluTanh(NDArray x, Pass pass) {
    NDManager m = x.getManager();
    NDArray c = m.create((float) (2 * Math.sqrt(2 / Math.PI)));
    NDArray c3 = m.create((float) (2 * Math.sqrt(2 / Math.PI) * 0.044715));
    NDArray inner = pass.times(pass.plus(pass.times(x.square(), c3), c), x);
    return pass.times(Activation.sigmoid(inner), x);
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

  /** The norm named {@code name} ({@code blocks.{l}.ln1}, {@code ln_final}, ...) of x. */
  private NDArray norm(NDArray x, String name) {
    if (config.norm() == ModelConfig.Norm.RMS_NORM) {
      return rmsNorm(x, params.get(name + ".w"));
    }
    NDArray w = arch.normAffine() ? params.get(name + ".w") : lnOnes;
    NDArray b = arch.normAffine() ? params.get(name + ".b") : lnZeros;
    return own(
        LayerNorm.layerNorm(x, new Shape(config.dModel()), w, b, (float) arch.normEps())
            .singletonOrThrow(),
        x.getManager());
  }

  private NDArray rmsNorm(NDArray x, NDArray weight) {
    // pow(Number) would save a scalar tensor for backward that DJL frees at once: see Pass.
    NDArray rms =
        x.square()
            .mean(new int[] {-1}, true)
            .add((float) arch.normEps())
            .pow(x.getManager().create(-0.5));
    return x.mul(rms).mul(weight);
  }

  private NDArray mm(NDArray a, NDArray b) {
    if (precision == Precision.FP32) {
      return a.matMul(b);
    }
    return cast(
        cast(a, precision.dataType()).matMul(cast(b, precision.dataType())), DataType.FLOAT32);
  }

  /**
   * Converts {@code x} to {@code type} inside the autograd graph. Not {@code toType}: DJL's {@code
   * torchTo} runs under a {@code NoGradGuard}, so its result has no gradient history and nothing
   * before it would train. A cumulative product over a new axis of length one is the identity with
   * a dtype argument that autograd differentiates (the gradient is cast back).
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

  /**
   * Rotates pairs (i, i + r/2) of the first r = rotary dimensions of [B, T, H, d_head] by each
   * position's angles (NeoX layout); the rest of each head passes unturned.
   */
  private NDArray applyRope(NDArray x, NDArray[] rope) {
    long dh = x.getShape().get(3);
    NDArray rot = x;
    NDArray pass = null;
    if (arch.rotaryDims() < dh) {
      NDList parts = x.split(new long[] {arch.rotaryDims()}, 3);
      rot = parts.get(0);
      pass = parts.get(1);
    }
    NDList halves = rot.split(2, 3);
    NDArray x1 = halves.get(0);
    NDArray x2 = halves.get(1);
    NDArray cos = rope[0];
    NDArray sin = rope[1];
    NDArray turned = x1.mul(cos).sub(x2.mul(sin)).concat(x2.mul(cos).add(x1.mul(sin)), 3);
    return pass == null ? turned : turned.concat(pass, 3);
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
    for (HookName.Layer layer : hookNames) {
      for (HookName.Point p : HookName.Point.values()) {
        names.add(layer.name(p));
      }
    }
    return names;
  }

  @Override
  public void close() {
    manager.close();
  }
}
