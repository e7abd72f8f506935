package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BpeTokenizerTest {

  private final BpeTokenizer tokenizer = BpeFixtures.tokenizer();

  @Test
  void trainsTheVocabularyAskedFor() {
    assertEquals(600, tokenizer.vocabSize());
    assertEquals(256, tokenizer.eotId(), "specials come right after the 256 byte tokens");
    assertEquals(OptionalInt.of(256), tokenizer.tokenId("<|endoftext|>"));
    assertTrue(tokenizer.tokenId("Ġthe").isPresent(), "' the' is the commonest English word");
    assertEquals(OptionalInt.of('a'), tokenizer.tokenId("a"), "byte b has id b");
    assertEquals(OptionalInt.empty(), tokenizer.tokenId("no such token"));
  }

  @Test
  void roundTripsTheFixtures() {
    for (String text : BpeFixtures.VARIED) {
      int[] ids = tokenizer.encode(text);
      assertEquals(text, tokenizer.decode(ids), () -> BpePreTokenizerTest.escape(text));
      assertEquals(ids.length, tokenizer.countTokens(text));
    }
    assertArrayEquals(new int[0], tokenizer.encode(""));
    assertEquals("", tokenizer.decode(new int[0]));
  }

  /** Property test: any string of valid code points comes back unchanged. */
  @Test
  void roundTripsRandomUnicode() {
    Random random = new Random(2024);
    for (int trial = 0; trial < 3000; trial++) {
      StringBuilder text = new StringBuilder();
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(randomCodePoint(random));
      }
      String s = text.toString();
      int[] ids = tokenizer.encode(s);
      assertEquals(s, tokenizer.decode(ids), () -> BpePreTokenizerTest.escape(s));
      assertEquals(ids.length, tokenizer.countTokens(s));
    }
  }

  private static int randomCodePoint(Random random) {
    while (true) {
      int cp =
          switch (random.nextInt(6)) {
            case 0 -> random.nextInt(0x80); // ASCII, controls included
            case 1 -> " \t\n'sdl".charAt(random.nextInt(7)); // contractions and whitespace runs
            case 2 -> 0x80 + random.nextInt(0x800 - 0x80); // two UTF-8 bytes
            case 3 -> 0x800 + random.nextInt(0x10000 - 0x800); // three bytes
            case 4 -> 0x10000 + random.nextInt(0x110000 - 0x10000); // four bytes: surrogate pairs
            default -> 0x1F300 + random.nextInt(0x300); // emoji
          };
      if (cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE) {
        return cp;
      }
    }
  }

  @Test
  void unpairedSurrogatesBecomeTheReplacementCharacter() {
    assertEquals("a\uFFFDb\uFFFD", tokenizer.decode(tokenizer.encode("a\uD800b\uDC00")));
  }

  @Test
  void specialTokensAreNeverEncodedButDecodeToTheirText() {
    String text = "end<|endoftext|>start";
    int[] ids = tokenizer.encode(text);
    assertFalse(Arrays.stream(ids).anyMatch(id -> id == tokenizer.eotId()));
    assertEquals(text, tokenizer.decode(ids));

    int[] withEot =
        IntStream.concat(
                Arrays.stream(tokenizer.encode("one")),
                IntStream.concat(
                    IntStream.of(tokenizer.eotId()), Arrays.stream(tokenizer.encode("two"))))
            .toArray();
    assertEquals("one<|endoftext|>two", tokenizer.decode(withEot));
  }

  @Test
  void eotIdFailsClearlyWhenThereIsNone() {
    BpeTokenizer plain =
        BpeTokenizer.train(
            BpeFixtures.trainingTexts().iterator(), new BpeTrainerConfig(300, 2, List.of()));
    var e = assertThrows(IllegalStateException.class, plain::eotId);
    assertTrue(e.getMessage().contains("has no <|endoftext|>"), e.getMessage());
    assertEquals(OptionalInt.empty(), plain.tokenId("<|endoftext|>"));
  }

  @Test
  void decodesRangesAndRejectsUnknownIds() {
    int[] ids = tokenizer.encode("The river town woke early.");
    assertEquals(tokenizer.decode(Arrays.copyOfRange(ids, 1, 3)), tokenizer.decode(ids, 1, 3));
    assertEquals("", tokenizer.decode(ids, 2, 2));
    assertThrows(IndexOutOfBoundsException.class, () -> tokenizer.decode(ids, 2, ids.length + 1));
    var e = assertThrows(BadInputException.class, () -> tokenizer.decode(new int[] {5, 600}));
    assertTrue(e.getMessage().contains("token id 600 is not in the vocabulary"), e.getMessage());
    assertThrows(BadInputException.class, () -> tokenizer.decode(new int[] {-1}));
  }

  @Test
  void compressesEnglish() {
    // Text the tokenizer was not trained on, in the same language.
    String unseen =
        "The carpenter walked slowly to the village, where the teachers were"
            + " talking about the harvest and the weather in the mountains.";
    int bytes = unseen.getBytes(StandardCharsets.UTF_8).length;
    int tokens = tokenizer.countTokens(unseen);
    assertTrue(tokens * 2 < bytes, tokens + " tokens for " + bytes + " bytes");
    // New text like most of the training text compresses better still.
    String similar = String.join("", BpeFixtures.generatedEnglish(50, 7));
    int similarBytes = similar.getBytes(StandardCharsets.UTF_8).length;
    int similarTokens = tokenizer.countTokens(similar);
    assertTrue(similarTokens * 4 < similarBytes, similarTokens + " tokens for " + similarBytes);
  }

  @Test
  void trainingIsDeterministic(@TempDir Path dir) throws Exception {
    BpeTokenizer again =
        BpeTokenizer.train(BpeFixtures.trainingTexts().iterator(), BpeFixtures.CONFIG);
    tokenizer.save(dir.resolve("a.json"));
    again.save(dir.resolve("b.json"));
    assertArrayEquals(
        Files.readAllBytes(dir.resolve("a.json")), Files.readAllBytes(dir.resolve("b.json")));
    assertEquals(tokenizer.id(), again.id());
  }

  @Test
  void idIsTheHashOfTheSavedFile(@TempDir Path dir) {
    Path file = dir.resolve("tokenizer.json");
    tokenizer.save(file);
    assertTrue(tokenizer.id().matches("bpe-[0-9a-f]{12}"), tokenizer.id());
    assertEquals("bpe-" + Checksums.sha256(file).substring(0, 12), tokenizer.id());
    BpeTokenizer smaller =
        BpeTokenizer.train(BpeFixtures.trainingTexts().iterator(), BpeTrainerConfig.of(500));
    assertNotEquals(tokenizer.id(), smaller.id());
  }

  @Test
  void saveAndLoadGiveTheSameTokenizer(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("sub/tokenizer.json");
    tokenizer.save(file);
    BpeTokenizer loaded = BpeTokenizer.load(file);
    assertEquals(tokenizer.id(), loaded.id());
    assertEquals(tokenizer.vocabSize(), loaded.vocabSize());
    assertEquals(tokenizer.eotId(), loaded.eotId());
    for (String text : BpeFixtures.VARIED) {
      assertArrayEquals(tokenizer.encode(text), loaded.encode(text));
    }
    // Saving what was loaded writes the same bytes.
    loaded.save(dir.resolve("again.json"));
    assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(dir.resolve("again.json")));
  }

  @Test
  void stopsEarlyWhenNoPairIsFrequentEnough() {
    BpeTokenizer tiny =
        BpeTokenizer.train(
            List.of("abab abab", "cd").iterator(),
            new BpeTrainerConfig(10_000, 2, List.of("<|endoftext|>")));
    // Words "abab", " abab", "cd": (a, b) occurs 4 times, then (ab, ab) twice, then no pair
    // occurs twice.
    assertEquals(257 + 2, tiny.vocabSize());
    assertArrayEquals(new int[] {257}, tiny.encode("ab"));
    assertArrayEquals(new int[] {258, 'c', 'd'}, tiny.encode("ababcd"));
    assertEquals(
        257,
        BpeTokenizer.train(List.<String>of().iterator(), BpeTrainerConfig.of(1000)).vocabSize());
  }

  @Test
  void neverLearnsAMergeThatSpellsASpecialToken() {
    // (#, #) is the most frequent pair, but "##" is also a special token's text.
    BpeTokenizer tokenizer =
        BpeTokenizer.train(
            List.of("## ## ## ## ab ab").iterator(), new BpeTrainerConfig(300, 2, List.of("##")));
    assertEquals(256, tokenizer.tokenId("##").getAsInt());
    assertArrayEquals(new int[] {'#', '#'}, tokenizer.encode("##"));
    assertEquals(OptionalInt.of(257), tokenizer.tokenId("Ġ#"), "the next best pair comes first");
  }

  /** Long words are merged with a heap; it must give what the simple scan gives. */
  @Test
  void heapAndScanMergeAlike() {
    MergeTable merges = tokenizer.merges();
    Random random = new Random(11);
    String alphabet = "the river town woke early in dry months, aaaa----";
    for (int trial = 0; trial < 500; trial++) {
      StringBuilder word = new StringBuilder();
      int length = 1 + random.nextInt(400);
      for (int i = 0; i < length; i++) {
        word.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String w = word.toString();
      int[] scanned = new int[w.length() * 3];
      int[] heaped = new int[w.length() * 3];
      int n = tokenizer.encodeWord(w, 0, w.length(), scanned, new int[w.length() * 3]);
      int[] bytes = new int[w.length() * 3];
      int m = Utf8.encode(w, 0, w.length(), bytes);
      System.arraycopy(bytes, 0, heaped, 0, m); // byte b has id b in trained tokenizers
      int viaHeap = merges.applyWithHeap(heaped, m);
      int[] scanOnly = Arrays.copyOf(bytes, m);
      int viaScan = merges.applyByScanning(scanOnly, m, new int[m]);
      assertArrayEquals(Arrays.copyOf(scanOnly, viaScan), Arrays.copyOf(heaped, viaHeap), w);
      assertArrayEquals(Arrays.copyOf(scanned, n), Arrays.copyOf(heaped, viaHeap), w);
    }
  }

  @Test
  void encodesTheSameFromManyThreads() throws Exception {
    List<String> texts = BpeFixtures.generatedEnglish(200, 99);
    List<int[]> expected = texts.stream().map(tokenizer::encode).toList();
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> results =
          IntStream.range(0, 8)
              .mapToObj(
                  worker ->
                      pool.submit(
                          () -> {
                            for (int i = 0; i < texts.size(); i++) {
                              int k = (i * 7 + worker) % texts.size();
                              if (!Arrays.equals(expected.get(k), tokenizer.encode(texts.get(k)))) {
                                return false;
                              }
                            }
                            return true;
                          }))
              .toList();
      for (Future<Boolean> result : results) {
        assertTrue(result.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
