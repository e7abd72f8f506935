package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.io.BadInputException;
import org.antidote.io.SafeTensors;
import org.antidote.iti.Intervention;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Models;
import org.antidote.model.Transformer;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hugging Face checkpoints made by {@code transformers} (tests/hf_peer.py, run with
 * ANTIDOTE_PYTHON) load as the toolkit's Transformer with the same logits, the same greedy
 * continuation and hook_z equal to the reference's output-projection input; toolkit models exported
 * as olmo/llama load back in transformers with the same logits.
 */
class HfModelsTest {

  static final Path ROOT = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  static final double TOL = 1e-4;

  @TempDir static Path fixtures;

  static Stream<String> variants() {
    return Stream.of(
        "gpt2",
        "gpt_neox",
        "gpt_neox_serial",
        "olmo",
        "olmo2",
        "llama_gqa",
        "llama_bf16_tied",
        "llama_f16_sharded");
  }

  static Path python() {
    String env = System.getenv("ANTIDOTE_PYTHON");
    Path py =
        env != null && !env.isBlank()
            ? Path.of(env)
            : ROOT.resolve(".antidote-build/venv/bin/python");
    assertTrue(
        Files.isExecutable(py),
        "no Python with transformers at " + py + ": run ./antidote venv (or set ANTIDOTE_PYTHON)");
    return py;
  }

  static void peer(String... args) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(List.of(python().toString(), ROOT.resolve("tests/hf_peer.py").toString()));
    cmd.addAll(List.of(args));
    Path log = Files.createTempFile("hf-peer", ".log");
    Process p =
        new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "hf_peer.py did not finish");
    assertEquals(0, p.exitValue(), "hf_peer.py failed:\n" + Files.readString(log));
  }

  @BeforeAll
  static void makeFixtures() throws Exception {
    peer("make", fixtures.toString());
  }

  static float[] floats(Map<String, SafeTensors.Tensor> ref, String name) {
    return ref.get(name).floats();
  }

  static double maxDiff(float[] a, float[] b) {
    assertEquals(a.length, b.length, "lengths differ");
    double m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  @ParameterizedTest
  @MethodSource("variants")
  void loadsWithTheSameLogitsContinuationAndHookZ(String variant) {
    Path dir = fixtures.resolve(variant);
    Map<String, SafeTensors.Tensor> ref =
        SafeTensors.read(dir.resolve("ref.safetensors")).tensors();
    float[] idsF = floats(ref, "ids");
    long[] ids = new long[idsF.length];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (long) idsF[i];
    }
    try (Models.Loaded loaded = Models.load(dir, Device.cpu());
        NDManager m = loaded.model().manager().newSubManager();
        Hooks.ActivationCache cache = new Hooks.ActivationCache()) {
      Transformer model = loaded.model();
      assertEquals(variant.replaceAll("_(serial|gqa|bf16_tied|f16_sharded)$", ""), loaded.kind());
      int layers = model.config().layers();
      List<String> zs = new ArrayList<>();
      for (int l = 0; l < layers; l++) {
        zs.add(HookName.z(l));
      }
      NDArray logits =
          model.forward(m.create(ids, new Shape(2, ids.length / 2)), Hooks.caching(zs, cache));
      double d = maxDiff(floats(ref, "logits"), logits.toFloatArray());
      assertTrue(d <= TOL, variant + ": logits differ from transformers by " + d);
      for (int l = 0; l < layers; l++) {
        NDArray z = cache.get(HookName.z(l));
        assertEquals(4, z.getShape().dimension(), "hook_z is [B, T, heads, d_head]");
        double dz = maxDiff(floats(ref, "z." + l), z.toFloatArray());
        assertTrue(
            dz <= TOL,
            variant + ": hook_z of layer " + l + " differs from o_proj's input by " + dz);
      }
      int[] prompt = new int[6];
      for (int i = 0; i < 6; i++) {
        prompt[i] = (int) ids[i];
      }
      int[] greedy =
          Generator.generate(model, List.of(prompt), GenerationConfig.greedy(20), Hooks.none())
              .get(0);
      float[] want = floats(ref, "greedy");
      int[] expected = new int[want.length];
      for (int i = 0; i < want.length; i++) {
        expected[i] = (int) want[i];
      }
      assertArrayEquals(
          expected,
          greedy,
          variant + ": greedy continuation (KV cache) differs from transformers'");
    }
  }

  @Test
  void exportedRunsLoadInTransformersWithTheSameLogits(@TempDir Path tmp) throws Exception {
    ModelConfig rms =
        new ModelConfig(2, 4, 32, 48, 32, 64, 10000, ModelConfig.Norm.RMS_NORM, false, 0.2);
    ModelConfig ln =
        new ModelConfig(2, 4, 32, 48, 32, 64, 500, ModelConfig.Norm.LAYER_NORM, true, 0.2);
    long[] ids = new long[2 * 10];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 7 + 3) % 64;
    }
    List<String> dirs = new ArrayList<>();
    List<float[]> ours = new ArrayList<>();
    int n = 0;
    for (ModelConfig c : List.of(rms, ln)) {
      for (boolean baked : new boolean[] {false, true}) {
        try (Transformer model = Transformer.create(c, 11 + n, Device.cpu());
            NDManager m = model.manager().newSubManager()) {
          if (baked) {
            float[] dir = new float[c.dHead()];
            dir[1] = 1;
            dir[3] = -0.5f;
            new Intervention(
                    "test",
                    c.layers(),
                    c.heads(),
                    c.dHead(),
                    4.0,
                    List.of(
                        new Intervention.Shift(0, 1, dir, 0.7),
                        new Intervention.Shift(1, 3, dir, 1.2)))
                .bake(model);
          }
          Path out = tmp.resolve("export-" + n++);
          Models.Exported e = Models.export(model, null, out, Map.of("positions", "all"));
          assertEquals(c.norm() == ModelConfig.Norm.RMS_NORM ? "llama" : "olmo", e.modelType());
          assertEquals(baked, e.biased());
          float[] idsF = new float[ids.length];
          for (int i = 0; i < ids.length; i++) {
            idsF[i] = ids[i];
          }
          SafeTensors.write(
              out.resolve("ids.safetensors"),
              Map.of("ids", SafeTensors.Tensor.f32(new long[] {2, 10}, idsF)),
              Map.of("format", "pt"));
          ours.add(
              model
                  .forward(m.create(ids, new Shape(2, 10)))
                  .toType(DataType.FLOAT32, false)
                  .toFloatArray());
          dirs.add(out.toString());
        }
      }
    }
    List<String> args = new ArrayList<>(List.of("check"));
    args.addAll(dirs);
    peer(args.toArray(String[]::new));
    for (int i = 0; i < dirs.size(); i++) {
      float[] theirs =
          SafeTensors.read(Path.of(dirs.get(i)).resolve("peer.safetensors"))
              .tensors()
              .get("logits")
              .floats();
      double d = maxDiff(ours.get(i), theirs);
      assertTrue(
          d <= TOL, dirs.get(i) + ": transformers' logits differ from the toolkit's by " + d);
    }
    // Loaded back by the toolkit, the export gives the same logits too.
    try (Models.Loaded back = Models.load(Path.of(dirs.get(1)), Device.cpu());
        NDManager m = back.model().manager().newSubManager()) {
      double d =
          maxDiff(
              ours.get(1), back.model().forward(m.create(ids, new Shape(2, 10))).toFloatArray());
      assertTrue(d <= TOL, "the exported llama reloads with logits off by " + d);
    }
  }

  static String refusal(Path dir) {
    BadInputException e =
        assertThrows(BadInputException.class, () -> Models.load(dir, Device.cpu()).close());
    return e.getMessage();
  }

  static Path copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()));
      }
    }
    return to;
  }

  @Test
  void badCheckpointsAreRefusedNamingTheFileAndWhatWasExpected(@TempDir Path tmp)
      throws IOException {
    Path sharded = copy(fixtures.resolve("llama_f16_sharded"), tmp.resolve("sharded"));
    Files.delete(sharded.resolve("model-00003-of-00006.safetensors"));
    String m = refusal(sharded);
    assertTrue(
        m.contains("model.safetensors.index.json")
            && m.contains("model-00003-of-00006.safetensors")
            && m.contains("missing"),
        m);

    Path shape = copy(fixtures.resolve("llama_gqa"), tmp.resolve("shape"));
    String config = Files.readString(shape.resolve("config.json"));
    Files.writeString(
        shape.resolve("config.json"),
        config.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 4"));
    m = refusal(shape);
    assertTrue(
        m.contains("model.safetensors")
            && m.contains("k_proj.weight")
            && m.contains("has shape [32, 64]")
            && m.contains("config.json implies [64, 64]"),
        m);

    Path dtype = copy(fixtures.resolve("gpt2"), tmp.resolve("dtype"));
    byte[] bytes = Files.readAllBytes(dtype.resolve("model.safetensors"));
    String raw = new String(bytes, StandardCharsets.ISO_8859_1);
    // Same length, so offsets stay valid: F32 becomes an unknown "F3X".
    Files.write(
        dtype.resolve("model.safetensors"),
        raw.replaceFirst("\"F32\"", "\"F3X\"").getBytes(StandardCharsets.ISO_8859_1));
    m = refusal(dtype);
    assertTrue(
        m.contains("model.safetensors")
            && m.contains("F3X")
            && m.contains("expected F32, F16 or BF16"),
        m);

    Path noType = copy(fixtures.resolve("olmo"), tmp.resolve("no-type"));
    Files.writeString(
        noType.resolve("config.json"),
        Files.readString(noType.resolve("config.json")).replace("\"model_type\": \"olmo\",", ""));
    m = refusal(noType);
    assertTrue(
        m.contains("config.json") && m.contains("no model_type") && m.contains("gpt_neox"), m);

    Path unknown = copy(fixtures.resolve("olmo"), tmp.resolve("unknown"));
    Files.writeString(
        unknown.resolve("config.json"),
        Files.readString(unknown.resolve("config.json"))
            .replace("\"model_type\": \"olmo\"", "\"model_type\": \"mamba\""));
    m = refusal(unknown);
    assertTrue(m.contains("mamba") && m.contains("[gpt2, gpt_neox, llama, olmo, olmo2]"), m);

    Path tok = copy(fixtures.resolve("gpt2"), tmp.resolve("tokenizer"));
    BpeTokenizer big =
        BpeTokenizer.train(
            List.of(
                    "the ship sailed north and the crew sang of home, the sea, the wind and the stars")
                .iterator(),
            BpeTrainerConfig.of(260));
    big.save(tok.resolve("tokenizer.json"));
    m = refusal(tok);
    assertTrue(
        m.contains("tokenizer.json")
            && m.contains(big.vocabSize() + " tokens")
            && m.contains("128 rows"),
        m);

    Path empty = Files.createDirectories(tmp.resolve("empty"));
    m = refusal(empty);
    assertTrue(m.contains("holds no model") && m.contains("config.json"), m);
    Path configOnly = Files.createDirectories(tmp.resolve("config-only"));
    Files.copy(fixtures.resolve("olmo/config.json"), configOnly.resolve("config.json"));
    m = refusal(configOnly);
    assertTrue(
        m.contains("holds no model weights") && m.contains("model.safetensors.index.json"), m);

    Path rope = copy(fixtures.resolve("llama_gqa"), tmp.resolve("rope"));
    Files.writeString(
        rope.resolve("config.json"),
        Files.readString(rope.resolve("config.json"))
            .replace("\"rope_type\": \"default\"", "\"rope_type\": \"yarn\""));
    m = refusal(rope);
    assertTrue(m.contains("rope type 'yarn'") && m.contains("supported"), m);
  }
}
