package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.antidote.io.BadInputException;
import org.antidote.io.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TransformerTest {

  static final ModelConfig CONFIG =
      new ModelConfig(2, 4, 32, 48, 32, 97, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.05);
  static Transformer model;

  @BeforeAll
  static void build() {
    model = Transformer.create(CONFIG, 7, Device.cpu());
  }

  @AfterAll
  static void free() {
    model.close();
  }

  static NDArray tokens(NDManager m, int b, int t) {
    long[] ids = new long[b * t];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = (i * 31L + 5) % CONFIG.vocab();
    }
    return m.create(ids, new Shape(b, t));
  }

  @Test
  void hookCacheReturnsTheDocumentedShapes() {
    try (NDManager m = model.manager().newSubManager();
        var cache = new Hooks.ActivationCache()) {
      NDArray logits = model.forward(tokens(m, 3, 10), Hooks.caching(n -> true, cache));
      assertEquals(new Shape(3, 10, 97), logits.getShape());
      assertEquals(new Shape(3, 10, 4, 8), cache.get("blocks.1.attn.hook_z").getShape());
      assertEquals(new Shape(3, 4, 10, 10), cache.get("blocks.0.attn.hook_pattern").getShape());
      assertEquals(new Shape(3, 10, 32), cache.get("blocks.0.hook_resid_pre").getShape());
      assertEquals(new Shape(3, 10, 32), cache.get("blocks.1.hook_resid_post").getShape());
      assertEquals(new Shape(3, 10, 48), cache.get("blocks.0.mlp.hook_post").getShape());
      assertEquals(model.hookNames(), cache.names());
      // Causal: attention to later positions is exactly zero, each row sums to one.
      float[] p = cache.get("blocks.0.attn.hook_pattern").get("0, 0").toFloatArray();
      assertEquals(0f, p[1]);
      assertEquals(1f, p[10 + 0] + p[10 + 1], 1e-5);
    }
  }

  @Test
  void aReplacingHookChangesTheLogitsAndAReadingOneDoesNot() {
    try (NDManager m = model.manager().newSubManager()) {
      NDArray x = tokens(m, 2, 8);
      float[] plain = model.forward(x).toFloatArray();
      float[] read = model.forward(x, Hooks.none().with(HookName.z(0), (n, z) -> z)).toFloatArray();
      float[] ablated =
          model
              .forward(x, Hooks.none().with(HookName.z(0), (n, z) -> z.zerosLike()))
              .toFloatArray();
      assertArrayEquals(plain, read);
      double diff = 0;
      for (int i = 0; i < plain.length; i++) {
        diff += Math.abs(plain[i] - ablated[i]);
      }
      assertTrue(diff > 1e-3, "ablating heads changed nothing: " + diff);
    }
  }

  @Test
  void hookNamesParseAndTyposAreCaught() {
    assertEquals(new HookName(3, HookName.Point.ATTN_Z), HookName.parse("blocks.3.attn.hook_z"));
    assertEquals("blocks.3.attn.hook_z", HookName.z(3));
    assertEquals("blocks.3.attn.hook_z", HookName.layer(3).name(HookName.Point.ATTN_Z));
    assertEquals("blocks.3.", HookName.layer(3).prefix());
    assertThrows(BadInputException.class, () -> HookName.layer(-1));
    BadInputException e =
        assertThrows(BadInputException.class, () -> HookName.parse("blocks.3.hook_zz"));
    assertTrue(e.getMessage().contains("attn.hook_z"), e.getMessage());
  }

  @Test
  void greedyGenerationIsTheSameWithAndWithoutTheCache() {
    List<int[]> prompts = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {9, 8, 7}, new int[] {42});
    List<int[]> cached =
        Generator.generate(model, prompts, GenerationConfig.greedy(12), Hooks.none(), true);
    List<int[]> plain =
        Generator.generate(model, prompts, GenerationConfig.greedy(12), Hooks.none(), false);
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(plain.get(i), cached.get(i), "prompt " + i);
      assertEquals(12, cached.get(i).length);
    }
  }

  @Test
  void aStopTokenEndsAContinuationUnlessTheMinimumLengthForbidsIt() {
    List<int[]> prompts = List.of(new int[] {1, 2, 3, 4, 5});
    int first =
        Generator.generate(model, prompts, GenerationConfig.greedy(12), Hooks.none()).get(0)[0];
    GenerationConfig stopAtFirst = GenerationConfig.greedy(12).stoppingAt(first);
    assertEquals(0, Generator.generate(model, prompts, stopAtFirst, Hooks.none()).get(0).length);
    for (boolean cache : new boolean[] {true, false}) {
      int[] full =
          Generator.generate(model, prompts, stopAtFirst.withMinNewTokens(12), Hooks.none(), cache)
              .get(0);
      assertEquals(12, full.length, "cache " + cache);
      assertTrue(Arrays.stream(full).noneMatch(t -> t == first), Arrays.toString(full));
    }
    assertThrows(BadInputException.class, () -> GenerationConfig.greedy(4).withMinNewTokens(5));
    assertThrows(
        BadInputException.class,
        () ->
            Generator.generate(
                model,
                prompts,
                GenerationConfig.greedy(4).stoppingAt(CONFIG.vocab()),
                Hooks.none()));

    // A batch that samples: every row reaches the minimum without the stop token, on both paths
    // alike.
    List<int[]> batch = List.of(new int[] {1, 2, 3}, new int[] {7}, new int[] {9, 9, 9, 9});
    GenerationConfig sampled =
        GenerationConfig.sample(12, 1.0, 1.0, 3).stoppingAt(first).withMinNewTokens(5);
    List<int[]> cached = Generator.generate(model, batch, sampled, Hooks.none(), true);
    List<int[]> plain = Generator.generate(model, batch, sampled, Hooks.none(), false);
    for (int i = 0; i < batch.size(); i++) {
      int[] row = cached.get(i);
      assertArrayEquals(plain.get(i), row, "row " + i);
      assertTrue(row.length >= 5 && row.length <= 12, "row " + i + ": " + row.length + " tokens");
      assertTrue(Arrays.stream(row).noneMatch(t -> t == first), "row " + i);
    }
  }

  @Test
  void manyPromptsOfManyLengthsDrawWhatEachDrawsAlone() {
    // More prompts than one batch holds, so they are split and regrouped by length, some repeated:
    // each prompt's continuation depends on its own index only, as on the one-at-a-time path.
    SplittableRandom r = new SplittableRandom(5);
    List<int[]> prompts = new ArrayList<>();
    for (int i = 0; i < Generator.BATCH + 9; i++) {
      // Some prompts repeat, as a prompt's samples do: they share one prefill.
      prompts.add(
          i % 3 == 2 ? prompts.get(i - 1) : r.ints(1 + r.nextInt(12), 0, CONFIG.vocab()).toArray());
    }
    GenerationConfig sampled = GenerationConfig.sample(3, 1.0, 0.9, 17);
    List<int[]> batched = Generator.generate(model, prompts, sampled, Hooks.none(), true);
    List<int[]> alone = Generator.generate(model, prompts, sampled, Hooks.none(), false);
    for (int i = 0; i < prompts.size(); i++) {
      assertArrayEquals(alone.get(i), batched.get(i), "prompt " + i);
    }
  }

  @Test
  void samplingIsSeeded() {
    List<int[]> prompts = List.of(new int[] {1, 2, 3});
    var a =
        Generator.generate(model, prompts, GenerationConfig.sample(10, 1.0, 0.9, 5), Hooks.none());
    var b =
        Generator.generate(model, prompts, GenerationConfig.sample(10, 1.0, 0.9, 5), Hooks.none());
    assertArrayEquals(a.get(0), b.get(0));
  }

  @Test
  void stateRoundTripsThroughSafetensors() throws Exception {
    Path f = Files.createTempFile("model", ".safetensors");
    SafeTensors.write(f, model.state(), Map.of("note", "test"));
    var read = SafeTensors.read(f);
    try (Transformer copy = Transformer.fromState(CONFIG, read.tensors(), Device.cpu());
        NDManager m = model.manager().newSubManager()) {
      NDArray x = tokens(m, 1, 6);
      assertArrayEquals(model.forward(x).toFloatArray(), copy.forward(x).toFloatArray());
    }
    assertEquals("test", read.metadata().get("note"));
  }

  @Test
  void aForwardPassLeavesNothingInTheModelsManager() {
    int before = model.manager().getManagedArrays().size();
    for (int i = 0; i < 3; i++) {
      try (NDManager m = model.manager().newSubManager()) {
        model.loss(tokens(m, 2, 8), tokens(m, 2, 8));
      }
    }
    assertEquals(before, model.manager().getManagedArrays().size());
  }

  @Test
  void badShapesFailBeforeAnyWork() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                new ModelConfig(
                    2, 3, 32, 64, 32, 97, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.02));
    assertTrue(e.getMessage().contains("multiple of heads"), e.getMessage());
  }
}
