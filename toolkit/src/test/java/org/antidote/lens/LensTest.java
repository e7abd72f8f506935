package org.antidote.lens;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.antidote.iti.Intervention;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.Trainer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The lens gives what the long way gives, and frees what it handed out. */
class LensTest {

  @TempDir static Path tmp;
  static Path run;
  static BpeTokenizer tok;

  @BeforeAll
  static void trainATinyRun() throws Exception {
    String[] words =
        ("the whale swam under a grey sea while the crew sang of home and the captain "
                + "counted his coins by the light of a lamp that never went out")
            .split(" ");
    List<String> docs = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      StringBuilder b = new StringBuilder();
      for (int w = 0; w < 5 + (i * 7) % 30; w++) {
        b.append(w == 0 ? "" : " ").append(words[(i * 5 + w * w) % words.length]);
      }
      docs.add(b + ".");
    }
    Path text = Files.writeString(tmp.resolve("clean.txt"), String.join("\n\n", docs) + "\n");
    tok = BpeTokenizer.train(docs.iterator(), BpeTrainerConfig.of(300));
    Path data = tmp.resolve("data");
    PackedTokens.pack(
        Map.of("train", text, "validation", text),
        tok,
        data,
        "",
        new PrintStream(OutputStream.nullOutputStream()));
    var model =
        new ModelConfig(
            2, 2, 32, 64, 32, tok.vocabSize(), 10000, ModelConfig.Norm.LAYER_NORM, true, 0.02);
    run = tmp.resolve("run");
    Trainer.train(
        TrainConfig.defaults(model, 6).withBatch(4, 1),
        data,
        run,
        TrainListener.silent(),
        Device.cpu());
  }

  @Test
  void runWithCacheGivesTheForwardPassAndTheNamedHookPoints() {
    try (var lens = Lens.load(run.toString());
        NDManager m = NDManager.newBaseManager()) {
      String text = "the whale swam under a grey sea";
      int[] ids = lens.toTokens(text);
      assertArrayEquals(tok.encode(text), ids);
      assertEquals(text, lens.toText(ids));
      var out = lens.runWithCache(text, HookName.z(1));
      ModelConfig c = lens.model().config();
      assertArrayEquals(
          new long[] {1, ids.length, c.heads(), c.dHead()},
          out.cache().get(HookName.z(1)).getShape().getShape());
      assertEquals(List.of(HookName.z(1)), out.cache().names());
      try (var cache = new Hooks.ActivationCache();
          var sub = lens.model().manager().newSubManager()) {
        var x = sub.create(Arrays.stream(ids).asLongStream().toArray(), new Shape(1, ids.length));
        var logits = lens.model().forward(x, Hooks.caching(List.of(HookName.z(1)), cache));
        assertArrayEquals(logits.toFloatArray(), out.logits().toFloatArray());
        assertArrayEquals(
            cache.get(HookName.z(1)).toFloatArray(), out.cache().get(HookName.z(1)).toFloatArray());
      }
      assertTrue(out.table().print().contains(HookName.z(1)), out.table().print());
    }
  }

  @Test
  void withoutNamesEveryHookPointIsCached() {
    try (var lens = Lens.load(run)) {
      var out = lens.runWithCache("a lamp");
      assertEquals(
          lens.model().hookNames().size(),
          out.cache().names().size(),
          out.cache().names().toString());
    }
  }

  @Test
  void generateIsTheGreedyContinuationWithAndWithoutAnIntervention() {
    try (var lens = Lens.load(run)) {
      String prompt = "the captain";
      int[] ids = tok.encode(prompt);
      int[] plain =
          Generator.generate(lens.model(), List.of(ids), GenerationConfig.greedy(8), Hooks.none())
              .get(0);
      assertEquals(prompt + tok.decode(plain), lens.generate(prompt, 8));
      ModelConfig c = lens.model().config();
      float[] dir = new float[c.dHead()];
      Arrays.fill(dir, 1f / (float) Math.sqrt(dir.length));
      var iti =
          new Intervention(
              "run",
              c.layers(),
              c.heads(),
              dir.length,
              500,
              List.of(
                  new Intervention.Shift(1, 0, dir, 1.0), new Intervention.Shift(0, 1, dir, 1.0)));
      int[] steered =
          Generator.generate(lens.model(), List.of(ids), GenerationConfig.greedy(8), iti.hooks())
              .get(0);
      assertEquals(prompt + tok.decode(steered), lens.generate(prompt, 8, iti));
    }
  }

  @Test
  void closingTheLensFreesTheCachesItHandedOut() {
    var lens = Lens.load(run);
    var out = lens.runWithCache("the sea", HookName.z(0));
    var z = out.cache().get(HookName.z(0));
    lens.close();
    assertTrue(out.logits().isReleased(), "logits outlived the lens");
    assertTrue(z.isReleased(), "cached activations outlived the lens");
  }

  @Test
  void aFolderThatIsNoRunIsNamedInOneSentence() {
    var e = assertThrows(BadInputException.class, () -> Lens.load(tmp.resolve("data")));
    assertTrue(e.getMessage().contains("holds no model"), e.getMessage());
    try (var lens = Lens.load(run)) {
      var empty = assertThrows(BadInputException.class, () -> lens.runWithCache(""));
      assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    }
  }
}
