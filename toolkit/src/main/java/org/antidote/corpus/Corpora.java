package org.antidote.corpus;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.antidote.io.AntidoteHome;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;

/**
 * The door to the data: the bundled corpora (fetched on first use) and the user's own files.
 *
 * <pre>{@code
 * var data = Corpora.bundled();        // fetches once into ~/.antidote
 * data.clean();                        // SOTU, Moby-Dick, Gutenberg, Brown, fortunes, compliments (pre-training views)
 * data.toxic();                        // offensive fortunes, insults, Davidson's hate and offensive tweets
 * data.labelled(HeldOut.Split.TRAIN);  // held-out labelled texts for probes and scorers
 * }</pre>
 */
public final class Corpora {

  /** Clean bundled corpora, by name. */
  public static final List<String> CLEAN =
      List.of("sotu", "moby-dick", "gutenberg", "brown", "fortunes", "fortunes-min", "compliments");

  /** Toxic bundled corpora, by name. */
  public static final List<String> TOXIC = List.of("fortunes-offensive", "insults", "davidson");

  /** Davidson's tweets: partitioned by {@link HeldOut#useOf}, not by the held-out share. */
  public static final String DAVIDSON = "davidson";

  /** Bundled corpora whose held-out texts form the labelled set (short, comparable texts). */
  public static final List<String> LABELLED =
      List.of("fortunes", "fortunes-min", "fortunes-offensive", "insults", "compliments");

  private static final Map<String, Set<String>> TOXIC_TEXTS = new ConcurrentHashMap<>();

  private static final Map<String, GroupSplit> TOXIGEN_SPLITS = new ConcurrentHashMap<>();

  /** The labelled sets probes, directions and scorers are fitted on. */
  public enum LabelledSet {
    /**
     * ToxiGen's human-written statements, hateful or neutral, per target group (the paper's; the
     * default).
     */
    TOXIGEN,
    /** Davidson's held-out tweets: hate and offensive against neither (the second, larger set). */
    DAVIDSON,
    /** The bundled fortunes, insults and compliments (attributions stripped). */
    FORTUNES;

    /** The set probes and ITI use unless told otherwise. */
    public static final LabelledSet DEFAULT = TOXIGEN;

    /** Parses "toxigen", "davidson", "fortunes". */
    public static LabelledSet parse(String s) {
      for (LabelledSet v : values()) {
        if (v.name().equalsIgnoreCase(s.strip())) {
          return v;
        }
      }
      throw new BadInputException(
          "labelled set '" + s + "' is not one of toxigen, davidson, fortunes");
    }
  }

  private Corpora() {}

  /** The bundled corpora under {@code $ANTIDOTE_HOME}, fetching them first if needed. */
  public static Bundled bundled() {
    return bundled(AntidoteHome.dir(), System.out);
  }

  /**
   * The bundled corpora under {@code home}, fetching them first if needed (progress to {@code
   * log}).
   */
  public static Bundled bundled(Path home, PrintStream log) {
    Fetcher fetcher = new Fetcher(home, log);
    if (!fetcher.isComplete()) {
      fetcher.fetchAll(false);
    }
    return new Bundled(home.resolve("data"));
  }

  /**
   * A corpus argument as the command line takes it: a bundled source's name (its pre-training
   * view), {@code clean} or {@code toxic} for the bundled groups, or a path to a file.
   */
  public static List<Corpus> resolve(String nameOrPath, ReadOptions options) {
    if (CLEAN.contains(nameOrPath)
        || TOXIC.contains(nameOrPath)
        || nameOrPath.equals("clean")
        || nameOrPath.equals("toxic")) {
      Bundled b = bundled(AntidoteHome.dir(), System.err);
      return switch (nameOrPath) {
        case "clean" -> b.clean();
        case "toxic" -> b.toxic();
        default -> List.of(b.source(nameOrPath));
      };
    }
    Path file = Path.of(nameOrPath);
    if (!Files.exists(file)) {
      throw new BadInputException(
          nameOrPath
              + ": no such file, and not a bundled source (bundled: "
              + CLEAN
              + " "
              + TOXIC
              + ", or the groups clean and toxic)");
    }
    if (Files.isDirectory(file)) {
      throw new BadInputException(
          nameOrPath
              + ": is a folder; expected a corpus file (text, JSONL, CSV/TSV,"
              + " optionally .gz) or a bundled source name");
    }
    if (!Files.isReadable(file)) {
      throw new BadInputException(nameOrPath + ": not readable");
    }
    return List.of(Corpus.file(file, options));
  }

  /** The fetched bundled corpora in one data folder. */
  public record Bundled(Path dataDir) {

    /**
     * The pre-training view of one bundled corpus: held-out texts removed and, for a clean corpus,
     * texts that a toxic corpus also holds (Debian ships ~590 fortunes in both its clean and its
     * offensive files; a text cannot be both).
     */
    public Corpus source(String name) {
      if (name.equals(DAVIDSON)) {
        // Only its pre-training partition, and only the toxic classes: "neither" is too few to
        // spare.
        Corpus part = davidson(HeldOut.Use.PRETRAINING);
        return new Corpus(
            part.name(),
            part.file(),
            part.options(),
            d -> part.filter().test(d) && d.isToxic(),
            "pretraining, hate and offensive");
      }
      Corpus all = file(name).pretraining();
      return CLEAN.contains(name)
          ? all.excluding(toxicTexts(), "minus texts also in a toxic corpus")
          : all;
    }

    /** The held-out view of one bundled corpus: texts never pre-trained on (evaluation text). */
    public Corpus sourceHeldOut(String name) {
      Corpus held = file(name).heldOut();
      return CLEAN.contains(name)
          ? held.excluding(toxicTexts(), "minus texts also in a toxic corpus")
          : held;
    }

    private Corpus file(String name) {
      Path file = dataDir.resolve(name + ".jsonl");
      if (!Files.isRegularFile(file)) {
        throw new BadInputException(
            "bundled corpus '"
                + name
                + "' is not in "
                + dataDir
                + "; run ./antidote data fetch (known: "
                + CLEAN
                + " "
                + TOXIC
                + ")");
      }
      return Corpus.file(file, ReadOptions.defaults().withSource(name));
    }

    /**
     * A cache key naming {@code prefix} and the version (size and modification time) of each of the
     * data folder's {@code files}; a missing one is refused, named by {@code what}.
     */
    private String versionKey(String prefix, List<String> files, UnaryOperator<String> what) {
      StringBuilder key = new StringBuilder(prefix);
      for (String name : files) {
        Path f = dataDir.resolve(name);
        try {
          key.append('|')
              .append(Files.size(f))
              .append('@')
              .append(Files.getLastModifiedTime(f).toMillis());
        } catch (IOException e) {
          throw new BadInputException(
              what.apply(name) + " is not in " + dataDir + "; run ./antidote data fetch");
        }
      }
      return key.toString();
    }

    /** Every text of the toxic corpora (all views), read once per data folder and file version. */
    private Set<String> toxicTexts() {
      String key =
          versionKey(
              dataDir.toString(),
              TOXIC.stream().map(t -> t + ".jsonl").toList(),
              f -> "bundled corpus '" + f.replace(".jsonl", "") + "'");
      return TOXIC_TEXTS.computeIfAbsent(
          key,
          k -> {
            Set<String> texts = new HashSet<>();
            try (DocumentStream s = concat(TOXIC.stream().map(this::file).toList())) {
              s.forEachRemaining(d -> texts.add(d.text()));
            }
            return Collections.unmodifiableSet(texts);
          });
    }

    /** The clean corpora, pre-training views. */
    public List<Corpus> clean() {
      return CLEAN.stream().map(this::source).toList();
    }

    /** The toxic corpora, pre-training views. */
    public List<Corpus> toxic() {
      return TOXIC.stream().map(this::source).toList();
    }

    /** The held-out labelled texts of one split, streamed (labels: 1 toxic, 0 clean). */
    public DocumentStream labelled(HeldOut.Split split) {
      List<Corpus> held = new ArrayList<>();
      for (String name : LABELLED) {
        Corpus c = file(name).heldOut();
        held.add(
            CLEAN.contains(name)
                ? c.excluding(toxicTexts(), "minus texts also in a toxic corpus")
                : c);
      }
      // A text in two labelled corpora (a fortune in both Debian packages) is kept once.
      Set<String> seen = new HashSet<>();
      return concat(held).filter(d -> HeldOut.splitOf(d.text()) == split && seen.add(d.text()));
    }

    /**
     * Up to {@code perClass} held-out fortunes, insults and compliments of each class from one
     * split: exactly balanced, shuffled with seed 1 and stratified by source and category ({@link
     * Balance}).
     */
    public List<Document> balanced(HeldOut.Split split, int perClass) {
      return balanced(LabelledSet.FORTUNES, split, perClass, 1);
    }

    /**
     * Up to {@code perClass} texts of each class of one labelled set and split: exactly balanced,
     * drawn by a shuffle seeded with {@code seed}, stratified by source and category.
     */
    public List<Document> balanced(LabelledSet set, HeldOut.Split split, int perClass, long seed) {
      return Balance.exactly(labelled(set, split), perClass, seed).documents();
    }

    /**
     * What probes, directions, sigma, SFT and DPO are fitted on: {@link #balanced(LabelledSet,
     * HeldOut.Split, int, long)}, from ToxiGen only the statements of the fit side of {@link
     * #toxigenSplit(long) toxigenSplit(seed)}, so no method is scored on a statement it was fitted
     * on. Davidson's tweets and the fortunes have no groups; their partitions are disjoint by hash.
     */
    public List<Document> fitting(LabelledSet set, HeldOut.Split split, int perClass, long seed) {
      if (set != LabelledSet.TOXIGEN) {
        return balanced(set, split, perClass, seed);
      }
      GroupSplit groups = toxigenSplit(seed);
      List<Document> fitSide =
          labelled(set, split).stream().filter(d -> groups.fits(d.text())).toList();
      return Balance.exactly(fitSide, perClass, seed).documents();
    }

    /**
     * What a fitted method is tested on: {@code perClass} texts of each class from the test split,
     * from ToxiGen instead the statements of the score side of {@link #toxigenSplit(long)
     * toxigenSplit(seed)} from every split, none of which {@link #fitting} ever returns.
     */
    public List<Document> testing(LabelledSet set, int perClass, long seed) {
      if (set != LabelledSet.TOXIGEN) {
        return balanced(set, HeldOut.Split.TEST, perClass, seed);
      }
      GroupSplit groups = toxigenSplit(seed);
      List<Document> scoreSide = new ArrayList<>();
      for (HeldOut.Split split : HeldOut.Split.values()) {
        labelled(set, split).stream().filter(d -> !groups.fits(d.text())).forEach(scoreSide::add);
      }
      return Balance.exactly(scoreSide, perClass, seed).documents();
    }

    /**
     * Every labelled text of one set and split, in file order. None is ever pre-trained on: the
     * ToxiGen statements are in no pre-training corpus, Davidson's come from its probe partition
     * ({@link HeldOut.Use#PROBES}), the fortunes from the held-out texts.
     */
    public List<Document> labelled(LabelledSet set, HeldOut.Split split) {
      List<Document> out = new ArrayList<>();
      DocumentStream s =
          switch (set) {
            case TOXIGEN -> file("toxigen").open().filter(d -> HeldOut.splitOf(d.text()) == split);
            case DAVIDSON ->
                davidson(HeldOut.Use.PROBES).open().filter(d -> HeldOut.splitOf(d.text()) == split);
            case FORTUNES -> labelled(split);
          };
      try (s) {
        s.forEachRemaining(out::add);
      }
      return out;
    }

    /** Davidson's tweets of one use (all three classes; hate and offensive are labelled toxic). */
    public Corpus davidson(HeldOut.Use use) {
      Corpus all = file("davidson");
      return new Corpus(
          all.name(),
          all.file(),
          all.options(),
          d -> HeldOut.useOf(d.text()) == use,
          use.name().toLowerCase(Locale.ROOT));
    }

    /**
     * ToxiGen's target groups listing each statement (a statement may be listed under several):
     * what a split of the groups needs to keep a shared statement on one side.
     */
    public Map<String, List<String>> toxigenGroups() {
      return readJson("toxigen-groups.json", new TypeReference<>() {});
    }

    /** ToxiGen's evaluation prompts, in file order (category: the target group; label 1: hate). */
    public List<Document> toxigenPrompts() {
      List<Document> out = new ArrayList<>();
      try (DocumentStream s = Corpus.file(dataDir.resolve("toxigen-prompts.jsonl")).open()) {
        s.forEachRemaining(out::add);
      }
      return out;
    }

    /**
     * The seeded split of ToxiGen's target groups ({@link GroupSplit}, fit share {@value
     * GroupSplit#FIT_SHARE}): each demonstration statement under its groups and each prompt's
     * statements under the prompt's group, so that groups whose prompts share statements (trans
     * with lgbtq) stay on one side. Made once per data folder, file version and seed.
     */
    public GroupSplit toxigenSplit(long seed) {
      String key =
          versionKey(
              dataDir + "|" + seed,
              List.of("toxigen-groups.json", "toxigen-prompts.jsonl"),
              f -> "ToxiGen's " + f);
      return TOXIGEN_SPLITS.computeIfAbsent(
          key,
          k -> {
            List<GroupSplit.Item> items = new ArrayList<>();
            toxigenGroups()
                .forEach(
                    (text, groups) -> groups.forEach(g -> items.add(new GroupSplit.Item(g, text))));
            for (Document p : toxigenPrompts()) {
              for (String text : toxigenStatements(p.text())) {
                items.add(new GroupSplit.Item(String.valueOf(p.category()), text));
              }
            }
            return GroupSplit.of(items, GroupSplit.FIT_SHARE, seed);
          });
    }

    /** The cuss lexicon: word to rating (0 = maybe, 1 = likely, 2 = surely profane). */
    public Map<String, Integer> cussLexicon() {
      return readJson("lexicon-cuss.json", new TypeReference<>() {});
    }

    /** The naughty-words list (English). */
    public List<String> naughtyWords() {
      return readJson("lexicon-naughty-words.json", new TypeReference<>() {});
    }

    private <T> T readJson(String name, TypeReference<T> type) {
      try {
        return Json.MAPPER.readValue(dataDir.resolve(name).toFile(), type);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "could not read " + dataDir.resolve(name) + "; run ./antidote data fetch", e);
      }
    }
  }

  /**
   * The statements a ToxiGen prompt is made of ("- s1\n- s2\n...\n-" gives s1, s2, ...): what a
   * split of the target groups checks, since one group's prompts embed other groups' statements
   * (the trans prompts embed lgbtq statements).
   */
  public static List<String> toxigenStatements(String prompt) {
    List<String> out = new ArrayList<>();
    for (String line : prompt.split("\n")) {
      String s = line.strip();
      s = s.startsWith("-") ? s.substring(1).strip() : s;
      if (!s.isEmpty()) {
        out.add(s);
      }
    }
    return out;
  }

  /** One stream over several corpora in turn, each opened only when reached. */
  public static DocumentStream concat(List<Corpus> corpora) {
    return new DocumentStream() {
      private int index = -1;
      private DocumentStream current;

      @Override
      public boolean hasNext() {
        while (current == null || !current.hasNext()) {
          if (current != null) {
            current.close();
            current = null;
          }
          if (++index >= corpora.size()) {
            return false;
          }
          current = corpora.get(index).open();
        }
        return true;
      }

      @Override
      public Document next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }

      @Override
      public void close() {
        if (current != null) {
          current.close();
        }
      }
    };
  }

  /**
   * The first {@code limit} texts of {@code corpora}, in order: a sample to train a tokenizer on,
   * say.
   */
  public static List<String> texts(List<Corpus> corpora, int limit) {
    Check.atLeast("limit", limit, 0);
    List<String> out = new ArrayList<>();
    try (DocumentStream docs = concat(corpora)) {
      while (out.size() < limit && docs.hasNext()) {
        out.add(docs.next().text());
      }
    }
    return out;
  }
}
