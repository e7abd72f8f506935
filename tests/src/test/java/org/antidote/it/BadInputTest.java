package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.antidote.cli.Main;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Checksums;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad inputs a user can give, one line each: every case must exit non-zero, print a message naming
 * the place (the file, line or parameter), print no stack trace, and leave the file tree exactly as
 * it was. The commands run in this JVM through {@link Main#execute}, the method {@code ./antidote}
 * calls, with standard output and error captured, so about seventy cases cost one JVM start and one
 * tiny training run. To add a case: one {@code c(kind, place, args...)} line in {@link #cases()};
 * {@code {F}} in an argument is the fixture folder.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {

  /** A bad input: what kind it is, the text the message must hold, the command line. */
  record Case(String kind, String place, String... args) {
    @Override
    public String toString() {
      return kind + ": " + String.join(" ", args).replace("{F}/", "");
    }
  }

  record Outcome(int exit, String out, String err) {}

  static Path fixture;

  static Case c(String kind, String place, String... args) {
    return new Case(kind, place, args);
  }

  static Stream<Case> cases() {
    String paths = "missing, unreadable or wrong-type path";
    String files = "empty, truncated or corrupt file";
    String encoding = "wrong encoding";
    String fields = "missing field or column";
    String labels = "labels that are not labels, or one class";
    String numbers = "number out of range, NaN or infinity";
    String enums = "unknown enum value";
    String folders = "folder holding something else";
    String shapes = "shape that does not fit";
    String keys = "missing API key";
    String commands = "unknown command";
    String mix = "data,mix,--toxic,{F}/toxic.txt,--toxic-share,0.2,--out,{F}/new-mix,--clean";
    String train =
        "train,--data,{F}/mix,--out,{F}/new-run,--preset,tiny,--steps,2,--batch-size,2,--context,16";
    String probe = "probe,--run,{F}/run,--out,{F}/new-probes,--labelled";
    String iti = "iti,--run,{F}/run,--out,{F}/new-iti";
    String eval = "eval,--runs,{F}/run,--out,{F}/new-eval,--prompts,2,--samples,1";
    return Stream.of(
        // paths
        c(paths, "nope.txt", split(mix, "{F}/nope.txt")),
        c(paths, "a-folder: is a folder", split(mix, "{F}/a-folder")),
        c(
            paths,
            "a-file.txt is a file",
            "data",
            "mix",
            "--clean",
            "{F}/clean.jsonl",
            "--toxic-share",
            "0",
            "--out",
            "{F}/a-file.txt"),
        c(
            paths,
            "nowhere: not a mixture folder",
            "data",
            "tokenize",
            "--mix",
            "{F}/nowhere",
            "--vocab-size",
            "300"),
        c(
            paths,
            "a-file.txt",
            "data",
            "tokenize",
            "--mix",
            "{F}/a-file.txt",
            "--vocab-size",
            "300"),
        c(
            paths,
            "no-tok.json",
            "data",
            "tokenize",
            "--mix",
            "{F}/rawmix",
            "--tokenizer",
            "{F}/no-tok.json",
            "--out",
            "{F}/new-packed"),
        c(
            paths,
            "nowhere: no tokens.json",
            "train",
            "--data",
            "{F}/nowhere",
            "--out",
            "{F}/new-run"),
        c(paths, "a-file.txt", split(train.replace("{F}/new-run", "{F}/a-file.txt"))),
        c(
            paths,
            "nowhere holds no model",
            "probe",
            "--run",
            "{F}/nowhere",
            "--labelled",
            "{F}/labelled.jsonl"),
        c(paths, "nowhere: not a run folder", "iti", "--run", "{F}/nowhere"),
        c(
            paths,
            "nowhere: no model.safetensors",
            "eval",
            "--runs",
            "{F}/nowhere",
            "--out",
            "{F}/new-eval",
            "--scorer",
            "lexicon"),
        c(paths, "nowhere: no results.json", "report", "{F}/nowhere"),
        c(paths, "missing.jsonl", split(probe, "{F}/missing.jsonl")),
        c(
            paths,
            "nope.txt",
            "data",
            "train-tokenizer",
            "--vocab-size",
            "300",
            "--out",
            "{F}/new-tok.json",
            "{F}/nope.txt"),
        c(paths, "no recipe named 'nosuch'", "data", "fetch", "nosuch"),
        c(paths, "--prefix", "kernel", "install", "--prefix"),
        c(paths, "a-file.txt is a file", "kernel", "install", "--prefix", "{F}/a-file.txt"),
        c(
            paths,
            "nowhere",
            "sweep",
            "--data",
            "{F}/nowhere",
            "--out",
            "{F}/new-sweep",
            "--preset",
            "tiny"),
        // empty, truncated, corrupt files
        c(
            files,
            "broken-sidecar/tokens.json: not a valid Sidecar",
            split(train.replace("{F}/mix", "{F}/broken-sidecar"))),
        c(files, "no-bin/train.bin: missing", split(train.replace("{F}/mix", "{F}/no-bin"))),
        c(files, "odd-bin/train.bin: holds", split(train.replace("{F}/mix", "{F}/odd-bin"))),
        c(files, "bad-results/results.json: not a valid", "report", "{F}/bad-results"),
        c(files, "empty-results/results.json", "report", "{F}/empty-results"),
        c(files, "wrong-results/results.json", "report", "{F}/wrong-results"),
        c(files, "empty.jsonl", split(mix, "{F}/empty.jsonl")),
        c(files, "corrupt.jsonl.gz", split(mix, "{F}/corrupt.jsonl.gz")),
        c(files, "malformed.jsonl:2", split(mix, "{F}/malformed.jsonl")),
        c(files, "unclosed.csv", split(mix, "{F}/unclosed.csv")),
        c(
            files,
            "corrupt-tok.json",
            "data",
            "tokenize",
            "--mix",
            "{F}/rawmix",
            "--tokenizer",
            "{F}/corrupt-tok.json",
            "--out",
            "{F}/new-packed"),
        c(
            files,
            "broken-manifest/manifest.json",
            "data",
            "tokenize",
            "--mix",
            "{F}/broken-manifest",
            "--vocab-size",
            "300",
            "--out",
            "{F}/new-packed"),
        c(
            files,
            "bad-weights/model.safetensors",
            split(probe.replace("{F}/run", "{F}/bad-weights"), "{F}/labelled.jsonl")),
        c(
            files,
            "bad-config/config.json",
            split(probe.replace("{F}/run", "{F}/bad-config"), "{F}/labelled.jsonl")),
        // encodings
        c(encoding, "latin1.txt", split(mix, "{F}/latin1.txt")),
        c(encoding, "latin1.jsonl", split(probe, "{F}/latin1.jsonl")),
        // fields and columns
        c(fields, "no-text.jsonl", split(mix, "{F}/no-text.jsonl")),
        c(fields, "no-text.csv", split(mix, "{F}/no-text.csv")),
        c(fields, "label", split(probe, "{F}/unlabelled.jsonl")),
        // labels
        c(labels, "maybe", split(probe, "{F}/maybe.jsonl")),
        c(labels, "class 0 (clean)", split(probe, "{F}/one-class.jsonl")),
        // numbers
        c(numbers, "share", split(mix.replace("0.2", "1.5"), "{F}/clean.jsonl")),
        c(numbers, "share", split(mix.replace("0.2", "NaN"), "{F}/clean.jsonl")),
        c(numbers, "validation", split(mix + ",{F}/clean.jsonl,--validation-fraction,-0.1")),
        c(numbers, "--toxic-share", split(mix.replace("0.2", "lots"), "{F}/clean.jsonl")),
        c(numbers, "learning rate", split(train, "--lr", "NaN")),
        c(numbers, "steps", split(train.replace("--steps,2", "--steps,0"))),
        c(numbers, "batch", split(train, "--batch-size", "-1")),
        c(numbers, "warm-up", split(train, "--warmup", "-5")),
        c(numbers, "--alpha", split(iti, "--alpha", "-1")),
        c(numbers, "--alpha", split(iti, "--alpha", "Infinity")),
        c(numbers, "--alpha", split(iti, "--alpha", "NaN")),
        c(
            numbers,
            "vocab",
            "data",
            "train-tokenizer",
            "--vocab-size",
            "100",
            "--out",
            "{F}/new-tok.json",
            "{F}/clean.jsonl"),
        c(numbers, "prompts", split(eval, "--scorer", "lexicon", "--prompts", "0")),
        c(numbers, "--heap", "kernel", "install", "--heap", "lots"),
        c(numbers, "--threads", "kernel", "install", "--threads", "0"),
        c(numbers, "share", "toy", "markov", "--out", "{F}/new-toy", "--shares", "1.5"),
        c(numbers, "steps", "toy", "superposition", "--out", "{F}/new-toy", "--steps", "-1"),
        c(numbers, "--steps", "bench", "train", "--steps", "-3"),
        c(enums, "huge", "bench", "train", "--presets", "huge"),
        // enums
        c(enums, "sideways", split(mix + ",{F}/clean.jsonl,--protocol,sideways")),
        c(enums, "huge", split(train.replace("tiny", "huge"))),
        c(enums, "batchnorm", split(train, "--norm", "batchnorm")),
        c(enums, "middle", split(probe, "{F}/labelled.jsonl", "--position", "middle")),
        c(enums, "sideways", split(iti, "--direction", "sideways")),
        c(
            enums,
            "--budget",
            "sweep",
            "--data",
            "{F}/mix",
            "--out",
            "{F}/new-sweep",
            "--budget",
            "lots"),
        c(enums, "magic", split(eval, "--scorer", "magic")),
        c(enums, "--device", split(train, "--device", "tpu")),
        c(enums, "adamax", "toy", "markov", "--out", "{F}/new-toy", "--optimizer", "adamax"),
        c(enums, "--frob", "kernel", "install", "--frob"),
        // folders holding something else
        c(folders, "rawmix: no tokens.json", split(train.replace("{F}/mix", "{F}/rawmix"))),
        c(
            folders,
            "mix holds no model",
            split(probe.replace("{F}/run", "{F}/mix"), "{F}/labelled.jsonl")),
        c(
            folders,
            "run: not a mixture folder",
            "data",
            "tokenize",
            "--mix",
            "{F}/run",
            "--vocab-size",
            "300"),
        c(
            folders,
            "holds a different mixture",
            split(
                mix.replace("{F}/new-mix", "{F}/rawmix").replace("0.2", "0.1"), "{F}/clean.jsonl")),
        c(folders, "different config", split(train.replace("{F}/new-run", "{F}/run"))),
        c(
            folders,
            "not empty",
            split(mix.replace("{F}/new-mix", "{F}/a-folder"), "{F}/clean.jsonl")),
        // shapes
        c(shapes, "heads", split(train, "--heads", "3")),
        c(shapes, "context", split(train.replace("--context,16", "--context,100000"))),
        c(shapes, "K = 99", split(iti, "--k", "99")),
        c(shapes, "K = 0", split(iti, "--k", "0")),
        c(shapes, "rare chain", "toy", "markov", "--out", "{F}/new-toy", "--rare-chain", "7"),
        // keys
        c(keys, "PERSPECTIVE_API_KEY", split(eval, "--scorer", "perspective")),
        // commands
        c(commands, "unknown command 'frobnicate'", "frobnicate", "--help"),
        c(commands, "frobnicate", "data", "frobnicate"));
  }

  /** A comma-joined command line plus more words. */
  static String[] split(String joined, String... more) {
    List<String> all = new ArrayList<>(Arrays.asList(joined.split(",")));
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  @BeforeAll
  void makeFixture() throws Exception {
    fixture = Files.createTempDirectory("antidote-bad-input-");
    Path f = fixture;
    Random r = new Random(1);
    String[] words = {
      "the", "ship", "sailed", "north", "and", "crew", "sang", "of", "home", "sea", "wind", "stars"
    };
    StringBuilder clean = new StringBuilder();
    StringBuilder labelled = new StringBuilder();
    for (int i = 0; i < 300; i++) {
      StringBuilder t = new StringBuilder();
      for (int k = 0; k < 8 + r.nextInt(20); k++) {
        t.append(words[r.nextInt(words.length)]).append(' ');
      }
      clean.append("{\"text\": \"").append(t).append("doc ").append(i).append("\"}\n");
      labelled
          .append("{\"text\": \"")
          .append(i % 2 == 0 ? "rude rude " : "")
          .append(t)
          .append("\", \"label\": ")
          .append(i % 2)
          .append("}\n");
    }
    Files.writeString(f.resolve("clean.jsonl"), clean);
    Files.writeString(f.resolve("labelled.jsonl"), labelled);
    StringBuilder toxic = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      toxic.append("Stand-in rude remark number ").append(i).append(", rude and rude again.\n\n");
    }
    Files.writeString(f.resolve("toxic.txt"), toxic);
    make(
        "data",
        "mix",
        "--clean",
        f + "/clean.jsonl",
        "--toxic",
        f + "/toxic.txt",
        "--toxic-share",
        "0.2",
        "--out",
        f + "/rawmix");
    make(
        "data",
        "mix",
        "--clean",
        f + "/clean.jsonl",
        "--toxic",
        f + "/toxic.txt",
        "--toxic-share",
        "0.2",
        "--out",
        f + "/mix");
    make("data", "tokenize", "--mix", f + "/mix", "--vocab-size", "300");
    make(
        "train",
        "--data",
        f + "/mix",
        "--out",
        f + "/run",
        "--preset",
        "tiny",
        "--steps",
        "2",
        "--batch-size",
        "2",
        "--context",
        "16",
        "--eval-batches",
        "1");

    Files.createDirectories(f.resolve("a-folder"));
    Files.writeString(f.resolve("a-folder/notes.txt"), "not a mixture\n");
    Files.writeString(f.resolve("a-file.txt"), "a file, not a folder\n");
    copy(f.resolve("mix"), f.resolve("broken-sidecar"));
    truncate(f.resolve("broken-sidecar/tokens.json"), 40);
    copy(f.resolve("mix"), f.resolve("no-bin"));
    Files.delete(f.resolve("no-bin/train.bin"));
    copy(f.resolve("mix"), f.resolve("odd-bin"));
    truncate(f.resolve("odd-bin/train.bin"), 1001);
    copy(f.resolve("rawmix"), f.resolve("broken-manifest"));
    truncate(f.resolve("broken-manifest/manifest.json"), 60);
    copy(f.resolve("run"), f.resolve("bad-weights"));
    truncate(f.resolve("bad-weights/model.safetensors"), 100);
    copy(f.resolve("run"), f.resolve("bad-config"));
    truncate(f.resolve("bad-config/config.json"), 30);
    for (String d : List.of("bad-results", "empty-results", "wrong-results")) {
      Files.createDirectories(f.resolve(d));
    }
    Files.writeString(f.resolve("bad-results/results.json"), "[{\"run\": \"a\", \"method\": ");
    Files.writeString(f.resolve("empty-results/results.json"), "");
    Files.writeString(f.resolve("wrong-results/results.json"), "{\"rows\": 3}");
    Files.writeString(f.resolve("empty.jsonl"), "");
    Files.write(
        f.resolve("corrupt.jsonl.gz"),
        new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    Files.writeString(
        f.resolve("malformed.jsonl"),
        "{\"text\": \"fine\"}\n{\"text\": \"cut off\n{\"text\": \"x\"}\n");
    Files.writeString(
        f.resolve("unclosed.csv"), "text,label\n\"a quoted text that never ends,1\nmore,0\n");
    Files.writeString(
        f.resolve("corrupt-tok.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": [1, 2");
    byte[] latin1 =
        "caf\u00e9 cr\u00e8me br\u00fbl\u00e9e\nna\u00efve\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(f.resolve("latin1.txt"), latin1);
    Files.write(
        f.resolve("latin1.jsonl"),
        ("{\"text\": \"caf\u00e9\", \"label\": 1}\n").getBytes(StandardCharsets.ISO_8859_1));
    Files.writeString(f.resolve("no-text.jsonl"), "{\"body\": \"a text under another name\"}\n");
    Files.writeString(f.resolve("no-text.csv"), "body,label\nsome text,1\n");
    Files.writeString(f.resolve("unlabelled.jsonl"), clean);
    Files.writeString(
        f.resolve("maybe.jsonl"),
        labelled.toString().replace("\"label\": 1", "\"label\": \"maybe\""));
    Files.writeString(
        f.resolve("one-class.jsonl"), labelled.toString().replace("\"label\": 0", "\"label\": 1"));
  }

  @AfterAll
  void removeFixture() {
    AtomicFiles.deleteTree(fixture);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusedInOneSentenceLeavingNothingBehind(Case c) throws Exception {
    String[] args =
        Arrays.stream(c.args())
            .map(a -> a.replace("{F}", fixture.toString()))
            .toArray(String[]::new);
    Map<String, String> before = tree(fixture);
    Outcome o = run(args);
    String said = o.err() + o.out();
    assertNotEquals(0, o.exit(), "accepted: " + said);
    assertTrue(
        said.contains(c.place().replace("{F}", fixture.toString())),
        "the message does not name '" + c.place() + "':\n" + said);
    assertFalse(
        said.contains("\tat ") || said.matches("(?s).*\\bat [a-z]+\\.[a-zA-Z.$]+\\(.*"),
        "a stack trace:\n" + said);
    assertFalse(
        said.contains("Exception") || said.contains("--debug for the stack trace"),
        "not translated where it was caught:\n" + said);
    assertEquals(before, tree(fixture), "the file tree changed:\n" + said);
  }

  @org.junit.jupiter.api.Test
  void debugAddsTheStackTrace() throws Exception {
    Outcome o =
        run(
            "data",
            "mix",
            "--clean",
            fixture + "/a-folder",
            "--toxic-share",
            "0",
            "--out",
            fixture + "/new-mix",
            "--debug");
    assertEquals(2, o.exit(), o.err());
    assertTrue(o.err().startsWith("error: " + fixture + "/a-folder: is a folder"), o.err());
    assertTrue(
        o.err().contains("org.antidote.io.BadInputException")
            && o.err().contains("\tat org.antidote.corpus.Corpora"),
        "--debug shows where it was thrown:\n" + o.err());
  }

  /** Runs a command line in this JVM, as {@code ./antidote} would, capturing what it prints. */
  static Outcome run(String... args) throws Exception {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int exit;
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setOut(po);
      System.setErr(pe);
      exit =
          args[0].equals("kernel")
              ? org.antidote.kernel.Main.execute(Arrays.copyOfRange(args, 1, args.length))
              : Main.execute(args);
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
    return new Outcome(
        exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }

  /** A step that makes the fixture: it must succeed. */
  static void make(String... args) throws Exception {
    Outcome r = run(args);
    assertEquals(
        0, r.exit(), "could not make the fixture: " + String.join(" ", args) + "\n" + r.err());
  }

  /** Every path under {@code root} with the checksum of its bytes (folders as "dir"). */
  static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> t = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.toList()) {
        t.put(root.relativize(p).toString(), Files.isDirectory(p) ? "dir" : Checksums.sha256(p));
      }
    }
    return t;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  private static void truncate(Path file, int bytes) throws IOException {
    byte[] b = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(b, Math.min(bytes, b.length)));
  }
}
