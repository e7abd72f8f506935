package org.antidote.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.antidote.corpus.Corpora;
import org.antidote.io.AntidoteHome;
import org.antidote.io.BadInputException;
import org.antidote.launch.Stage;
import org.antidote.study.Study;
import org.antidote.study.StudyConfig;
import org.antidote.train.Sweep;
import org.antidote.train.TrainListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./antidote demo}: the whole study on the bundled data at one scale, then notebook 07
 * executed on the same study folder (it reuses everything the study wrote, so it only adds the
 * notebook's own figures and tables).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The study on the bundled data: tokenizer, one mixture per toxic share (the paper's 0, 5, 10, 15,",
      "20, 25 %), one model pre-trained per share, a probe per head, toxicity and capability with and",
      "without detoxification (safety prompt, ITI, SFT), OUT/report.html, OUT/figures, OUT/results.md, and",
      "notebook 07 executed into OUT. Resumable: finished steps are skipped, interrupted training resumes."
    })
final class DemoCommand implements Callable<Integer> {

  @Option(
      names = "--out",
      description =
          "Output folder (default: runs/demo at cpu scale, $ANTIDOTE_HOME/studies/cpu-full at"
              + " cpu-full, runs/demo-SCALE otherwise).")
  Path out;

  @Option(
      names = "--scale",
      defaultValue = "cpu",
      description = {
        "smoke (a minute), cpu (6 shares x 3 seeds, at most 40 minutes on 2 cores),",
        "cpu-full (larger models, about 2 hours on 2 cores; resumable in a later session)",
        "or gpu (the GPT-2 shape; needs a GPU) (default: ${DEFAULT-VALUE})."
      })
  String scale;

  @Option(names = "--shares", split = ",", description = "Toxic shares instead of the scale's.")
  List<Double> shares;

  @Option(
      names = "--seed",
      description = "Mixing and sampling seed and first training seed instead of the scale's (1).")
  Long seed;

  @Option(
      names = "--seeds",
      description = "Models per share instead of the scale's (3 at cpu and cpu-full).")
  Integer seeds;

  @Option(
      names = "--scorer",
      description = "Toxicity scorer instead of minilm: lexicon, perspective or onnx=...")
  String scorer;

  @Option(
      names = "--notebook",
      paramLabel = "FILE",
      description = {
        "Notebook to execute after the study, in the same",
        "folder (default: notebooks/07-reproduce-the-paper.ipynb when run through ./antidote)."
      })
  Path notebook;

  @Option(names = "--no-notebook", description = "Skip executing the notebook.")
  boolean noNotebook;

  @picocli.CommandLine.Mixin DeviceOption device = new DeviceOption();

  @Option(
      names = "--stage",
      hidden = true,
      paramLabel = "prepare|train|probe|eval",
      description =
          "Run only this stage (of run --task for train, probe and eval): what a launcher's task runs.")
  String stage;

  @Option(
      names = "--task",
      hidden = true,
      paramLabel = "I",
      description = "The run of --stage, in share order.")
  Integer task;

  @Spec CommandSpec spec;

  @Mixin LaunchFlags launch = new LaunchFlags();

  /** Seconds each stage took, in order: printed at the end. */
  private final Map<String, Double> took = new LinkedHashMap<>();

  private void timed(String name, Runnable step) {
    long t = System.nanoTime();
    step.run();
    took.put(name, (System.nanoTime() - t) / 1e9);
  }

  private static double since(long t) {
    return (System.nanoTime() - t) / 1e9;
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    StudyConfig config = config();
    if (out == null) {
      out =
          switch (config.scale()) {
            case "cpu" -> Path.of("runs", "demo");
            // Outside the checkout: a two-hour run outlives a clone and resumes in a later session.
            case "cpu-full" -> AntidoteHome.dir().resolve("studies").resolve("cpu-full");
            default -> Path.of("runs", "demo-" + config.scale());
          };
    }
    Study study =
        Study.at(out, config)
            .log(System.out)
            .listener(TrainListener.console())
            .device(device.device());
    if (stage != null) {
      runStage(study);
      return 0;
    }
    if (config.scale().startsWith("cpu") && !device.device().isGpu()) {
      // Each of these models uses one core far better than two: one run per core.
      int cores = Runtime.getRuntime().availableProcessors();
      launch.parallelByDefault(Math.max(1, Math.min(8, Math.min(cores, study.runCount()))));
    }
    if (!launch.here()) {
      List<String> args = LaunchFlags.taskArgs("demo", spec);
      List<Stage> stages = new ArrayList<>();
      if (!launch.isLocal()) {
        stages.add(
            Stage.single(
                "prepare",
                "tokenizer and one packed mixture per share",
                stageArgs(args, "prepare", null)));
      } else {
        study.mixtures();
      }
      List<String> runs = study.runNames();
      stages.add(perRun("train", "pre-training, one task per share", args, runs));
      stages.add(
          perRun("probe", "activations and one probe per head, one task per model", args, runs));
      stages.add(
          perRun(
              "eval",
              "toxicity and capability with and without detoxification, one task per model",
              args,
              runs));
      if (!launch.isLocal()) {
        stages.add(
            Stage.single("report", "report.html, figures, results.md and the notebook", args));
        launch.launch(out, stages, System.out);
        return 0;
      }
      took.put("data, tokenizer and mixtures", since(start));
      timed(
          "train, probe and eval tasks",
          // The steps below then reuse what the tasks wrote.
          () -> launch.launch(out, stages, System.out));
    }
    System.out.println("== the study at " + config.scale() + " scale, in " + out);
    System.out.println("== 1. data: the bundled corpora");
    timed("data", study::data);
    System.out.println("== 2. tokenizer: byte-level BPE on the pre-training pool");
    timed("tokenizer", study::tokenizer);
    System.out.println("== 3. mixtures: clean tokens fixed, toxic documents added to each share");
    timed("mixtures", () -> System.out.println(study.mixtures()));
    System.out.println(
        "== 4. pre-training: "
            + config.seeds()
            + " "
            + config.preset().id()
            + " model"
            + (config.seeds() == 1 ? "" : "s")
            + " per share (resumable)");
    timed("pre-training", () -> System.out.println(Sweep.table(study.pretrain())));
    System.out.println("== 5. probes: one logistic probe per head, on held-out labelled texts");
    timed("probes (ToxiGen)", () -> System.out.println(study.probes()));
    System.out.println("   and on Davidson's held-out tweets, the second, larger set");
    timed(
        "probes (Davidson)", () -> System.out.println(study.probes(Corpora.LabelledSet.DAVIDSON)));
    System.out.println(
        "== 6. evaluation: toxicity and capability, with and without detoxification");
    timed("evaluation", () -> System.out.println(study.evaluate()));
    System.out.println("== 7. report");
    timed("report", study::report);
    Path notebookFile = notebookFile();
    if (notebookFile != null) {
      System.out.println(
          "== 8. notebook: " + notebookFile.getFileName() + " executed on the same folder");
      long nb = System.nanoTime();
      boolean ok = executeNotebook(notebookFile, config);
      took.put("notebook", (System.nanoTime() - nb) / 1e9);
      if (!ok) {
        System.err.println(
            "executing "
                + notebookFile
                + " failed (above: the cell and its error); the study's own"
                + " outputs are complete in "
                + out
                + ". ./antidote demo again resumes; --no-notebook skips the notebook");
        return 1;
      }
    }
    System.out.println("time by stage (s):");
    took.forEach((name, seconds) -> System.out.printf("  %-45s %7.0f%n", name, seconds));
    System.out.printf(
        "done in %.0f s: %s, %s, %s%n",
        (System.nanoTime() - start) / 1e9,
        out.resolve("report.html"),
        out.resolve("figures"),
        out.resolve("results.md"));
    return 0;
  }

  private void runStage(Study study) {
    if (!stage.equals("prepare") && task == null) {
      throw new BadInputException(
          "--stage " + stage + " needs --task I, the run (0 to " + (study.runCount() - 1) + ")");
    }
    switch (stage) {
      case "prepare" -> System.out.println(study.mixtures());
      case "train" -> System.out.println(Sweep.table(List.of(study.pretrain(task))));
      case "probe" ->
          System.out.printf("mean head accuracy %.3f%n", study.probes(task).meanAccuracy());
      case "eval" -> System.out.println(study.evaluate(task).rows().size() + " rows evaluated");
      default ->
          throw new BadInputException(
              "--stage must be prepare, train, probe or eval, got " + stage);
    }
  }

  private static List<String> stageArgs(List<String> args, String stage, Integer task) {
    List<String> a = new ArrayList<>(args);
    a.addAll(List.of("--stage", stage));
    if (task != null) {
      a.addAll(List.of("--task", task.toString()));
    }
    return a;
  }

  private static Stage perRun(String stage, String what, List<String> args, List<String> runs) {
    List<Stage.Task> tasks = new ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      tasks.add(new Stage.Task(runs.get(i), stageArgs(args, stage, i)));
    }
    return new Stage(stage, what, tasks);
  }

  /** The scale with the options' overrides. */
  private StudyConfig config() {
    StudyConfig c = StudyConfig.of(scale);
    if (shares != null) {
      c = c.withShares(shares);
    }
    if (seed != null) {
      c = c.withSeed(seed);
    }
    if (seeds != null) {
      c = c.withSeeds(seeds);
    }
    if (scorer != null) {
      c = c.withScorer(scorer);
    }
    return c;
  }

  /** The same config as a Java expression, for the notebook's parameter cell. */
  private String configExpression() {
    StringBuilder b = new StringBuilder("StudyConfig.of(\"" + scale + "\")");
    if (shares != null) {
      b.append(".withShares(List.of(")
          .append(shares.stream().map(String::valueOf).collect(Collectors.joining(", ")))
          .append("))");
    }
    if (seed != null) {
      b.append(".withSeed(").append(seed).append("L)");
    }
    if (seeds != null) {
      b.append(".withSeeds(").append(seeds).append(")");
    }
    if (scorer != null) {
      b.append(".withScorer(\"")
          .append(scorer.replace("\\", "\\\\").replace("\"", "\\\""))
          .append("\")");
    }
    return b.toString();
  }

  private Path notebookFile() {
    if (noNotebook) {
      return null;
    }
    if (notebook != null) {
      if (!Files.isRegularFile(notebook)) {
        throw new BadInputException("--notebook " + notebook + ": no such file");
      }
      return notebook;
    }
    String root = System.getProperty("antidote.root");
    if (root == null) {
      System.out.println("(no notebook executed: run through ./antidote, or give --notebook FILE)");
      return null;
    }
    return defaultNotebook(root);
  }

  /**
   * Runs {@code kernel/run_notebook.py} (nbclient on Debian's Python) with the parameter cell set
   * to this study, writing the executed copy into the study's folder.
   */
  private boolean executeNotebook(Path file, StudyConfig config)
      throws IOException, InterruptedException {
    String root = System.getProperty("antidote.root", ".");
    Path runner = Path.of(root, "kernel", "run_notebook.py");
    if (!Files.isRegularFile(runner)) {
      throw new BadInputException(
          runner + ": missing (the notebook runner of the Antidote checkout)");
    }
    Path executed = out.resolve(file.getFileName());
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "/usr/bin/python3",
                runner.toString(),
                file.toString(),
                executed.toString(),
                "antidote",
                "7200",
                "--param=scale=\"" + config.scale() + "\""));
    // Only what differs from the notebook's own defaults is set, so the executed copy of a plain
    // ./antidote demo keeps the parameter cell a reader would run.
    if (shares != null || seed != null || seeds != null || scorer != null) {
      cmd.add("--param=config=" + configExpression());
    }
    Path abs = out.toAbsolutePath().normalize();
    boolean notebookDefaults =
        config.scale().equals("cpu")
            && file.toAbsolutePath()
                .normalize()
                .equals(defaultNotebook(root).toAbsolutePath().normalize())
            && abs.equals(Path.of(root, "runs", "demo").toAbsolutePath().normalize());
    if (!notebookDefaults) {
      cmd.add(
          "--param=out=Path.of(\""
              + abs.toString().replace("\\", "\\\\").replace("\"", "\\\"")
              + "\")");
    }
    Process p = new ProcessBuilder(cmd).inheritIO().start();
    if (p.waitFor() != 0) {
      return false;
    }
    System.out.println("wrote " + executed);
    return true;
  }

  private static Path defaultNotebook(String root) {
    return Path.of(root, "notebooks", "07-reproduce-the-paper.ipynb");
  }
}
