package org.antidote.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;
import org.antidote.iti.Intervention;
import org.antidote.model.GenerationConfig;
import org.antidote.model.Generator;
import org.antidote.model.Hooks;
import org.antidote.model.Models;
import org.antidote.tokenize.BpeTokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote generate}: continue one prompt with a run or a Hugging Face model. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Continue a prompt (text, or token ids) with a finished run or a Hugging Face model folder,",
      "greedily or by seeded sampling, optionally with an ITI intervention applied at every position."
    })
final class GenerateCommand implements Callable<Integer> {

  @Option(
      names = {"--run", "--model"},
      required = true,
      paramLabel = "DIR",
      description =
          "A finished training run folder (--run), or a Hugging Face model folder (--model).")
  Path dir;

  @Option(
      names = "--prompt",
      paramLabel = "TEXT",
      description = "The prompt as text (needs the model's tokenizer).")
  String prompt;

  @Option(
      names = "--prompt-ids",
      split = ",",
      paramLabel = "ID",
      description = "The prompt as token ids: 1,2,3.")
  int[] promptIds;

  @Option(
      names = "--max-new-tokens",
      defaultValue = "20",
      description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
  int maxNewTokens;

  @Option(names = "--greedy", description = "Greedy decoding (the default without --temperature).")
  boolean greedy;

  @Option(
      names = "--temperature",
      paramLabel = "T",
      description = "Sample at this temperature (> 0).")
  Double temperature;

  @Option(
      names = "--top-p",
      defaultValue = "1",
      paramLabel = "P",
      description = "Nucleus for sampling (default: ${DEFAULT-VALUE}).")
  double topP;

  @Option(
      names = "--seed",
      defaultValue = "1",
      paramLabel = "S",
      description = "Seed of sampling (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--intervention",
      paramLabel = "DIR",
      description = "An intervention ./antidote iti saved.")
  Path intervention;

  @Option(
      names = "--json",
      description = "Print {\"prompt_ids\": [...], \"new_ids\": [...], \"text\": ...}.")
  boolean json;

  @picocli.CommandLine.Mixin DeviceOption device = new DeviceOption();

  @Override
  public Integer call() {
    Check.input(
        (prompt == null) != (promptIds == null),
        "give exactly one of --prompt TEXT and --prompt-ids 1,2,3");
    Check.input(!greedy || temperature == null, "--greedy and --temperature exclude each other");
    Check.input(
        temperature == null || temperature > 0,
        "--temperature must be > 0 (use --greedy for greedy decoding), got " + temperature);
    GenerationConfig config;
    try {
      config =
          temperature == null
              ? GenerationConfig.greedy(maxNewTokens)
              : GenerationConfig.sample(maxNewTokens, temperature, topP, seed);
    } catch (IllegalArgumentException | BadInputException e) {
      // GenerationConfig refuses with either while the configs move onto Check (issue 18).
      throw new BadInputException("--max-new-tokens / --top-p: " + e.getMessage());
    }
    Intervention iti = intervention == null ? null : Intervention.load(intervention);
    try (Models.Loaded loaded = Models.load(dir, device.device())) {
      BpeTokenizer tok = loaded.tokenizer();
      int[] ids = prompt != null ? loaded.requireTokenizer().encode(prompt) : promptIds;
      int vocab = loaded.model().config().vocab();
      for (int id : ids) {
        Check.input(
            id >= 0 && id < vocab,
            "--prompt-ids: " + id + " is outside the vocabulary [0, " + vocab + ")");
      }
      Check.input(ids.length > 0, "--prompt: the text has no tokens");
      Hooks hooks = Hooks.none();
      if (iti != null) {
        iti.checkFits(loaded.model().config());
        hooks = iti.hooks();
      }
      int[] out = Generator.generate(loaded.model(), List.of(ids), config, hooks).get(0);
      String text = tok == null ? null : tok.decode(out);
      if (json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("prompt_ids", ids);
        m.put("new_ids", out);
        m.put("text", text);
        System.out.println(Json.line(m));
      } else {
        System.out.println(text != null ? text : Arrays.toString(out));
      }
    }
    return 0;
  }
}
