package org.antidote.tokenize;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Learns byte-level BPE merges, the classic way made incremental:
 *
 * <ol>
 *   <li>Stream the texts once, counting each distinct pre-token ("word"). Memory grows with the
 *       number of distinct words, not with the amount of text.
 *   <li>Count every adjacent pair of symbols over all words (weighted by word count), and index
 *       which words contain each pair.
 *   <li>Repeatedly merge the most frequent pair. Only the words that contain it are rewritten, and
 *       only their pair counts change, so each merge costs time in proportion to those words rather
 *       than to the corpus. A max-heap finds the most frequent pair; its entries go stale as counts
 *       change and are re-checked when they reach the top.
 * </ol>
 *
 * <p>Deterministic: of pairs with equal counts, the one with the smaller (left id, right id) wins,
 * and ids are given in merge order, so the same texts always give the same tokenizer.
 */
final class BpeTrainer {

  private final BpeTrainerConfig config;

  // The vocabulary so far: bytes 0..255, the special tokens, then one token per new merge.
  private final List<byte[]> tokenBytes = new ArrayList<>();
  private final List<String> tokenNames = new ArrayList<>();
  private final Map<String, Integer> idByName = new HashMap<>();
  private final Set<String> specialNames;
  private final IntList mergeLeft = new IntList();
  private final IntList mergeRight = new IntList();

  // Words: symbol ids (the first wordLength[w] are live), how often the word occurs.
  private int[][] wordSymbols;
  private int[] wordLength;
  private long[] wordCount;
  private int[] wordVisited;
  private int visit;

  // Pairs, by dense index: key (left << 32 | right), weighted count, the words containing it.
  private final LongIntMap pairIndex = new LongIntMap(1 << 16);
  private long[] pairKey = new long[1 << 16];
  private long[] pairCount = new long[1 << 16];
  private int[][] pairWords = new int[1 << 16][];
  private int[] pairWordCount = new int[1 << 16];
  private int pairs;
  private final BitSet forbidden = new BitSet();
  private final BitSet merged = new BitSet();

  // Per merge: how each touched pair's count changes.
  private long[] pending = new long[1 << 16];
  private final IntList touched = new IntList();

  private final PairHeap heap = new PairHeap();

  private BpeTrainer(BpeTrainerConfig config) {
    this.config = config;
    this.specialNames = new HashSet<>(config.specialTokens());
  }

  static BpeTokenizer train(Iterator<String> texts, BpeTrainerConfig config) {
    return new BpeTrainer(config).run(texts);
  }

  private BpeTokenizer run(Iterator<String> texts) {
    for (int b = 0; b < 256; b++) {
      addToken(new byte[] {(byte) b}, String.valueOf(ByteLevel.charOf(b)));
    }
    for (String special : config.specialTokens()) {
      addToken(special.getBytes(StandardCharsets.UTF_8), special);
    }
    countWords(texts);
    countPairs();
    while (tokenNames.size() < config.vocabSize() && !heap.isEmpty()) {
      int pair = heap.topPair();
      long counted = heap.topCount();
      heap.pop();
      long now = pairCount[pair];
      if (now != counted) {
        // Counts only fall, except when a merge re-creates an existing token: then a fresh entry
        // was pushed with the higher count, and this older one can go.
        if (now > 0 && now < counted) {
          heap.push(pair, now);
        }
        continue;
      }
      if (now < config.minPairFrequency()) {
        break;
      }
      if (!forbidden.get(pair)) {
        merge(pair);
      }
    }
    return build();
  }

  private int addToken(byte[] bytes, String name) {
    int id = tokenNames.size();
    tokenBytes.add(bytes);
    tokenNames.add(name);
    idByName.put(name, id);
    return id;
  }

  private void countWords(Iterator<String> texts) {
    WordCounter counter = new WordCounter();
    while (texts.hasNext()) {
      String text = Objects.requireNonNull(texts.next(), "the training texts include a null");
      Gpt2PreTokenizer.INSTANCE.split(text, counter);
    }
    int distinct = counter.table.size();
    wordSymbols = new int[distinct][];
    wordLength = new int[distinct];
    wordCount = new long[distinct];
    int[] buffer = new int[16];
    int words = 0;
    for (int i = 0; i < distinct; i++) {
      String word = counter.table.key(i);
      if (buffer.length < word.length() * Utf8.MAX_BYTES_PER_CHAR) {
        buffer = new int[word.length() * Utf8.MAX_BYTES_PER_CHAR];
      }
      // Byte b is token id b, so the UTF-8 bytes are already the word's symbols.
      int n = Utf8.encode(word, 0, word.length(), buffer);
      if (n < 2) {
        continue; // a single byte holds no pair to merge
      }
      wordSymbols[words] = Arrays.copyOf(buffer, n);
      wordLength[words] = n;
      wordCount[words] = counter.counts[i];
      words++;
    }
    wordSymbols = Arrays.copyOf(wordSymbols, words);
    wordLength = Arrays.copyOf(wordLength, words);
    wordCount = Arrays.copyOf(wordCount, words);
    wordVisited = new int[words];
  }

  /** Counts distinct pre-tokens without making a string for each occurrence. */
  private static final class WordCounter implements PreTokenizer.Sink {
    final SpanTable table = new SpanTable();
    long[] counts = new long[64];

    @Override
    public void accept(String text, int start, int end) {
      int hash = SpanTable.hash(text, start, end);
      int entry = table.find(text, start, end, hash);
      if (entry < 0) {
        entry = table.add(text, start, end, hash);
        if (entry == counts.length) {
          counts = Arrays.copyOf(counts, entry * 2);
        }
      }
      counts[entry]++;
    }
  }

  private void countPairs() {
    for (int w = 0; w < wordSymbols.length; w++) {
      int[] symbols = wordSymbols[w];
      for (int i = 0; i + 1 < wordLength[w]; i++) {
        int pair = pairOf(symbols[i], symbols[i + 1]);
        pairCount[pair] += wordCount[w];
        addWord(pair, w);
      }
    }
    for (int pair = 0; pair < pairs; pair++) {
      heap.push(pair, pairCount[pair]);
    }
  }

  /** The index of pair (left, right), created with count 0 if new. */
  private int pairOf(int left, int right) {
    long key = LongIntMap.pairKey(left, right);
    int pair = pairIndex.get(key, -1);
    if (pair >= 0) {
      return pair;
    }
    pair = pairs++;
    if (pair == pairKey.length) {
      int capacity = pair * 2;
      pairKey = Arrays.copyOf(pairKey, capacity);
      pairCount = Arrays.copyOf(pairCount, capacity);
      pairWords = Arrays.copyOf(pairWords, capacity);
      pairWordCount = Arrays.copyOf(pairWordCount, capacity);
      pending = Arrays.copyOf(pending, capacity);
    }
    pairKey[pair] = key;
    pairIndex.put(key, pair);
    return pair;
  }

  private void addWord(int pair, int word) {
    int[] list = pairWords[pair];
    int n = pairWordCount[pair];
    if (list == null) {
      list = pairWords[pair] = new int[2];
    } else if (n > 0 && list[n - 1] == word) {
      return; // the pair occurs twice in this word; once in the index is enough
    } else if (n == list.length) {
      list = pairWords[pair] = Arrays.copyOf(list, n * 2);
    }
    list[n] = word;
    pairWordCount[pair] = n + 1;
  }

  private void merge(int pair) {
    int left = LongIntMap.left(pairKey[pair]);
    int right = LongIntMap.right(pairKey[pair]);
    byte[] a = tokenBytes.get(left);
    byte[] b = tokenBytes.get(right);
    byte[] bytes = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, bytes, a.length, b.length);
    String name = ByteLevel.toTokenString(bytes);
    if (specialNames.contains(name)) {
      // Its vocabulary key would be a special token's: ordinary text must never encode to it.
      forbidden.set(pair);
      return;
    }
    // Two different merges can spell the same token (a+bc, ab+c): both then give the same id.
    Integer existing = idByName.get(name);
    int token = existing != null ? existing : addToken(bytes, name);
    // Re-creating a token can bring back a pair merged before; its rule is already learnt.
    if (!merged.get(pair)) {
      merged.set(pair);
      mergeLeft.add(left);
      mergeRight.add(right);
    }

    visit++;
    int[] words = pairWords[pair];
    int n = pairWordCount[pair];
    pairWords[pair] = null;
    pairWordCount[pair] = 0;
    for (int i = 0; i < n; i++) {
      int w = words[i];
      if (wordVisited[w] != visit) {
        wordVisited[w] = visit;
        rewrite(w, left, right, token);
      }
    }
    for (int i = 0; i < touched.size(); i++) {
      int p = touched.get(i);
      long delta = pending[p];
      pending[p] = 0;
      pairCount[p] += delta;
      if (delta > 0) {
        heap.push(p, pairCount[p]);
      }
    }
    touched.clear();
  }

  /** Merges every (left, right) in word {@code w} and records how its pair counts change. */
  private void rewrite(int w, int left, int right, int token) {
    int[] symbols = wordSymbols[w];
    int length = wordLength[w];
    long count = wordCount[w];
    boolean contains = false;
    for (int i = 0; i + 1 < length && !contains; i++) {
      contains = symbols[i] == left && symbols[i + 1] == right;
    }
    if (!contains) {
      return; // an index entry left over from before an earlier merge rewrote this word
    }
    for (int i = 0; i + 1 < length; i++) {
      change(pairOf(symbols[i], symbols[i + 1]), -count);
    }
    int out = 0;
    for (int i = 0; i < length; ) {
      if (i + 1 < length && symbols[i] == left && symbols[i + 1] == right) {
        symbols[out++] = token;
        i += 2;
      } else {
        symbols[out++] = symbols[i++];
      }
    }
    wordLength[w] = out;
    for (int i = 0; i + 1 < out; i++) {
      int pair = pairOf(symbols[i], symbols[i + 1]);
      change(pair, count);
      if (symbols[i] == token || symbols[i + 1] == token) {
        addWord(pair, w); // only pairs with the new token can be new to this word
      }
    }
  }

  private void change(int pair, long delta) {
    if (pending[pair] == 0) {
      touched.add(pair); // may add twice if it nets back to 0; applying 0 twice is harmless
    }
    pending[pair] += delta;
  }

  private BpeTokenizer build() {
    String[] vocab = tokenNames.toArray(new String[0]);
    List<AddedToken> added = new ArrayList<>();
    for (String special : config.specialTokens()) {
      added.add(new AddedToken(idByName.get(special), special, true, false));
    }
    return new BpeTokenizer(
        vocab,
        mergeLeft.toArray(),
        mergeRight.toArray(),
        added,
        Normalization.NONE,
        Gpt2PreTokenizer.INSTANCE,
        false);
  }

  /**
   * Max-heap of (pair, count) entries: the highest count first, then the smaller pair key, which is
   * what makes training deterministic.
   */
  private final class PairHeap {
    private int[] pairIds = new int[1 << 16];
    private long[] counts = new long[1 << 16];
    private int size;

    boolean isEmpty() {
      return size == 0;
    }

    int topPair() {
      return pairIds[0];
    }

    long topCount() {
      return counts[0];
    }

    void push(int pair, long count) {
      if (size == pairIds.length) {
        pairIds = Arrays.copyOf(pairIds, size * 2);
        counts = Arrays.copyOf(counts, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (!before(pair, count, pairIds[parent], counts[parent])) {
          break;
        }
        pairIds[i] = pairIds[parent];
        counts[i] = counts[parent];
        i = parent;
      }
      pairIds[i] = pair;
      counts[i] = count;
    }

    void pop() {
      size--;
      int pair = pairIds[size];
      long count = counts[size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size
            && before(pairIds[child + 1], counts[child + 1], pairIds[child], counts[child])) {
          child++;
        }
        if (!before(pairIds[child], counts[child], pair, count)) {
          break;
        }
        pairIds[i] = pairIds[child];
        counts[i] = counts[child];
        i = child;
      }
      pairIds[i] = pair;
      counts[i] = count;
    }

    private boolean before(int pairA, long countA, int pairB, long countB) {
      if (countA != countB) {
        return countA > countB;
      }
      return pairKey[pairA] < pairKey[pairB];
    }
  }

  /** A growable list of ints. */
  private static final class IntList {
    private int[] items = new int[16];
    private int size;

    void add(int value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    int get(int i) {
      return items[i];
    }

    int size() {
      return size;
    }

    void clear() {
      size = 0;
    }

    int[] toArray() {
      return Arrays.copyOf(items, size);
    }
  }
}
