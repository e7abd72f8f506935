package org.antidote.model;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.PackedTokens;

/**
 * The one model loader: a finished toolkit run folder, or a local Hugging Face folder ({@code
 * config.json}, {@code model.safetensors} or shards listed in {@code model.safetensors.index.json},
 * float32/float16/bfloat16 weights, {@code tokenizer.json} when present). Every supported {@code
 * model_type} becomes the same hookable {@link Transformer} with the same hook names; a type or
 * setting it cannot reproduce exactly is refused by name.
 */
public final class Models {

  /** The Hugging Face {@code model_type}s this loader reads. */
  public static final List<String> SUPPORTED =
      List.of("gpt2", "gpt_neox", "llama", "olmo", "olmo2");

  private Models() {}

  /**
   * A loaded model and its tokenizer; closing it frees the model's native memory.
   *
   * @param model the model
   * @param tokenizer its tokenizer, or null when the folder has none the toolkit can read
   * @param tokenizerNote why there is no tokenizer (null when there is one)
   * @param dir the folder it came from
   * @param kind {@code run} for a toolkit run folder, else the Hugging Face {@code model_type}
   */
  public record Loaded(
      Transformer model, BpeTokenizer tokenizer, String tokenizerNote, Path dir, String kind)
      implements AutoCloseable {

    /** The tokenizer, or a refusal saying why there is none. */
    public BpeTokenizer requireTokenizer() {
      if (tokenizer == null) {
        throw new BadInputException(
            dir + ": " + tokenizerNote + "; give token ids instead of text");
      }
      return tokenizer;
    }

    @Override
    public void close() {
      model.close();
    }
  }

  /** Loads {@code dir} on the default device. */
  public static Loaded load(Path dir) {
    return load(dir, Transformer.defaultDevice());
  }

  /** Loads {@code dir} (a run folder or a Hugging Face folder) on {@code device}. */
  public static Loaded load(Path dir, Device device) {
    Path configFile = dir.resolve("config.json");
    if (!Files.isDirectory(dir) || !Files.isRegularFile(configFile)) {
      throw new BadInputException(
          dir
              + " holds no model: expected a finished run folder, or a Hugging Face folder with"
              + " config.json and model.safetensors (or shards listed in model.safetensors.index.json)");
    }
    JsonNode config = Json.read(configFile, JsonNode.class);
    if (config.path("train").has("model")) {
      return loadRun(dir, config, device);
    }
    if (!config.hasNonNull("model_type")) {
      throw BadInputException.in(
          configFile,
          "has no model_type; expected a Hugging Face config with model_type one of "
              + SUPPORTED
              + " (or a toolkit run's config)");
    }
    String type = config.get("model_type").asText();
    if (!SUPPORTED.contains(type)) {
      throw BadInputException.in(
          configFile,
          "has model_type '" + type + "', which is not supported; supported: " + SUPPORTED);
    }
    HfConfig hf = HfConfig.parse(configFile, type, config);
    Transformer model = Transformer.empty(hf.shape(), hf.arch(), device);
    try (Weights w = Weights.open(dir)) {
      HfWeights.fill(model, hf, w);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
    try {
      return withTokenizer(model, dir, dir.resolve("tokenizer.json"), type);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  private static Loaded loadRun(Path dir, JsonNode config, Device device) {
    ModelConfig shape =
        Json.MAPPER.convertValue(config.get("train").get("model"), ModelConfig.class);
    Path file = dir.resolve("model.safetensors");
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(
          dir
              + ": no model.safetensors; the run is not finished (resume it with the same command)");
    }
    Transformer model = Transformer.fromState(shape, SafeTensors.read(file).tensors(), device);
    Path tokenizer = null;
    Path data = dataDir(dir, config.path("data").path("dir").asText(null));
    if (data != null) {
      try {
        tokenizer = data.resolve(PackedTokens.readSidecar(data).tokenizerFile());
      } catch (RuntimeException e) {
        tokenizer = null;
      }
    }
    try {
      return withTokenizer(model, dir, tokenizer, "run");
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * A run's data folder: the one its config records, or, where that is gone, the folder of the same
   * name beside the run's parent, as in a study copied or moved whole ({@code runs/RUN} beside its
   * mixtures). Null when neither is there.
   */
  public static Path dataDir(Path run, String recorded) {
    if (recorded == null) {
      return null;
    }
    Path path = Path.of(recorded);
    if (Files.isDirectory(path)) {
      return path;
    }
    Path parent = run.toAbsolutePath().normalize().getParent();
    Path moved =
        parent == null || parent.getParent() == null || path.getFileName() == null
            ? null
            : parent.getParent().resolve(path.getFileName());
    return moved != null && Files.isDirectory(moved) ? moved : null;
  }

  private static Loaded withTokenizer(Transformer model, Path dir, Path file, String kind) {
    if (file == null || !Files.isRegularFile(file)) {
      return new Loaded(
          model, null, "no tokenizer.json (for a run: its data folder is gone)", dir, kind);
    }
    BpeTokenizer tok;
    try {
      tok = BpeTokenizer.load(file);
    } catch (BadInputException e) {
      return new Loaded(
          model,
          null,
          "its tokenizer is not one the toolkit reads (" + e.getMessage() + ")",
          dir,
          kind);
    }
    if (tok.vocabSize() > model.config().vocab()) {
      throw BadInputException.in(
          file,
          "has "
              + tok.vocabSize()
              + " tokens, but the model's embedding has "
              + model.config().vocab()
              + " rows; expected at most as many tokens as rows");
    }
    return new Loaded(model, tok, null, dir, kind);
  }

  /** The shape and wiring a Hugging Face config describes. */
  record HfConfig(String type, ModelConfig shape, Architecture arch, Path file) {

    static HfConfig parse(Path file, String type, JsonNode c) {
      boolean gpt2 = type.equals("gpt2");
      int d = intOf(file, c, gpt2 ? "n_embd" : "hidden_size", -1);
      int heads = intOf(file, c, gpt2 ? "n_head" : "num_attention_heads", -1);
      int layers = intOf(file, c, gpt2 ? "n_layer" : "num_hidden_layers", -1);
      int vocab = intOf(file, c, "vocab_size", -1);
      int context = intOf(file, c, gpt2 ? "n_positions" : "max_position_embeddings", 2048);
      int inner =
          gpt2
              ? (c.hasNonNull("n_inner") ? c.get("n_inner").asInt() : 4 * d)
              : intOf(file, c, "intermediate_size", -1);
      if (heads <= 0 || d % heads != 0) {
        throw BadInputException.in(
            file, "hidden size " + d + " is not a multiple of " + heads + " heads");
      }
      int dh = d / heads;
      if (c.hasNonNull("head_dim") && c.get("head_dim").asInt() != dh) {
        throw unsupported(
            file,
            "head_dim " + c.get("head_dim").asInt() + " other than hidden_size / heads = " + dh);
      }
      int kv = intOf(file, c, "num_key_value_heads", heads);
      boolean tie = c.path("tie_word_embeddings").asBoolean(gpt2);
      double initStd = c.path("initializer_range").asDouble(0.02);
      JsonNode rope = c.path("rope_parameters");
      JsonNode legacyScaling = c.path("rope_scaling");
      double theta =
          rope.path("rope_theta")
              .asDouble(c.path("rope_theta").asDouble(c.path("rotary_emb_base").asDouble(10000)));
      String ropeType =
          rope.path("rope_type")
              .asText(
                  legacyScaling
                      .path("rope_type")
                      .asText(legacyScaling.path("type").asText("default")));
      double scale = 1;
      if (ropeType.equals("linear")) {
        scale =
            rope.has("factor")
                ? rope.get("factor").asDouble()
                : legacyScaling.path("factor").asDouble(1);
      } else if (!ropeType.equals("default")) {
        throw unsupported(file, "rope type '" + ropeType + "' (supported: default, linear)");
      }
      double rotaryPct =
          rope.path("partial_rotary_factor")
              .asDouble(
                  c.path("rotary_pct")
                      .asDouble(
                          c.path("partial_rotary_factor")
                              .asDouble(type.equals("gpt_neox") ? 0.25 : 1.0)));
      int rotary = gpt2 ? 0 : (int) (dh * rotaryPct);
      String act =
          c.path(gpt2 ? "activation_function" : "hidden_act").asText(gpt2 ? "gelu_new" : "silu");
      ModelConfig.Norm norm;
      Architecture arch;
      switch (type) {
        case "gpt2" -> {
          if (!c.path("scale_attn_weights").asBoolean(true)
              || c.path("scale_attn_by_inverse_layer_idx").asBoolean(false)) {
            throw unsupported(
                file,
                "gpt2 attention scaling other than 1/sqrt(d_head)"
                    + " (scale_attn_weights false or scale_attn_by_inverse_layer_idx true)");
          }
          norm = ModelConfig.Norm.LAYER_NORM;
          arch =
              new Architecture(
                  type,
                  heads,
                  true,
                  0,
                  1,
                  true,
                  c.path("layer_norm_epsilon").asDouble(1e-5),
                  false,
                  false,
                  false,
                  gelu(file, act),
                  true,
                  true,
                  true,
                  0);
        }
        case "gpt_neox" -> {
          boolean bias = c.path("attention_bias").asBoolean(true);
          norm = ModelConfig.Norm.LAYER_NORM;
          arch =
              new Architecture(
                  type,
                  heads,
                  false,
                  rotary,
                  scale,
                  true,
                  c.path("layer_norm_eps").asDouble(1e-5),
                  false,
                  false,
                  c.path("use_parallel_residual").asBoolean(true),
                  gelu(file, act),
                  bias,
                  bias,
                  true,
                  0);
        }
        default -> {
          if (!act.equals("silu")) {
            throw unsupported(file, "hidden_act '" + act + "' for " + type + " (supported: silu)");
          }
          boolean bias = c.path("attention_bias").asBoolean(false);
          boolean mlpBias = c.path("mlp_bias").asBoolean(false);
          boolean olmo = type.equals("olmo");
          double clip = olmo && c.hasNonNull("clip_qkv") ? c.get("clip_qkv").asDouble() : 0;
          norm = olmo ? ModelConfig.Norm.LAYER_NORM : ModelConfig.Norm.RMS_NORM;
          double eps =
              olmo ? 1e-5 : c.path("rms_norm_eps").asDouble(type.equals("llama") ? 1e-6 : 1e-5);
          boolean olmo2 = type.equals("olmo2");
          arch =
              new Architecture(
                  type,
                  kv,
                  false,
                  rotary,
                  scale,
                  false,
                  eps,
                  olmo2,
                  olmo2,
                  false,
                  Architecture.Mlp.SWIGLU,
                  bias,
                  bias,
                  mlpBias,
                  clip);
        }
      }
      ModelConfig shape;
      try {
        shape =
            new ModelConfig(
                layers,
                heads,
                d,
                inner,
                context,
                vocab,
                gpt2 ? 10000 : theta,
                norm,
                tie,
                initStd > 0 && initStd < 1 ? initStd : 0.02);
        arch.check(shape);
      } catch (IllegalArgumentException | BadInputException e) {
        throw BadInputException.in(file, e.getMessage());
      }
      return new HfConfig(type, shape, arch, file);
    }

    private static Architecture.Mlp gelu(Path file, String act) {
      return switch (act) {
        case "gelu" -> Architecture.Mlp.GELU;
        case "gelu_new", "gelu_pytorch_tanh" -> Architecture.Mlp.GELU_TANH;
        default ->
            throw unsupported(
                file, "activation '" + act + "' (supported: gelu, gelu_new, gelu_pytorch_tanh)");
      };
    }

    private static int intOf(Path file, JsonNode c, String key, int fallback) {
      JsonNode v = c.get(key);
      if (v == null || v.isNull()) {
        if (fallback < 0) {
          throw BadInputException.in(file, "has no " + key + "; expected a positive integer");
        }
        return fallback;
      }
      if (!v.canConvertToInt() || v.asInt() <= 0) {
        throw BadInputException.in(
            file, "has " + key + " = " + v + "; expected a positive integer");
      }
      return v.asInt();
    }

    private static BadInputException unsupported(Path file, String what) {
      return BadInputException.in(
          file,
          "asks for "
              + what
              + ", which the toolkit does not reproduce; supported: "
              + "gpt2, gpt_neox (rotary_pct, parallel residual), llama (GQA, rope_theta, linear rope scaling, biases),"
              + " olmo (clip_qkv), olmo2 (QK-norm), each tied or untied");
    }
  }

  /** A checkpoint's tensors by name across its files, each read (and converted to float32) once. */
  static final class Weights implements AutoCloseable {
    private final Map<String, SafeTensors.Mapped> byName = new LinkedHashMap<>();
    private final List<SafeTensors.Mapped> files = new ArrayList<>();
    private final Path dir;

    private Weights(Path dir) {
      this.dir = dir;
    }

    static Weights open(Path dir) {
      Weights w = new Weights(dir);
      try {
        Path single = dir.resolve("model.safetensors");
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(single)) {
          w.add(SafeTensors.Mapped.open(single));
        } else if (Files.isRegularFile(index)) {
          JsonNode map = Json.read(index, JsonNode.class).path("weight_map");
          if (!map.isObject() || map.isEmpty()) {
            throw BadInputException.in(
                index, "has no weight_map; expected {\"weight_map\": {tensor: shard file}}");
          }
          Map<String, SafeTensors.Mapped> shards = new LinkedHashMap<>();
          for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String shard = e.getValue().asText();
            if (!shards.containsKey(shard)) {
              Path f = dir.resolve(shard);
              if (!Files.isRegularFile(f)) {
                throw BadInputException.in(
                    index,
                    "names shard "
                        + shard
                        + " (for "
                        + e.getKey()
                        + "), which is missing from "
                        + dir);
              }
              SafeTensors.Mapped m = SafeTensors.Mapped.open(f);
              shards.put(shard, m);
              w.add(m);
            }
          }
        } else {
          throw new BadInputException(
              dir
                  + " holds no model weights: expected model.safetensors, or shards listed in"
                  + " model.safetensors.index.json");
        }
        return w;
      } catch (RuntimeException e) {
        w.close();
        throw e;
      }
    }

    private void add(SafeTensors.Mapped m) {
      files.add(m);
      for (String name : m.names()) {
        byName.putIfAbsent(name, m);
      }
    }

    /** Whether the checkpoint holds {@code name} under any of the usual prefixes. */
    String find(String... candidates) {
      for (String c : candidates) {
        if (byName.containsKey(c)) {
          return c;
        }
      }
      return null;
    }

    /** Tensor {@code name} as an array of {@code manager}, refused unless it has {@code shape}. */
    NDArray array(String name, NDManager manager, long... shape) {
      return mapped(name, shape).withFloats(name, fb -> manager.create(fb, new Shape(shape)));
    }

    private SafeTensors.Mapped mapped(String name, long[] shape) {
      SafeTensors.Mapped m = byName.get(name);
      if (m == null) {
        throw new BadInputException(
            dir + ": the checkpoint has no tensor " + name + ", which config.json implies");
      }
      SafeTensors.Entry e = m.entry(name);
      if (!Arrays.equals(e.shape(), shape)) {
        throw BadInputException.in(
            m.file(),
            "tensor "
                + name
                + " has shape "
                + Arrays.toString(e.shape())
                + "; config.json implies "
                + Arrays.toString(shape));
      }
      return m;
    }

    /** Tensor {@code name} as floats, refused unless it has {@code shape}. */
    float[] get(String name, long... shape) {
      return mapped(name, shape).floats(name);
    }

    @Override
    public void close() {
      files.forEach(SafeTensors.Mapped::close);
    }
  }

  /** Maps a Hugging Face checkpoint's tensors onto the toolkit's parameter names and layout. */
  static final class HfWeights {
    private HfWeights() {}

    static void fill(Transformer model, HfConfig hf, Weights w) {
      ModelConfig s = hf.shape();
      Architecture a = hf.arch();
      int d = s.dModel();
      int dh = s.dHead();
      int h = s.heads();
      int kv = a.kvHeads();
      int ff = s.dMlp();
      String type = hf.type();
      String prefix =
          switch (type) {
            case "gpt2" -> "transformer.";
            case "gpt_neox" -> "gpt_neox.";
            default -> "model.";
          };
      Fill f = new Fill(model, w, prefix);
      switch (type) {
        case "gpt2" -> {
          f.plain("embed.W_E", "wte.weight", s.vocab(), d);
          f.plain("pos.W_pos", "wpe.weight", s.context(), d);
          for (int l = 0; l < s.layers(); l++) {
            String b = "blocks." + l + ".";
            String p = "h." + l + ".";
            f.norm(b + "ln1", p + "ln_1", d);
            // Conv1D stores [in, out], the toolkit's layout already.
            f.plain(b + "attn.W_QKV", p + "attn.c_attn.weight", d, 3L * d);
            f.plain(b + "attn.b_QKV", p + "attn.c_attn.bias", 3L * d);
            f.plain(b + "attn.W_O", p + "attn.c_proj.weight", d, d);
            f.plain(b + "attn.b_O", p + "attn.c_proj.bias", d);
            f.norm(b + "ln2", p + "ln_2", d);
            f.plain(b + "mlp.W_up", p + "mlp.c_fc.weight", d, ff);
            f.plain(b + "mlp.b_up", p + "mlp.c_fc.bias", ff);
            f.plain(b + "mlp.W_down", p + "mlp.c_proj.weight", ff, d);
            f.plain(b + "mlp.b_down", p + "mlp.c_proj.bias", d);
          }
          f.norm("ln_final", "ln_f", d);
        }
        case "gpt_neox" -> {
          f.plain("embed.W_E", "embed_in.weight", s.vocab(), d);
          for (int l = 0; l < s.layers(); l++) {
            String b = "blocks." + l + ".";
            String p = "layers." + l + ".";
            f.norm(b + "ln1", p + "input_layernorm", d);
            String qkv = p + "attention.query_key_value.";
            // Rows are [head][q|k|v][d_head]; the toolkit wants [q|k|v][head][d_head].
            f.put(
                b + "attn.W_QKV",
                transpose(
                    deinterleave(w.get(f.name(qkv + "weight"), 3L * d, d), h, dh, d), 3 * d, d),
                d,
                3L * d);
            if (a.qkvBias()) {
              f.put(
                  b + "attn.b_QKV",
                  deinterleave(w.get(f.name(qkv + "bias"), 3L * d), h, dh, 1),
                  3L * d);
            }
            f.linear(b + "attn.W_O", p + "attention.dense.weight", d, d);
            if (a.outBias()) {
              f.plain(b + "attn.b_O", p + "attention.dense.bias", d);
            }
            f.norm(b + "ln2", p + "post_attention_layernorm", d);
            f.linear(b + "mlp.W_up", p + "mlp.dense_h_to_4h.weight", ff, d);
            f.plain(b + "mlp.b_up", p + "mlp.dense_h_to_4h.bias", ff);
            f.linear(b + "mlp.W_down", p + "mlp.dense_4h_to_h.weight", d, ff);
            f.plain(b + "mlp.b_down", p + "mlp.dense_4h_to_h.bias", d);
          }
          f.norm("ln_final", "final_layer_norm", d);
        }
        default -> {
          boolean olmo2 = type.equals("olmo2");
          boolean scaled = s.norm() == ModelConfig.Norm.RMS_NORM;
          f.plain("embed.W_E", "embed_tokens.weight", s.vocab(), d);
          for (int l = 0; l < s.layers(); l++) {
            String b = "blocks." + l + ".";
            String p = "layers." + l + ".";
            String at = p + "self_attn.";
            float[] q = w.get(f.name(at + "q_proj.weight"), (long) h * dh, d);
            float[] k = w.get(f.name(at + "k_proj.weight"), (long) kv * dh, d);
            float[] v = w.get(f.name(at + "v_proj.weight"), (long) kv * dh, d);
            f.put(b + "attn.W_QKV", transpose(concat(q, k, v), a.qkvWidth(s), d), d, a.qkvWidth(s));
            if (a.qkvBias()) {
              f.put(
                  b + "attn.b_QKV",
                  concat(
                      w.get(f.name(at + "q_proj.bias"), (long) h * dh),
                      w.get(f.name(at + "k_proj.bias"), (long) kv * dh),
                      w.get(f.name(at + "v_proj.bias"), (long) kv * dh)),
                  a.qkvWidth(s));
            }
            if (olmo2) {
              f.plain(b + "attn.q_norm.w", at + "q_norm.weight", (long) h * dh);
              f.plain(b + "attn.k_norm.w", at + "k_norm.weight", (long) kv * dh);
            }
            f.linear(b + "attn.W_O", at + "o_proj.weight", d, (long) h * dh);
            if (a.outBias()) {
              f.plain(b + "attn.b_O", at + "o_proj.bias", d);
            }
            if (scaled) {
              f.plain(
                  b + "ln1.w",
                  p + (olmo2 ? "post_attention_layernorm" : "input_layernorm") + ".weight",
                  d);
              f.plain(
                  b + "ln2.w",
                  p
                      + (olmo2 ? "post_feedforward_layernorm" : "post_attention_layernorm")
                      + ".weight",
                  d);
            }
            f.linear(b + "mlp.W_gate", p + "mlp.gate_proj.weight", ff, d);
            f.linear(b + "mlp.W_up", p + "mlp.up_proj.weight", ff, d);
            f.linear(b + "mlp.W_down", p + "mlp.down_proj.weight", d, ff);
            if (a.mlpBias()) {
              f.plain(b + "mlp.b_gate", p + "mlp.gate_proj.bias", ff);
              f.plain(b + "mlp.b_up", p + "mlp.up_proj.bias", ff);
              f.plain(b + "mlp.b_down", p + "mlp.down_proj.bias", d);
            }
          }
          if (scaled) {
            f.plain("ln_final.w", "norm.weight", d);
          }
        }
      }
      if (!s.tieEmbeddings()) {
        String head = type.equals("gpt_neox") ? "embed_out.weight" : "lm_head.weight";
        f.put(
            "unembed.W_U",
            transpose(w.get(f.name(head), s.vocab(), d), s.vocab(), d),
            d,
            s.vocab());
      }
      List<String> missing = new ArrayList<>(model.parameterShapes().keySet());
      missing.removeAll(model.parameters().keySet());
      if (!missing.isEmpty()) {
        throw new IllegalStateException(
            "loader for " + type + " left parameters unset: " + missing);
      }
    }

    /** [out, in] row-major to [in, out]. */
    static float[] transpose(float[] w, int rows, int cols) {
      float[] t = new float[w.length];
      for (int r = 0; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          t[c * rows + r] = w[r * cols + c];
        }
      }
      return t;
    }

    /** GPT-NeoX's fused rows [head][q|k|v][d_head] x cols to [q|k|v][head][d_head] x cols. */
    static float[] deinterleave(float[] w, int heads, int dh, int cols) {
      float[] out = new float[w.length];
      int block = dh * cols;
      for (int hd = 0; hd < heads; hd++) {
        for (int part = 0; part < 3; part++) {
          System.arraycopy(w, (hd * 3 + part) * block, out, (part * heads + hd) * block, block);
        }
      }
      return out;
    }

    static float[] concat(float[]... parts) {
      int n = 0;
      for (float[] p : parts) {
        n += p.length;
      }
      float[] out = new float[n];
      int at = 0;
      for (float[] p : parts) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }
  }

  /** Puts converted tensors into a model under the toolkit's names. */
  private static final class Fill {
    private final Transformer model;
    private final Weights w;
    private final String prefix;

    Fill(Transformer model, Weights w, String prefix) {
      this.model = model;
      this.w = w;
      this.prefix = prefix;
    }

    /** The checkpoint's spelling of {@code name}: with the family prefix, or bare (older saves). */
    String name(String name) {
      String found = w.find(prefix + name, name);
      return found == null ? prefix + name : found;
    }

    void put(String param, float[] values, long... shape) {
      model.putParameter(param, model.manager().create(values, new Shape(shape)));
    }

    void plain(String param, String hf, long... shape) {
      // Straight from the mapping into native memory: no copy on the heap.
      model.putParameter(param, w.array(name(hf), model.manager(), shape));
    }

    /** A Linear weight [out, in], stored transposed as [in, out]. */
    void linear(String param, String hf, long out, long in) {
      put(param, HfWeights.transpose(w.get(name(hf), out, in), (int) out, (int) in), in, out);
    }

    void norm(String param, String hf, long d) {
      plain(param + ".w", hf + ".weight", d);
      plain(param + ".b", hf + ".bias", d);
    }
  }

  /**
   * What {@link #export} wrote.
   *
   * @param modelType {@code olmo} (parameter-free LayerNorm) or {@code llama} (RMSNorm)
   * @param biased whether attention output biases (a baked intervention) were written
   * @param dir the folder
   */
  public record Exported(String modelType, boolean biased, Path dir) {}

  /**
   * Writes a toolkit model as a Hugging Face folder that {@code AutoModelForCausalLM} loads with
   * the same logits: {@code olmo} for OLMo-1's parameter-free LayerNorm, {@code llama} for RMSNorm.
   * A baked attention-output bias (an intervention) is written as {@code o_proj.bias}, with zero
   * q/k/v biases because {@code attention_bias} switches all four; {@code note} (may be null) is
   * recorded under {@code antidote} in {@code config.json}.
   */
  public static Exported export(
      Transformer model, BpeTokenizer tokenizer, Path out, Map<String, String> note) {
    if (!model.architecture().type().equals("antidote")) {
      throw new BadInputException(
          "only toolkit runs are exported; this model is a "
              + model.architecture().type()
              + " checkpoint already");
    }
    if (Files.isRegularFile(out)
        || (Files.isDirectory(out) && Files.exists(out.resolve("config.json")))) {
      throw new BadInputException(
          out + " already holds a file or a model; choose an empty or new folder");
    }
    ModelConfig c = model.config();
    boolean rms = c.norm() == ModelConfig.Norm.RMS_NORM;
    String type = rms ? "llama" : "olmo";
    int d = c.dModel();
    Map<String, SafeTensors.Tensor> state = model.state();
    boolean biased = false;
    for (int l = 0; l < c.layers(); l++) {
      biased |= state.containsKey("blocks." + l + ".attn.b_O");
    }
    Map<String, SafeTensors.Tensor> t = new LinkedHashMap<>();
    t.put("model.embed_tokens.weight", state.get("embed.W_E"));
    for (int l = 0; l < c.layers(); l++) {
      String b = "blocks." + l + ".";
      String p = "model.layers." + l + ".";
      float[] qkv = state.get(b + "attn.W_QKV").floats(); // [d, 3d]
      float[] wt = HfWeights.transpose(qkv, d, 3 * d); // [3d, d]: q, k, v rows
      String[] parts = {"q_proj", "k_proj", "v_proj"};
      for (int k = 0; k < 3; k++) {
        t.put(
            p + "self_attn." + parts[k] + ".weight",
            SafeTensors.Tensor.f32(
                new long[] {d, d}, Arrays.copyOfRange(wt, k * d * d, (k + 1) * d * d)));
        if (biased) {
          t.put(
              p + "self_attn." + parts[k] + ".bias",
              SafeTensors.Tensor.f32(new long[] {d}, new float[d]));
        }
      }
      t.put(p + "self_attn.o_proj.weight", linear(state.get(b + "attn.W_O"), d, d));
      if (biased) {
        SafeTensors.Tensor bias = state.get(b + "attn.b_O");
        t.put(
            p + "self_attn.o_proj.bias",
            bias != null ? bias : SafeTensors.Tensor.f32(new long[] {d}, new float[d]));
      }
      t.put(p + "mlp.gate_proj.weight", linear(state.get(b + "mlp.W_gate"), d, c.dMlp()));
      t.put(p + "mlp.up_proj.weight", linear(state.get(b + "mlp.W_up"), d, c.dMlp()));
      t.put(p + "mlp.down_proj.weight", linear(state.get(b + "mlp.W_down"), c.dMlp(), d));
      if (rms) {
        t.put(p + "input_layernorm.weight", state.get(b + "ln1.w"));
        t.put(p + "post_attention_layernorm.weight", state.get(b + "ln2.w"));
      }
    }
    if (rms) {
      t.put("model.norm.weight", state.get("ln_final.w"));
    }
    if (!c.tieEmbeddings()) {
      t.put("lm_head.weight", linear(state.get("unembed.W_U"), d, c.vocab()));
    }
    var config = Json.MAPPER.createObjectNode();
    config.putArray("architectures").add(rms ? "LlamaForCausalLM" : "OlmoForCausalLM");
    config.put("model_type", type);
    config.put("hidden_size", d);
    config.put("intermediate_size", c.dMlp());
    config.put("num_hidden_layers", c.layers());
    config.put("num_attention_heads", c.heads());
    config.put("num_key_value_heads", c.heads());
    config.put("head_dim", c.dHead());
    config.put("max_position_embeddings", c.context());
    config.put("vocab_size", c.vocab());
    config.put("hidden_act", "silu");
    config.put("attention_bias", biased);
    config.put("attention_dropout", 0.0);
    config.put("tie_word_embeddings", c.tieEmbeddings());
    config.put("initializer_range", c.initStd());
    config.put("dtype", "float32");
    var rope = config.putObject("rope_parameters");
    rope.put("rope_theta", c.ropeTheta());
    rope.put("rope_type", "default");
    config.put("rope_theta", c.ropeTheta()); // read by transformers 4.x
    if (rms) {
      config.put("rms_norm_eps", 1e-5);
      config.put("mlp_bias", false);
      config.put("pretraining_tp", 1);
    } else {
      config.putNull("clip_qkv");
    }
    Integer eot =
        tokenizer == null
            ? null
            : tokenizer.tokenId(BpeTokenizer.END_OF_TEXT).isPresent()
                ? tokenizer.tokenId(BpeTokenizer.END_OF_TEXT).getAsInt()
                : null;
    for (String k : List.of("bos_token_id", "eos_token_id", "pad_token_id")) {
      if (eot == null) {
        config.putNull(k);
      } else {
        config.put(k, eot);
      }
    }
    if (note != null && !note.isEmpty()) {
      config.set("antidote", Json.MAPPER.valueToTree(note));
    }
    try {
      Files.createDirectories(out);
    } catch (IOException e) {
      throw new BadInputException(out + ": cannot create the folder: " + e.getMessage(), e);
    }
    SafeTensors.write(out.resolve("model.safetensors"), t, Map.of("format", "pt"));
    if (tokenizer != null) {
      tokenizer.save(out.resolve("tokenizer.json"));
    }
    Json.write(out.resolve("config.json"), config);
    return new Exported(type, biased, out);
  }

  private static SafeTensors.Tensor linear(SafeTensors.Tensor inOut, int in, int out) {
    return SafeTensors.Tensor.f32(
        new long[] {out, in}, HfWeights.transpose(inOut.floats(), in, out));
  }
}
