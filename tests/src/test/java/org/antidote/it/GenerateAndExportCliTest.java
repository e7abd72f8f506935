package org.antidote.it;

import static org.antidote.it.CliTest.antidote;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.Hooks;
import org.antidote.model.Models;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./antidote generate} and {@code ./antidote export} on a tiny trained run: the printed
 * continuation is the library's, the exported folder (with a baked intervention) loads back as a
 * Hugging Face model that continues exactly as the run does with the intervention's hooks.
 */
class GenerateAndExportCliTest {

  @TempDir Path tmp;

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).asInt();
    }
    return out;
  }

  @Test
  void generateAndExportARunWithAndWithoutAnIntervention() throws Exception {
    Random r = new Random(3);
    String[] words = {"the", "ship", "sailed", "north", "and", "crew", "sang", "of", "home", "sea"};
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      for (int k = 0; k < 10 + r.nextInt(20); k++) {
        c.append(words[r.nextInt(words.length)]).append(' ');
      }
      c.append("\n\n");
    }
    Path clean = Files.writeString(tmp.resolve("clean.txt"), c.toString());
    Path toxic =
        Files.writeString(tmp.resolve("toxic.txt"), "rude words, rude again.\n\n".repeat(100));
    Path run =
        CliTest.tinyRun(
            tmp,
            10,
            "--clean",
            clean.toString(),
            "--toxic",
            toxic.toString(),
            "--toxic-share",
            "0.2");

    int[] promptIds;
    int[] plain;
    int[] steered;
    Path iti = tmp.resolve("intervention");
    try (Models.Loaded loaded = Models.load(run, Device.cpu())) {
      assertEquals("run", loaded.kind());
      var cfg = loaded.model().config();
      float[] dir = new float[cfg.dHead()];
      dir[0] = 1;
      Intervention i =
          new Intervention(
              run.toString(),
              cfg.layers(),
              cfg.heads(),
              cfg.dHead(),
              30,
              List.of(
                  new Intervention.Shift(0, 1, dir, 1.0), new Intervention.Shift(1, 2, dir, 1.0)));
      i.save(iti);
      promptIds = loaded.requireTokenizer().encode("the ship sailed");
      plain =
          Generator.generate(
                  loaded.model(), List.of(promptIds), GenerationConfig.greedy(12), Hooks.none())
              .get(0);
      steered =
          Generator.generate(
                  loaded.model(), List.of(promptIds), GenerationConfig.greedy(12), i.hooks())
              .get(0);
    }

    CliTest.Result g =
        antidote(
            "generate",
            "--run",
            run.toString(),
            "--prompt",
            "the ship sailed",
            "--max-new-tokens",
            "12",
            "--json");
    assertEquals(0, g.exit(), g.err());
    JsonNode j = Json.MAPPER.readTree(g.out().strip());
    assertArrayEquals(promptIds, ints(j.get("prompt_ids")));
    assertArrayEquals(plain, ints(j.get("new_ids")));
    assertTrue(j.get("text").isTextual(), j.toString());

    CliTest.Result gi =
        antidote(
            "generate",
            "--run",
            run.toString(),
            "--prompt-ids",
            String.join(",", Arrays.stream(promptIds).mapToObj(String::valueOf).toList()),
            "--max-new-tokens",
            "12",
            "--intervention",
            iti.toString(),
            "--json");
    assertEquals(0, gi.exit(), gi.err());
    assertArrayEquals(steered, ints(Json.MAPPER.readTree(gi.out().strip()).get("new_ids")));

    CliTest.Result s1 =
        antidote(
            "generate",
            "--run",
            run.toString(),
            "--prompt",
            "the sea",
            "--temperature",
            "1.5",
            "--top-p",
            "0.9",
            "--seed",
            "7",
            "--json");
    CliTest.Result s2 =
        antidote(
            "generate",
            "--run",
            run.toString(),
            "--prompt",
            "the sea",
            "--temperature",
            "1.5",
            "--top-p",
            "0.9",
            "--seed",
            "7",
            "--json");
    assertEquals(0, s1.exit(), s1.err());
    assertEquals(s1.out(), s2.out(), "the same seed samples the same continuation");

    Path exported = tmp.resolve("hf");
    CliTest.Result e =
        antidote(
            "export",
            "--run",
            run.toString(),
            "--out",
            exported.toString(),
            "--intervention",
            iti.toString());
    assertEquals(0, e.exit(), e.err());
    assertTrue(e.out().contains("model_type olmo") && e.out().contains("--positions all"), e.out());
    JsonNode config = Json.MAPPER.readTree(exported.resolve("config.json").toFile());
    assertEquals(
        "olmo",
        config.get("model_type").asText(),
        "the tiny preset's parameter-free LayerNorm is OLMo-1's");
    assertEquals("all", config.path("antidote").path("positions").asText());
    assertTrue(config.get("attention_bias").asBoolean());
    assertTrue(Files.isRegularFile(exported.resolve("tokenizer.json")));

    // The baked bias acts at every position, as the hooks do: the same continuation from the
    // export.
    CliTest.Result ge =
        antidote(
            "generate",
            "--model",
            exported.toString(),
            "--prompt",
            "the ship sailed",
            "--max-new-tokens",
            "12",
            "--json");
    assertEquals(0, ge.exit(), ge.err());
    assertArrayEquals(steered, ints(Json.MAPPER.readTree(ge.out().strip()).get("new_ids")));

    // A Hugging Face folder goes wherever a run does: probes, ITI and evaluation through --models.
    Path eval = tmp.resolve("eval");
    CliTest.Result ev =
        antidote(
            "eval",
            "--models",
            exported.toString(),
            "--out",
            eval.toString(),
            "--scorer",
            "lexicon",
            "--prompts",
            "6",
            "--samples",
            "1",
            "--alpha",
            "4",
            "--probe-texts",
            "40");
    assertEquals(0, ev.exit(), ev.err());
    JsonNode rows = Json.MAPPER.readTree(eval.resolve("results.json").toFile());
    // No SFT or DPO for a checkpoint without a training config; the random-direction control stays.
    List<String> methods = new ArrayList<>();
    rows.forEach(row -> methods.add(row.get("method").asText()));
    assertEquals(List.of("none", "prompt", "ITI a=4", "random a=4"), methods, rows.toString());

    CliTest.Result again =
        antidote("export", "--run", run.toString(), "--out", exported.toString());
    assertEquals(2, again.exit());
    assertTrue(again.err().contains("already holds"), again.err());
    CliTest.Result both =
        antidote("generate", "--run", run.toString(), "--prompt", "x", "--prompt-ids", "1,2");
    assertEquals(2, both.exit());
    assertTrue(both.err().contains("exactly one of --prompt"), both.err());
  }
}
