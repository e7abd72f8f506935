package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading tokenizer.json files written elsewhere, and refusing the ones we cannot honour. */
class BpeTokenizerJsonTest {

  @TempDir Path dir;

  /** GPT-2's byte-level layout, restated here independently of {@link ByteLevel}. */
  static final String GPT2_BYTE_VOCAB;

  static {
    StringBuilder vocab = new StringBuilder();
    int visible = 0;
    int shifted = 0;
    // GPT-2 numbers the visible bytes first (ids 0..187), then the rest (188..255).
    for (int pass = 0; pass < 2; pass++) {
      for (int b = 0; b < 256; b++) {
        boolean isVisible = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
        if (pass == 0 && isVisible) {
          vocab.append(entry(String.valueOf((char) b), visible++));
        } else if (pass == 1 && !isVisible) {
          vocab.append(entry(String.valueOf((char) (256 + shifted)), 188 + shifted++));
        }
      }
    }
    GPT2_BYTE_VOCAB = vocab.toString();
  }

  private static String entry(String token, int id) {
    String escaped = token.replace("\\", "\\\\").replace("\"", "\\\"");
    return "\"" + escaped + "\": " + id + ", ";
  }

  static final String BYTE_LEVEL =
      "{\"type\": \"ByteLevel\", \"add_prefix_space\": false, \"trim_offsets\": true,"
          + " \"use_regex\": true}";

  static final String STRING_MERGES = "[\"Ġ t\", \"h e\", \"Ġt he\", \"i n\", \"in g\"]";
  static final String PAIR_MERGES =
      "[[\"Ġ\", \"t\"], [\"h\", \"e\"], [\"Ġt\", \"he\"], [\"i\", \"n\"], [\"in\", \"g\"]]";

  /** A small tokenizer.json laid out like GPT-2's (which has these same first merges). */
  static String gpt2Style(String merges, String preTokenizer, String normalizer) {
    return gpt2Style(merges, preTokenizer, normalizer, "");
  }

  /** Added tokens that are not special, as GPT-NeoX (runs of spaces) and OLMo 2 (PII) have. */
  static final String NEOX_ADDED_TOKENS =
      """
      ,
      {"id": 262, "content": "   ", "single_word": false, "lstrip": false, "rstrip": false,
       "normalized": true, "special": false},
      {"id": 263, "content": "  ", "single_word": false, "lstrip": false, "rstrip": false,
       "normalized": true, "special": false},
      {"id": 264, "content": "|||EMAIL|||", "single_word": false, "lstrip": false,
       "rstrip": false, "normalized": false, "special": false}""";

  static String gpt2Style(
      String merges, String preTokenizer, String normalizer, String moreAddedTokens) {
    return """
        {
          "version": "1.0",
          "truncation": null,
          "padding": null,
          "added_tokens": [
            {"id": 261, "content": "<|endoftext|>", "single_word": false, "lstrip": false,
             "rstrip": false, "normalized": true, "special": true}%s
          ],
          "normalizer": %s,
          "pre_tokenizer": %s,
          "post_processor": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": false,
                             "use_regex": true},
          "decoder": {"type": "ByteLevel", "add_prefix_space": true, "trim_offsets": true,
                      "use_regex": true},
          "model": {
            "type": "BPE",
            "dropout": null,
            "unk_token": null,
            "continuing_subword_prefix": "",
            "end_of_word_suffix": "",
            "fuse_unk": false,
            "vocab": {%s"Ġt": 256, "he": 257, "Ġthe": 258, "in": 259, "ing": 260,
                      "<|endoftext|>": 261},
            "merges": %s
          }
        }
        """
        .formatted(moreAddedTokens, normalizer, preTokenizer, GPT2_BYTE_VOCAB, merges);
  }

  private Path write(String name, String json) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, json);
    return file;
  }

  @Test
  void readsGpt2StyleFilesWithEitherMergeFormat() throws IOException {
    BpeTokenizer strings =
        BpeTokenizer.load(write("strings.json", gpt2Style(STRING_MERGES, BYTE_LEVEL, "null")));
    BpeTokenizer pairs =
        BpeTokenizer.load(write("pairs.json", gpt2Style(PAIR_MERGES, BYTE_LEVEL, "null")));
    assertEquals(strings.id(), pairs.id());
    for (BpeTokenizer tokenizer : new BpeTokenizer[] {strings, pairs}) {
      // "h" is id 71 in GPT-2 too: byte 104 minus the 33 invisible bytes before '!'.
      assertArrayEquals(new int[] {258, 256, 71, 260}, tokenizer.encode(" the thing"));
      assertArrayEquals(new int[] {83, 257}, tokenizer.encode("the"));
      assertEquals(262, tokenizer.vocabSize());
      assertEquals(261, tokenizer.eotId());
      assertEquals(OptionalInt.of(188 + 32), tokenizer.tokenId("Ġ"), "space is shifted byte 32");
      for (String text : BpeFixtures.VARIED) {
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
      }
    }
  }

  @Test
  void honoursAnNfcNormalizer() throws IOException {
    BpeTokenizer nfc =
        BpeTokenizer.load(
            write("nfc.json", gpt2Style(STRING_MERGES, BYTE_LEVEL, "{\"type\": \"NFC\"}")));
    assertArrayEquals(nfc.encode("caf\u00E9"), nfc.encode("cafe\u0301"));
    assertEquals("caf\u00E9", nfc.decode(nfc.encode("cafe\u0301")));
  }

  @Test
  void matchesAddedTokensThatAreNotSpecial() throws IOException {
    BpeTokenizer neox =
        BpeTokenizer.load(
            write(
                "neox.json",
                gpt2Style(STRING_MERGES, BYTE_LEVEL, "{\"type\": \"NFC\"}", NEOX_ADDED_TOKENS)));
    assertEquals(265, neox.vocabSize());
    // Leftmost, longest first: 4 spaces are "   " and then " b" as usual.
    assertArrayEquals(new int[] {'a' - 33, 262, 188 + 32, 'b' - 33}, neox.encode("a    b"));
    assertArrayEquals(new int[] {'x' - 33, 264, 'y' - 33}, neox.encode("x|||EMAIL|||y"));
    assertArrayEquals(new int[] {'x' - 33, 91, 91, 'y' - 33}, neox.encode("x||y"), "'|' is 91");
    for (String text : BpeFixtures.VARIED) {
      assertEquals(Normalizer.normalize(text, Normalizer.Form.NFC), neox.decode(neox.encode(text)));
    }
    // What we write back reads the same way.
    neox.save(dir.resolve("again.json"));
    BpeTokenizer again = BpeTokenizer.load(dir.resolve("again.json"));
    assertEquals(neox.id(), again.id());
    assertArrayEquals(neox.encode("a    b |||EMAIL|||"), again.encode("a    b |||EMAIL|||"));
  }

  /** Llama 3 style: a word that is itself in the vocabulary is one token, whatever the merges. */
  static String withIgnoreMerges(boolean ignoreMerges) {
    return gpt2Style(STRING_MERGES, BYTE_LEVEL, "null")
        .replace("\"ing\": 260,", "\"ing\": 260, \"thing\": 262,")
        .replace(
            "\"fuse_unk\": false,",
            "\"fuse_unk\": false, \"ignore_merges\": " + ignoreMerges + ",");
  }

  @Test
  void honoursIgnoreMerges() throws IOException {
    BpeTokenizer ignoring = BpeTokenizer.load(write("ignore.json", withIgnoreMerges(true)));
    assertArrayEquals(new int[] {262}, ignoring.encode("thing"));
    assertArrayEquals(new int[] {256, 71, 260}, ignoring.encode(" thing"), "not in the vocab");
    BpeTokenizer merging = BpeTokenizer.load(write("merging.json", withIgnoreMerges(false)));
    assertArrayEquals(new int[] {83, 71, 260}, merging.encode("thing"));
  }

  /** Llama 3 and OLMo 2 split with their own regex, then map bytes without splitting again. */
  @Test
  void readsASplitRegexPreTokenizer() throws IOException {
    String llama3 =
        "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\\\r\\\\n\\\\p{L}\\\\p{N}]?\\\\p{L}+"
            + "|\\\\p{N}{1,3}| ?[^\\\\s\\\\p{L}\\\\p{N}]+[\\\\r\\\\n]*|\\\\s*[\\\\r\\\\n]+"
            + "|\\\\s+(?!\\\\S)|\\\\s+";
    // Llama 3 keeps the gaps between matches ("Isolated"), OLMo 2 drops them ("Removed" with
    // "invert"); with a regex that matches everything, both give the same pieces.
    for (String behavior :
        List.of("\"Isolated\", \"invert\": false", "\"Removed\", \"invert\": true")) {
      String sequence =
          """
          {"type": "Sequence", "pretokenizers": [
            {"type": "Split", "pattern": {"Regex": "%s"}, "behavior": %s},
            {"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": true,
             "use_regex": false}
          ]}"""
              .formatted(llama3, behavior);
      Path file = write("llama3.json", gpt2Style(STRING_MERGES, sequence, "null"));
      BpeTokenizer tokenizer = BpeTokenizer.load(file);
      // Digits go in threes, and contractions ignore case, unlike GPT-2's regex.
      List<String> pieces = new ArrayList<>();
      tokenizer
          .preTokenizer()
          .split("12345 it'S", (t, start, end) -> pieces.add(t.substring(start, end)));
      assertEquals(List.of("123", "45", " it", "'S"), pieces);
      assertArrayEquals(new int[] {258}, tokenizer.encode(" the"));
      for (String text : BpeFixtures.VARIED) {
        assertEquals(text, tokenizer.decode(tokenizer.encode(text)));
      }
      // And what we write back reads the same way.
      tokenizer.save(dir.resolve("again.json"));
      assertEquals(tokenizer.id(), BpeTokenizer.load(dir.resolve("again.json")).id());
    }
  }

  private BadInputException loadFails(String name, String json) throws IOException {
    Path file = write(name, json);
    var e = assertThrows(BadInputException.class, () -> BpeTokenizer.load(file));
    assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
    return e;
  }

  private static void assertMentions(Exception e, String... words) {
    for (String word : words) {
      assertTrue(e.getMessage().contains(word), "'" + word + "' missing from: " + e.getMessage());
    }
  }

  @Test
  void refusesOtherModelTypes() throws IOException {
    assertMentions(
        loadFails(
            "wordpiece.json",
            """
        {"normalizer": {"type": "BertNormalizer"}, "pre_tokenizer": {"type": "BertPreTokenizer"},
         "model": {"type": "WordPiece", "unk_token": "[UNK]", "vocab": {"[UNK]": 0, "a": 1}}}
        """),
        "model type is \"WordPiece\"",
        "only byte-level BPE");
    assertMentions(
        loadFails(
            "unigram.json",
            """
        {"model": {"type": "Unigram", "vocab": [["a", -1.0]]}}
        """),
        "\"Unigram\"");
  }

  @Test
  void refusesPreTokenizersThatAreNotByteLevel() throws IOException {
    assertMentions(
        loadFails(
            "whitespace.json", gpt2Style(STRING_MERGES, "{\"type\": \"Whitespace\"}", "null")),
        "pre_tokenizer {\"type\":\"Whitespace\"} is not supported",
        "ByteLevel");
    assertMentions(
        loadFails("none.json", gpt2Style(STRING_MERGES, "null", "null")), "no pre_tokenizer");
    assertMentions(
        loadFails(
            "prefix.json",
            gpt2Style(
                STRING_MERGES,
                BYTE_LEVEL.replace("\"add_prefix_space\": false", "\"add_prefix_space\": true"),
                "null")),
        "add_prefix_space=true");
    assertMentions(
        loadFails(
            "split.json",
            gpt2Style(
                STRING_MERGES,
                """
        {"type": "Sequence", "pretokenizers": [
          {"type": "Split", "pattern": {"Regex": "x"}, "behavior": "MergedWithNext",
           "invert": false},
          {"type": "ByteLevel", "add_prefix_space": false, "use_regex": false}]}""",
                "null")),
        "Split pre-tokenizer",
        "MergedWithNext",
        "is not supported");
    assertMentions(
        loadFails(
            "lstrip.json",
            gpt2Style(
                STRING_MERGES,
                BYTE_LEVEL,
                "null",
                NEOX_ADDED_TOKENS.replace(
                    "\"|||EMAIL|||\", \"single_word\": false, \"lstrip\": false",
                    "\"|||EMAIL|||\", \"single_word\": false, \"lstrip\": true"))),
        "\"|||EMAIL|||\" has lstrip=true");
    assertMentions(
        loadFails(
            "lowercase.json", gpt2Style(STRING_MERGES, BYTE_LEVEL, "{\"type\": \"Lowercase\"}")),
        "normalizer {\"type\":\"Lowercase\"} is not supported");
  }

  @Test
  void reportsMalformedFiles() throws IOException {
    String good = gpt2Style(STRING_MERGES, BYTE_LEVEL, "null");
    assertMentions(
        loadFails("truncated.json", good.substring(0, good.length() / 2)),
        "not valid JSON",
        "line ");
    assertMentions(loadFails("array.json", "[1, 2, 3]"), "expected a JSON object");
    assertMentions(loadFails("nomodel.json", "{\"version\": \"1.0\"}"), "no \"model\"");
    assertMentions(
        loadFails("novocab.json", good.replace("\"vocab\"", "\"vocabulary\"")),
        "model.vocab must be an object",
        "found nothing");
    assertMentions(
        loadFails("nomerges.json", good.replace("\"merges\"", "\"merge\"")),
        "model.merges must be a list");
    assertMentions(
        loadFails("unknown.json", good.replace("\"in g\"", "\"in q!\"")),
        "merge #4",
        "\"q!\"",
        "not in model.vocab");
    assertMentions(
        loadFails("badmerge.json", good.replace("\"in g\"", "\"ing\"")),
        "merge #4 \"ing\" is not two tokens");
    assertMentions(
        loadFails("result.json", good.replace("\"ing\": 260", "\"ingg\": 260")),
        "merge #4",
        "does not make a token of the vocabulary");
    assertMentions(
        loadFails("badid.json", good.replace("\"ing\": 260", "\"ing\": -4")), "\"ing\" has id -4");
    assertMentions(
        loadFails("dupid.json", good.replace("\"ing\": 260", "\"ing\": 259")),
        "id 259 is given to both");
  }

  @Test
  void aMissingFileIsAnIoError() {
    Path missing = dir.resolve("absent.json");
    var e = assertThrows(UncheckedIOException.class, () -> BpeTokenizer.load(missing));
    assertMentions(e, missing.toString(), "no such file");
  }
}
