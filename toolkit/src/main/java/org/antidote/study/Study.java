package org.antidote.study;

import ai.djl.Device;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.eval.Report;
import org.antidote.eval.ResultsTable;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.math.Numerics;
import org.antidote.math.Stats;
import org.antidote.mix.MixConfig;
import org.antidote.mix.MixManifest;
import org.antidote.mix.Mixer;
import org.antidote.model.Devices;
import org.antidote.plot.Chart;
import org.antidote.plot.Charts;
import org.antidote.plot.Displayable;
import org.antidote.probe.CaptureConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.probe.ProbeResult;
import org.antidote.probe.SurfaceBaseline;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.antidote.tokenize.PackedTokens;
import org.antidote.train.Sweep;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The whole study in one folder, stage by stage:
 *
 * <pre>{@code
 * var study = Study.at(Path.of("runs/demo"), StudyConfig.cpu());
 * study.mixtures();   // one mixture per toxic share, packed into token files
 * study.pretrain();   // one model per share (live loss curves in a notebook)
 * study.probes();     // one probe per head of every model
 * study.evaluate();   // toxicity and capability, with and without detoxification
 * study.report();     // report.html, figures/, results.md
 * }</pre>
 *
 * Each stage runs the ones before it when they have not run, and each is resumable: what is on disk
 * already (tokenizer, mixtures, finished runs, captured activations, evaluated runs) is reused, and
 * an interrupted training run resumes from its last checkpoint. So the command line ({@code
 * ./antidote demo}) and notebook 07 can work in the same folder, in either order.
 */
public final class Study {

  private final Path dir;
  private final StudyConfig config;
  private PrintStream log = new PrintStream(OutputStream.nullOutputStream());
  private TrainListener listener = TrainListener.auto();
  private Device device = Devices.auto();

  private Corpora.Bundled data;
  private BpeTokenizer tokenizer;
  private Mixtures mixtures;
  private List<Sweep.Row> runs;
  private final Map<Corpora.LabelledSet, HeadProbes> probes =
      new EnumMap<>(Corpora.LabelledSet.class);
  private EvaluatedRuns results;

  private Study(Path dir, StudyConfig config) {
    this.dir = dir;
    this.config = config;
  }

  /** A study of scale {@code config} whose every output goes under {@code dir}. */
  public static Study at(Path dir, StudyConfig config) {
    return new Study(dir, config);
  }

  /**
   * Prints what each stage does to {@code out} (the default is silence: a notebook shows results
   * instead).
   */
  public Study log(PrintStream out) {
    this.log = out;
    return this;
  }

  /** Receives training progress (default: {@link TrainListener#auto()}). */
  public Study listener(TrainListener l) {
    this.listener = l;
    return this;
  }

  /** Trains on {@code d} (default: a GPU when DJL sees one). */
  public Study device(Device d) {
    this.device = d;
    return this;
  }

  /** The study's folder. */
  public Path dir() {
    return dir;
  }

  /** The study's scale. */
  public StudyConfig config() {
    return config;
  }

  /** The bundled corpora (fetched on first use). */
  public Corpora.Bundled data() {
    if (data == null) {
      data = Corpora.bundled();
    }
    return data;
  }

  /**
   * A byte-level BPE trained on the whole pre-training pool, or the one already in {@code
   * dir/tokenizer.json}.
   */
  public BpeTokenizer tokenizer() {
    if (tokenizer != null) {
      return tokenizer;
    }
    claimFolder();
    Path file = dir.resolve("tokenizer.json");
    if (Files.isRegularFile(file)) {
      tokenizer = BpeTokenizer.load(file);
      log.println("reusing " + file + " (" + tokenizer.id() + ")");
      return tokenizer;
    }
    List<Corpus> pool = new ArrayList<>(data().clean());
    pool.addAll(data().toxic());
    log.printf(
        "training a BPE tokenizer (vocabulary %d) on %d corpora%n",
        config.vocabSize(), pool.size());
    tokenizer = BpeTokenizer.train(pool, BpeTrainerConfig.of(config.vocabSize()));
    tokenizer.save(file);
    return tokenizer;
  }

  /**
   * One mixture per toxic share (clean tokens kept, toxic documents added), each packed into token
   * files.
   */
  public Mixtures mixtures() {
    if (mixtures != null) {
      return mixtures;
    }
    BpeTokenizer tok = tokenizer();
    List<MixManifest> manifests = new ArrayList<>();
    for (double share : config.shares()) {
      Path mix = mixDir(share);
      MixManifest m =
          Mixer.mix(
              data().clean(),
              data().toxic(),
              MixConfig.addToxic(share).withSeed(config.seed()),
              tok.counter(),
              mix,
              log);
      if (!Files.isRegularFile(mix.resolve(PackedTokens.SIDECAR))) {
        Mixer.pack(mix, tok, mix, log);
      }
      manifests.add(m);
    }
    mixtures = new Mixtures(manifests);
    return mixtures;
  }

  /**
   * One model per share, trained or resumed (finished runs are skipped). As in the paper, every
   * model sees the same clean tokens: the 0% model trains the config's steps, a share r trains
   * steps / (1 - r).
   */
  public List<Sweep.Row> pretrain() {
    if (runs != null) {
      return runs;
    }
    mixtures();
    runs =
        Sweep.run(
            mixDirs(),
            config.seedList(),
            trainTemplate(),
            Sweep.Budget.SAME_CLEAN_TOKENS,
            dir.resolve("runs"),
            listener,
            device);
    return runs;
  }

  /** How many models the study trains: the tasks of a launcher's per-run stages. */
  public int runCount() {
    return config.shares().size() * config.seeds();
  }

  /**
   * The names of the study's runs, share-major ({@code share-05-seed-2}), from the config alone: a
   * launcher names its tasks before any mixture is made.
   */
  public List<String> runNames() {
    List<String> names = new ArrayList<>();
    for (double share : config.shares()) {
      for (long seed : config.seedList()) {
        names.add(Sweep.runName(share, seed));
      }
    }
    return names;
  }

  /**
   * Trains (or resumes) the {@code i}-th model only, in share order: one task of a launcher. The
   * other stages find it done.
   */
  public Sweep.Row pretrain(int i) {
    mixtures();
    return Sweep.runOne(
        planned(i),
        trainTemplate(),
        Sweep.Budget.SAME_CLEAN_TOKENS,
        dir.resolve("runs"),
        listener,
        device);
  }

  /**
   * The labelled texts every model is probed on: the plan's count per class of {@code set}, drawn
   * with the study's seed, the same for a launcher's probe task as for {@link #probes()}.
   */
  private RunProbes.Texts probeTexts(Corpora.LabelledSet set) {
    return RunProbes.Texts.bundled(set, config.eval().probeTextsPerClass(), config.seed());
  }

  /**
   * Captures the {@code i}-th model's activations and fits its probes (kept for {@link #probes()}).
   */
  public ProbeResult probes(int i) {
    RunProbes.Fitted f =
        RunProbes.fit(
            dir.resolve("runs").resolve(planned(i).name()),
            null,
            probeTexts(Corpora.LabelledSet.DEFAULT),
            CaptureConfig.Position.LAST,
            config.seed(),
            device,
            log);
    f.model().close();
    return f.probes();
  }

  /** Evaluates the {@code i}-th model only (kept for {@link #evaluate()}, which reuses it). */
  public RunsEvaluation.RunResult evaluate(int i) {
    return RunsEvaluation.run(
            List.of(dir.resolve("runs").resolve(planned(i).name())),
            dir.resolve("eval"),
            config.scorer(),
            config.eval(),
            config.seed(),
            device,
            log)
        .get(0);
  }

  private Sweep.Planned planned(int i) {
    List<Sweep.Planned> plan = Sweep.plan(mixDirs(), config.seedList());
    if (i < 0 || i >= plan.size()) {
      throw new BadInputException(
          "run "
              + i
              + " of a study with "
              + plan.size()
              + " runs (0 to "
              + (plan.size() - 1)
              + ")");
    }
    return plan.get(i);
  }

  private TrainConfig trainTemplate() {
    if (config.preset().gpuOnly() && !device.isGpu()) {
      throw new BadInputException(
          "scale "
              + config.scale()
              + " trains the "
              + config.preset().id()
              + " preset, sized for"
              + " a GPU, and DJL sees none; use the cpu scale, or build with the CUDA library (README: GPU)");
    }
    return TrainConfig.defaults(config.preset().config(tokenizer().vocabSize()), config.steps())
        .withBatch(config.batchSize(), 1);
  }

  /** Training and validation loss of every run, one colour per share. */
  public Chart lossCurves() {
    return Charts.lossCurves(runDirs());
  }

  /**
   * One logistic probe per head of every model, on balanced held-out texts of ToxiGen's statements
   * (the paper's probe set; activations kept under each run).
   */
  public HeadProbes probes() {
    return probes(Corpora.LabelledSet.DEFAULT);
  }

  /**
   * The same on another labelled set (Davidson's held-out tweets: thousands of texts where ToxiGen
   * has hundreds, so one head's accuracy is known to about 0.02 rather than 0.06); activations
   * under each run's {@code probes-SET} folder.
   */
  public HeadProbes probes(Corpora.LabelledSet set) {
    HeadProbes known = probes.get(set);
    if (known != null) {
      return known;
    }
    RunProbes.Texts texts = probeTexts(set);
    Map<String, ProbeResult> byShare = new LinkedHashMap<>();
    for (Sweep.Row row : pretrain()) {
      Path run = dir.resolve("runs").resolve(row.run());
      RunProbes.Fitted f =
          RunProbes.fit(
              run,
              set == Corpora.LabelledSet.DEFAULT
                  ? null
                  : run.resolve("probes-" + set.name().toLowerCase(Locale.ROOT)),
              texts,
              CaptureConfig.Position.LAST,
              config.seed(),
              device,
              log);
      f.model().close();
      byShare.put(
          config.seeds() == 1 ? percent(row.share()) : percent(row.share()) + " s" + row.seed(),
          f.probes());
    }
    // The same texts and split as every model's probes: what a classifier of the text's surface
    // alone (format, last word) gets, which a head must beat to have found more than surface.
    SurfaceBaseline surface =
        SurfaceBaseline.fit(texts.fit(), ProbeConfig.defaults().withSeed(config.seed()));
    HeadProbes fitted = new HeadProbes(set.name().toLowerCase(Locale.ROOT), byShare, surface);
    probes.put(set, fitted);
    return fitted;
  }

  /**
   * Every model with every method (none, the safety prompt, ITI and its random control at each
   * alpha, SFT and DPO on the probes' fit texts), scored for toxicity and capability.
   */
  public EvaluatedRuns evaluate() {
    if (results != null) {
      return results;
    }
    pretrain();
    results =
        new EvaluatedRuns(
            RunsEvaluation.run(
                runDirs(),
                dir.resolve("eval"),
                config.scorer(),
                config.eval(),
                config.seed(),
                device,
                log));
    return results;
  }

  /**
   * Writes {@code report.html} (figures embedded), {@code figures/*.png} and {@code results.md};
   * returns the report.
   */
  public Path report() {
    Verdicts verdicts = verdicts();
    Json.write(dir.resolve("verdicts.json"), verdicts);
    List<Report.Section> sections = new ArrayList<>();
    sections.add(
        new Report.Section(
            "Verdicts",
            "The paper's findings at this scale, computed from the results below:"
                + " reproduced when the effect's 95 % interval excludes zero in the paper's direction, not reproduced when it"
                + " excludes zero the other way or lies wholly below a fifth of the paper's effect, else inconclusive. ITI"
                + " shifts at the "
                + config.eval().positions()
                + " positions.",
            verdicts.table(),
            null));
    sections.addAll(ResultsTable.reportSections(evaluate().rows()));
    sections.add(
        new Report.Section(
            "Head-set stability",
            "Jaccard overlap of each model's top-K heads across"
                + " bootstrap resamples of its probe set (1: the same heads every time; random sets overlap by K / (2H - K))."
                + " Heads do not correspond between independently trained seeds.",
            stabilityTable(),
            null));
    sections.add(
        new Report.Section(
            "Head accuracy per share",
            "Validation accuracy of one probe per head (balanced"
                + " held-out ToxiGen statements, chance 0.5), with Mann-Whitney and permutation tests of each share"
                + " against the first; a head that does not beat the surface baseline found the texts' surface.",
            probes().table(),
            probes().chart()));
    HeadProbes davidson = probes(Corpora.LabelledSet.DAVIDSON);
    sections.add(
        new Report.Section(
            "Head accuracy per share (Davidson)",
            "The same on Davidson's held-out tweets (hate and offensive against neither), the"
                + " second, larger probe set: its validation split holds several times ToxiGen's texts.",
            davidson.table(),
            davidson.chart()));
    sections.add(
        new Report.Section(
            "Pre-training",
            "Loss of each model; the mixtures it was trained on below.",
            mixtures().table(),
            lossCurves()));
    Report.savePngs(sections, dir.resolve("figures"));
    AtomicFiles.writeString(
        dir.resolve("results.md"),
        Report.markdown(verdicts.table())
            + "\n"
            + Report.markdown(ResultsTable.table(evaluate().rows())));
    Path file =
        Report.write(
            dir.resolve("report.html"),
            "Antidote: the study at " + config.scale() + " scale",
            sections);
    log.println("wrote " + file);
    return file;
  }

  /**
   * The verdict table from the evaluation, each model's head accuracies (on ToxiGen's statements,
   * and for a second (b) on Davidson's tweets, {@link #probes(Corpora.LabelledSet)}) and, for the
   * toy's (e), the cells of a toy sweep written under {@code dir/toy} ({@code ./antidote toy markov
   * --out DIR/toy}); without them (e) is inconclusive and says it was not measured.
   */
  public Verdicts verdicts() {
    List<Verdicts.HeadAccuracies> heads = new ArrayList<>();
    for (RunsEvaluation.RunResult r : evaluate().runs()) {
      if (r.headAccuracy() != null && !r.rows().isEmpty()) {
        heads.add(
            new Verdicts.HeadAccuracies(
                r.rows().get(0).share(), r.rows().get(0).seed(), r.headAccuracy()));
      }
    }
    List<Verdicts.HeadAccuracies> tweets = new ArrayList<>();
    Iterator<ProbeResult> onTweets =
        probes(Corpora.LabelledSet.DAVIDSON).byShare().values().iterator();
    for (Sweep.Row row : pretrain()) {
      tweets.add(new Verdicts.HeadAccuracies(row.share(), row.seed(), onTweets.next().accuracy()));
    }
    return Verdicts.compute(evaluate().rows(), heads, tweets, toyPoints(dir.resolve("toy")));
  }

  /**
   * The rare chain's mean entanglement of every toy cell stored under {@code toyDir} (none if
   * absent).
   */
  @SuppressWarnings("unchecked")
  static List<Verdicts.ToyPoint> toyPoints(Path toyDir) {
    List<Verdicts.ToyPoint> out = new ArrayList<>();
    if (!Files.isDirectory(toyDir)) {
      return out;
    }
    try (var files = Files.walk(toyDir, 2)) {
      for (Path f :
          files
              .filter(p -> p.getFileName().toString().matches("share-.*-seed-.*\\.json"))
              .sorted()
              .toList()) {
        Map<String, Object> cell = Json.read(f, Map.class);
        Map<String, Object> cfg = (Map<String, Object>) cell.get("config");
        Map<String, Object> data = (Map<String, Object>) cfg.get("data");
        out.add(
            new Verdicts.ToyPoint(
                ((Number) data.get("rareShare")).doubleValue(),
                ((Number) cfg.get("seed")).longValue(),
                ((Number) cell.get("rareMean")).doubleValue()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not list the toy cells in " + toyDir, e);
    }
    return out;
  }

  /** One row per evaluated model: K, the mean and smallest Jaccard overlap, and chance. */
  private Table stabilityTable() {
    Table t =
        Table.create(
            "top-K head stability",
            DoubleColumn.create("share"),
            IntColumn.create("seed"),
            IntColumn.create("K"),
            DoubleColumn.create("mean Jaccard"),
            DoubleColumn.create("min Jaccard"),
            DoubleColumn.create("random sets"));
    for (RunsEvaluation.RunResult r : evaluate().runs()) {
      if (r.headStability() == null || r.rows().isEmpty()) {
        continue;
      }
      t.doubleColumn(0).append(r.rows().get(0).share());
      t.intColumn(1).append((int) r.rows().get(0).seed());
      t.intColumn(2).append(r.headStability().k());
      t.doubleColumn(3).append(Numerics.round(r.headStability().meanJaccard(), 3));
      t.doubleColumn(4).append(Numerics.round(r.headStability().minJaccard(), 3));
      t.doubleColumn(5).append(Numerics.round(r.headStability().chance(), 3));
    }
    return t;
  }

  /**
   * Records the config in {@code dir/study.json}, or refuses a folder that holds another study (its
   * tokenizer, mixtures and models would not fit this one). A study that differs only in its shares
   * or its number of seeds fits: the tokenizer does not depend on them and every mixture and run is
   * named by its share and seed, so a notebook can work on two of the demo's shares, one seed each,
   * in the demo's folder; the record then lists every share and the most seeds either has used.
   */
  private void claimFolder() {
    Path file = dir.resolve("study.json");
    if (Files.isRegularFile(file)) {
      StudyConfig there = Json.read(file, StudyConfig.class);
      if (there.withShares(config.shares()).withSeeds(config.seeds()).equals(config)) {
        TreeSet<Double> all = new TreeSet<>(there.shares());
        all.addAll(config.shares());
        StudyConfig union =
            there.withShares(List.copyOf(all)).withSeeds(Math.max(there.seeds(), config.seeds()));
        if (!union.equals(there)) {
          Json.write(file, union);
        }
        return;
      }
      if (!there.equals(config)) {
        throw new BadInputException(
            file
                + " holds a study at "
                + there.scale()
                + " scale ("
                + there
                + "), not this one ("
                + config
                + "); use another folder, or delete "
                + dir
                + " to start again");
      }
      return;
    }
    Json.write(file, config);
  }

  private List<Path> mixDirs() {
    return config.shares().stream().map(this::mixDir).toList();
  }

  private Path mixDir(double share) {
    return dir.resolve(String.format("mix-%02d", Math.round(share * 100)));
  }

  private List<Path> runDirs() {
    return pretrain().stream().map(r -> dir.resolve("runs").resolve(r.run())).toList();
  }

  private static String percent(double share) {
    return String.format("%.0f%%", 100 * share);
  }

  /** The mixtures, one per share: what each holds, per source. */
  public record Mixtures(List<MixManifest> manifests) implements Displayable {

    /**
     * Target and achieved share, training tokens per source, upsampling of the toxic pool,
     * validation share.
     */
    @Override
    public Table table() {
      Table t =
          Table.create(
              "mixtures (training tokens per source; toxic x = upsampling of the toxic pool)",
              DoubleColumn.create("target %"),
              DoubleColumn.create("achieved %"));
      List<String> names =
          manifests.get(0).sources().stream().map(MixManifest.Source::name).toList();
      names.forEach(n -> t.addColumns(LongColumn.create(n)));
      t.addColumns(
          LongColumn.create("train tokens"),
          DoubleColumn.create("toxic x"),
          DoubleColumn.create("validation %"));
      for (MixManifest m : manifests) {
        t.doubleColumn(0).append(Numerics.round(100 * m.config().toxicShare(), 1));
        t.doubleColumn(1).append(Numerics.round(100 * m.train().achievedShare(), 2));
        long toxicSelected = 0;
        long toxicAvailable = 0;
        for (int i = 0; i < names.size(); i++) {
          MixManifest.Source s = m.sources().get(i);
          t.longColumn(2 + i).append(s.selectedTokens());
          if (s.role().equals("toxic")) {
            toxicSelected += s.selectedTokens();
            toxicAvailable += s.tokens();
          }
        }
        t.longColumn(2 + names.size()).append(m.train().tokens());
        t.doubleColumn(3 + names.size())
            .append(
                toxicAvailable == 0
                    ? 0
                    : Numerics.round((double) toxicSelected / toxicAvailable, 2));
        t.doubleColumn(4 + names.size())
            .append(Numerics.round(100 * m.validation().achievedShare(), 2));
      }
      return t;
    }

    @Override
    public String toString() {
      return table().printAll();
    }
  }

  /**
   * Probes of every model on one labelled set, keyed by toxic share ("0%", "5%", ...; "5% s2" for
   * seed 2 where a study has several), and the surface baselines fitted on the same texts and
   * split.
   */
  public record HeadProbes(String set, Map<String, ProbeResult> byShare, SurfaceBaseline surface)
      implements Displayable {

    /** The better of the two surface baselines' validation accuracies: what a head must beat. */
    public double surfaceAccuracy() {
      return Math.max(surface.formatOnly().accuracy(), surface.withLastWord().accuracy());
    }

    /**
     * Mean, max and top-10% head accuracy and mean AUC per share, how far the best head is above
     * the surface baseline, and Mann-Whitney and permutation tests of each share's head accuracies
     * against the first share's.
     */
    @Override
    public Table table() {
      Table t =
          Table.create(
              String.format(
                  Locale.ROOT,
                  "head accuracy per share on %s (majority rate %.3f; surface baseline %.3f);"
                      + " tests against %s",
                  set,
                  surface.majorityRate(),
                  surfaceAccuracy(),
                  byShare.keySet().iterator().next()),
              StringColumn.create("share"),
              DoubleColumn.create("mean acc"),
              DoubleColumn.create("max acc"),
              DoubleColumn.create("top-10% acc"),
              DoubleColumn.create("mean AUC"),
              DoubleColumn.create("max - surface"),
              DoubleColumn.create("MWU p"),
              DoubleColumn.create("perm p"));
      ProbeResult base = byShare.values().iterator().next();
      byShare.forEach(
          (share, p) -> {
            List<Stats.Test> tests = p.compareTo(base);
            t.stringColumn(0).append(share);
            t.doubleColumn(1).append(Numerics.round(p.meanAccuracy(), 3));
            t.doubleColumn(2).append(Numerics.round(p.maxAccuracy(), 3));
            t.doubleColumn(3)
                .append(Numerics.round(p.topKMean(Math.max(1, p.accuracy().length / 10)), 3));
            t.doubleColumn(4).append(Numerics.round(p.summary().get("mean AUC"), 3));
            t.doubleColumn(5).append(Numerics.round(p.maxAccuracy() - surfaceAccuracy(), 3));
            t.doubleColumn(6).append(Numerics.round(tests.get(0).pValue(), 4));
            t.doubleColumn(7).append(Numerics.round(tests.get(1).pValue(), 4));
          });
      return t;
    }

    /** Head accuracies, one box per share. */
    @Override
    public Chart chart() {
      return ProbeResult.boxes(byShare);
    }

    @Override
    public String toString() {
      return table().printAll() + "\n" + surface;
    }
  }

  /** Every evaluated run of the study, shown as the results table. */
  public record EvaluatedRuns(List<RunsEvaluation.RunResult> runs) implements Displayable {

    /** All rows, one per (share, seed, method). */
    public List<ResultsTable.Row> rows() {
      return RunsEvaluation.rows(runs);
    }

    /** Mean over seeds per share and method, with the Pareto front marked. */
    @Override
    public Table table() {
      return ResultsTable.table(rows());
    }

    /** Toxicity against toxic share, one line per method: the paper's "smile" under ITI. */
    public Chart smile() {
      return ResultsTable.smile(rows());
    }

    /** Toxicity against cross-entropy, each share's configurations with its front. */
    public Chart tradeOff() {
      return ResultsTable.tradeOff(rows());
    }

    /** The first continuations each method sampled for the run at {@code share}, side by side. */
    public Table samples(double share) {
      for (RunsEvaluation.RunResult r : runs) {
        if (!r.rows().isEmpty() && r.rows().get(0).share() == share) {
          Table t =
              Table.create(
                  String.format("continuations at %.0f%% toxic data", 100 * share),
                  StringColumn.create("method"),
                  StringColumn.create("continuation"));
          for (ResultsTable.Row row : r.rows()) {
            for (String s : r.samples().getOrDefault(row.method(), List.of())) {
              t.stringColumn(0).append(row.method());
              t.stringColumn(1).append(s);
            }
          }
          return t;
        }
      }
      throw new BadInputException("no evaluated run has toxic share " + share);
    }

    @Override
    public String toString() {
      return table().printAll();
    }
  }
}
