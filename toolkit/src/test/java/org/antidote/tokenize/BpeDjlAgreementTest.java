package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our ids must be the ids of Hugging Face's Rust tokenizer (through DJL) on the same file: for
 * files we write, and for GPT-2 and Llama 3 style files written by hand.
 */
class BpeDjlAgreementTest {

  @TempDir Path dir;

  /** DJL as we compare against it: no special tokens added, no truncation (512 by default). */
  static HuggingFaceTokenizer djl(Path file) throws IOException {
    return HuggingFaceTokenizer.builder()
        .optTokenizerPath(file)
        .optAddSpecialTokens(false)
        .optTruncation(false)
        .build();
  }

  static int[] ids(HuggingFaceTokenizer tokenizer, String text) {
    return Arrays.stream(tokenizer.encode(text).getIds()).mapToInt(Math::toIntExact).toArray();
  }

  /** The fixtures, long text, and random strings of code points Java 17 knows. */
  static List<String> texts() {
    List<String> texts = new ArrayList<>();
    for (String text : BpeFixtures.VARIED) {
      if (!text.contains(BpeTokenizer.END_OF_TEXT)) {
        texts.add(text);
      }
    }
    texts.add(BpeFixtures.PROSE);
    texts.add("indented:\n    four\n        eight  two |||EMAIL||| and|||EMAIL|||x   ");
    texts.add("thing things the thing, nothing");
    texts.addAll(BpeFixtures.generatedEnglish(20, 5));
    Random random = new Random(3);
    for (int trial = 0; trial < 300; trial++) {
      StringBuilder text = new StringBuilder();
      for (int i = random.nextInt(30); i > 0; i--) {
        int cp;
        do {
          cp = random.nextBoolean() ? random.nextInt(0x3000) : random.nextInt(0x20000);
          // Code points unassigned in Java 17's Unicode 13 may be letters to the Rust library.
        } while (!Character.isDefined(cp)
            || Character.getType(cp) == Character.SURROGATE
            || Character.getType(cp) == Character.PRIVATE_USE);
        text.appendCodePoint(cp);
        if (random.nextInt(4) == 0) {
          text.append(" \n\t'".charAt(random.nextInt(4)));
        }
      }
      texts.add(text.toString());
    }
    return texts;
  }

  private void assertAgree(BpeTokenizer ours, Path file) throws IOException {
    try (HuggingFaceTokenizer theirs = djl(file)) {
      for (String text : texts()) {
        int[] expected = ids(theirs, text);
        assertArrayEquals(expected, ours.encode(text), () -> BpePreTokenizerTest.escape(text));
        long[] asLongs = Arrays.stream(expected).asLongStream().toArray();
        assertEquals(text, theirs.decode(asLongs, false), "Rust decodes our ids to the text");
      }
    }
  }

  @Test
  void agreesOnTheFilesWeWrite() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    BpeTokenizer ours = BpeFixtures.tokenizer();
    ours.save(file);
    assertAgree(ours, file);
  }

  @Test
  void agreesOnHandWrittenGpt2StyleFiles() throws IOException {
    List<String> files =
        List.of(
            BpeTokenizerJsonTest.gpt2Style(
                BpeTokenizerJsonTest.STRING_MERGES, BpeTokenizerJsonTest.BYTE_LEVEL, "null"),
            BpeTokenizerJsonTest.gpt2Style(
                BpeTokenizerJsonTest.PAIR_MERGES, BpeTokenizerJsonTest.BYTE_LEVEL, "null"),
            BpeTokenizerJsonTest.withIgnoreMerges(true));
    for (String json : files) {
      Path file = dir.resolve("gpt2.json");
      Files.writeString(file, json);
      assertAgree(BpeTokenizer.load(file), file);
    }
  }

  /** GPT-NeoX style: an NFC normaliser, and added tokens for runs of spaces that are matched. */
  @Test
  void agreesOnHandWrittenNeoxStyleFiles() throws IOException {
    Path file = dir.resolve("neox.json");
    Files.writeString(
        file,
        BpeTokenizerJsonTest.gpt2Style(
            BpeTokenizerJsonTest.STRING_MERGES,
            BpeTokenizerJsonTest.BYTE_LEVEL,
            "{\"type\": \"NFC\"}",
            BpeTokenizerJsonTest.NEOX_ADDED_TOKENS));
    BpeTokenizer ours = BpeTokenizer.load(file);
    try (HuggingFaceTokenizer theirs = djl(file)) {
      for (String text : texts()) {
        // NFC tables differ a little between the JDK and Rust; keep to text both leave alone.
        if (Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
          assertArrayEquals(
              ids(theirs, text), ours.encode(text), () -> BpePreTokenizerTest.escape(text));
        }
      }
      assertArrayEquals(ids(theirs, "cafe\u0301  !"), ours.encode("cafe\u0301  !"));
    }
  }

  @Test
  void agreesWithASplitRegexOnAWideVocabulary() throws IOException {
    // Our trained merges, re-saved with Llama 3's pre-tokenizer regex.
    BpeTokenizer gpt2 = BpeFixtures.tokenizer();
    BpeTokenizer llama =
        new BpeTokenizer(
            gpt2.modelVocab(),
            gpt2.mergeLeft(),
            gpt2.mergeRight(),
            gpt2.addedTokens(),
            Normalization.NONE,
            new RegexPreTokenizer(
                "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}"
                    + "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
                true),
            false);
    Path file = dir.resolve("llama.json");
    llama.save(file);
    assertAgree(BpeTokenizer.load(file), file);
    // OLMo 2 writes the same split as "Removed" with "invert".
    String olmo2 =
        Files.readString(file)
            .replace("\"behavior\": \"Isolated\",\n", "\"behavior\": \"Removed\",\n")
            .replace("\"invert\": false", "\"invert\": true");
    Files.writeString(file, olmo2);
    assertTrue(olmo2.contains("\"Removed\""));
    assertAgree(BpeTokenizer.load(file), file);
  }

  @Test
  void onlyRustTurnsTheLiteralSpecialStringIntoItsId() throws IOException {
    Path file = dir.resolve("tokenizer.json");
    BpeTokenizer ours = BpeFixtures.tokenizer();
    ours.save(file);
    String text = "one<|endoftext|>two";
    try (HuggingFaceTokenizer theirs = djl(file)) {
      assertTrue(Arrays.stream(ids(theirs, text)).anyMatch(id -> id == ours.eotId()));
      assertFalse(Arrays.stream(ours.encode(text)).anyMatch(id -> id == ours.eotId()));
    }
  }
}
