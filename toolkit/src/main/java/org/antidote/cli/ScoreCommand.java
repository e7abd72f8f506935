package org.antidote.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.antidote.eval.FileScores;
import org.antidote.eval.ScorerSpec;
import org.antidote.eval.ToxicityScorer;
import org.antidote.io.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./antidote score FILE}: the toxicity scorer over any file of texts, audited on its labels.
 */
@Command(
    name = "score",
    mixinStandardHelpOptions = true,
    description = {
      "Score every text of FILE (text, JSONL, CSV/TSV, optionally .gz) with a toxicity scorer.",
      "Prints the count and mean score and, when the texts have labels, the AUC and the balanced accuracy",
      "(score > 0.5 = toxic). Labels may be 0/1, true/false or names; --toxic-label names the toxic ones."
    })
final class ScoreCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "FILE", description = "The texts to score.")
  Path file;

  @Option(
      names = "--scorer",
      description = {
        "minilm (offline default), lexicon, perspective (needs",
        "PERSPECTIVE_API_KEY), or onnx=MODEL.onnx,tokenizer.json[,LABEL[,sigmoid|softmax]] (default: ${DEFAULT-VALUE})."
      })
  String scorer = ScorerSpec.DEFAULT.spec();

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description =
          "Write one JSON line per text, in input order: {\"text\", \"score\", \"label\"?}.")
  Path out;

  @Mixin DataCommand.ReadFlags read = new DataCommand.ReadFlags();

  @Override
  public Integer call() {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no such file; score takes a file of texts");
    }
    if (out != null
        && out.toAbsolutePath().getParent() != null
        && !Files.isDirectory(out.toAbsolutePath().getParent())) {
      throw new BadInputException(
          "--out " + out + ": the folder " + out.toAbsolutePath().getParent() + " does not exist");
    }
    ScorerSpec spec = ScorerSpec.parse(scorer);
    try (ToxicityScorer s = spec.open()) {
      FileScores r = FileScores.score(file, read.options(), s, out, System.err);
      System.out.println(r);
      if (out != null) {
        System.out.println("wrote " + out);
      }
    }
    return 0;
  }
}
