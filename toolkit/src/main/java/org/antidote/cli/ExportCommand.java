package org.antidote.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.antidote.io.BadInputException;
import org.antidote.iti.Intervention;
import org.antidote.model.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./antidote export}: a run as a Hugging Face folder, optionally with ITI baked in. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write a finished run as a Hugging Face folder (config.json, model.safetensors, tokenizer.json)",
      "that transformers' AutoModelForCausalLM loads with the same logits: model_type olmo for the toolkit's",
      "parameter-free LayerNorm, llama for RMSNorm runs. --intervention bakes the ITI shift in as the",
      "attention output bias, which acts at every position (--positions all)."
    })
final class ExportCommand implements Callable<Integer> {

  @Option(
      names = {"--run", "--model"},
      required = true,
      paramLabel = "DIR",
      description = "A finished training run folder.")
  Path run;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "The new Hugging Face folder.")
  Path out;

  @Option(
      names = "--intervention",
      paramLabel = "DIR",
      description = "An intervention ./antidote iti saved, to bake in.")
  Path intervention;

  @picocli.CommandLine.Mixin DeviceOption device = new DeviceOption();

  @Override
  public Integer call() {
    Intervention iti = intervention == null ? null : Intervention.load(intervention);
    try (Models.Loaded loaded = Models.load(run, device.device())) {
      if (!loaded.kind().equals("run")) {
        throw new BadInputException(
            run + " is a " + loaded.kind() + " checkpoint already; export takes a toolkit run");
      }
      Map<String, String> note = new LinkedHashMap<>();
      note.put("source", run.toAbsolutePath().toString());
      if (iti != null) {
        iti.checkFits(loaded.model().config());
        iti.bake(loaded.model());
        note.put("intervention", intervention.toAbsolutePath().toString());
        note.put("alpha", String.valueOf(iti.alpha()));
        note.put("positions", "all");
      }
      Models.Exported e = Models.export(loaded.model(), loaded.tokenizer(), out, note);
      System.out.println(
          "wrote "
              + out
              + " as model_type "
              + e.modelType()
              + (loaded.tokenizer() == null
                  ? " (no tokenizer: the run's data folder is gone)"
                  : " with tokenizer.json"));
      if (iti != null) {
        System.out.println(
            "the intervention is baked in as o_proj bias, which acts at every position:"
                + " --positions all (the config says so under \"antidote\")");
      }
    }
    return 0;
  }
}
