package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.io.SafeTensors;
import org.antidote.mix.Mixer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk that fills up: a small tmpfs mounted by the test (the tests run as root; where mounting is
 * not allowed the test is skipped, saying so). Writing a mixture, or a checkpoint, that does not
 * fit must fail with a message that says the disk is full, and leave what was written before intact
 * and loadable, with no partial or temporary file beside it.
 */
class DiskFullTest {

  @TempDir Path tmp;
  Path disk;
  boolean mounted;

  @BeforeEach
  void corpora() throws IOException {
    StringBuilder c = new StringBuilder();
    for (int i = 0; i < 6000; i++) {
      c.append("{\"text\": \"the ship sailed north and the crew sang of home, document ")
          .append(i)
          .append("\"}\n");
    }
    Files.writeString(tmp.resolve("big.jsonl"), c);
    // The first 300 lines: the end of the line before "document 300".
    Files.writeString(
        tmp.resolve("small.jsonl"),
        c.substring(0, c.lastIndexOf("\n", c.indexOf("document 300\"}")) + 1));
  }

  @AfterEach
  void unmount() throws Exception {
    if (mounted) {
      String busy = exec("umount", disk.toString());
      if (busy != null) {
        exec(
            "umount", "-l", disk.toString()); // detached all the same, so the temporary folder goes
        throw new AssertionError("a file on the full disk was left open: " + busy);
      }
    }
  }

  /** Mounts a tmpfs of {@code bytes} at a fresh folder, or skips the test saying why it cannot. */
  void mount(long bytes) throws Exception {
    disk = Files.createDirectories(tmp.resolve("disk"));
    String why = exec("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", disk.toString());
    assumeTrue(why == null, "cannot mount a small tmpfs here (the test needs root): " + why);
    mounted = true;
  }

  @Test
  void aMixtureThatDoesNotFitSaysTheDiskIsFullAndKeepsThePreviousOne() throws Exception {
    mount(256 * 1024);
    Path first = disk.resolve("mix-a");
    make(
        "data",
        "mix",
        "--clean",
        tmp + "/small.jsonl",
        "--toxic-share",
        "0",
        "--out",
        first.toString());
    Map<String, String> before = BadInputTest.tree(first);

    BadInputTest.Outcome o =
        BadInputTest.run(
            "data",
            "mix",
            "--clean",
            tmp + "/big.jsonl",
            "--toxic-share",
            "0",
            "--out",
            disk.resolve("mix-b").toString());
    assertEquals(1, o.exit(), o.err());
    assertTrue(o.err().contains("the disk is full"), o.err());
    assertFalse(o.err().contains("\tat "), o.err());
    assertEquals(before, BadInputTest.tree(first), "the previous mixture changed");
    assertEquals(0, Mixer.read(first).config().toxicShare(), "the previous mixture loads");
    assertEquals(List.of("mix-a"), names(disk), "the failed mixture left something behind");
  }

  @Test
  void aCheckpointThatDoesNotFitSaysTheDiskIsFullAndKeepsThePreviousOne() throws Exception {
    Path data = tmp.resolve("mix");
    make(
        "data",
        "mix",
        "--clean",
        tmp + "/small.jsonl",
        "--toxic-share",
        "0",
        "--out",
        data.toString());
    make("data", "tokenize", "--mix", data.toString(), "--vocab-size", "300");
    String[] train = {
      "train",
      "--data",
      data.toString(),
      "--preset",
      "tiny",
      "--batch-size",
      "2",
      "--context",
      "16",
      "--eval-batches",
      "1",
      "--checkpoint-every",
      "2",
      "--eval-every",
      "4",
      "--steps",
      "4",
      "--out"
    };
    // One checkpoint's size, measured on the ordinary disk: the tmpfs holds one and a half.
    Path sizing = tmp.resolve("sizing");
    make(BadInputTest.split(String.join(",", train), sizing.toString()));
    long checkpoint = Files.size(sizing.resolve("checkpoints/step-00000002.safetensors"));
    mount(checkpoint * 3 / 2 + 64 * 1024);

    Path run = disk.resolve("run");
    BadInputTest.Outcome o =
        BadInputTest.run(BadInputTest.split(String.join(",", train), run.toString()));
    assertEquals(1, o.exit(), o.err());
    assertTrue(o.err().contains("the disk is full"), o.err());
    assertFalse(o.err().contains("\tat "), o.err());
    Path kept = run.resolve("checkpoints/step-00000002.safetensors");
    assertEquals(
        List.of("step-00000002.safetensors"),
        names(run.resolve("checkpoints")),
        "the step-2 checkpoint alone, no partial step-4 one");
    assertEquals(
        Files.size(sizing.resolve("checkpoints/step-00000002.safetensors")), Files.size(kept));
    assertEquals(
        "2", SafeTensors.read(kept).metadata().get("antidote.step"), "the kept checkpoint loads");
    assertFalse(
        names(run).stream().anyMatch(n -> n.contains(".tmp-")),
        "a temporary file was left: " + names(run));
  }

  private static void make(String... args) throws Exception {
    BadInputTest.make(args);
  }

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Runs a system command; null when it succeeded, else what it said. */
  private static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), String.join(" ", cmd) + " hung");
    return p.exitValue() == 0 ? null : out.strip() + " (exit " + p.exitValue() + ")";
  }
}
