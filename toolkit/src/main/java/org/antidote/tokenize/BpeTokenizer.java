package org.antidote.tokenize;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import org.antidote.corpus.Corpora;
import org.antidote.corpus.Corpus;
import org.antidote.corpus.DocumentStream;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;

/**
 * A byte-level BPE tokenizer in the style of GPT-2: text is split into words by GPT-2's regex (or
 * by the regex a loaded file gives), each word's UTF-8 bytes start as one token each, and learnt
 * merges join adjacent tokens, lowest rank first. Any string round-trips exactly: {@code
 * decode(encode(s)).equals(s)} (for tokenizers loaded with a Unicode normaliser, up to that
 * normalisation; unpaired surrogates, which UTF-8 cannot hold, come back as U+FFFD).
 *
 * <p>Special tokens such as {@code <|endoftext|>} are never produced by {@link #encode}, not even
 * for text that contains their literal spelling: callers append their ids (see {@link #eotId()})
 * between documents. Hugging Face tokenizers, by contrast, do turn the literal string into the
 * special id, so ids agree with theirs only on text without such strings. (Added tokens that are
 * not special, which only some loaded files have, are matched in the text as Hugging Face does.)
 *
 * <p>Immutable. Encoding is thread-safe; each thread keeps its own cache of recent words.
 */
public final class BpeTokenizer {

  /** The document separator of GPT-2 and of every tokenizer trained by {@link #train}. */
  public static final String END_OF_TEXT = "<|endoftext|>";

  /** Words longer than this are not cached: they are rare, and would crowd out common ones. */
  private static final int MAX_CACHED_CHARS = 32;

  /** Per-thread cache size; a full cache is emptied and starts over. */
  private static final int MAX_CACHED_WORDS = 1 << 16;

  private final String[] modelVocab;
  private final int[] mergeLeft;
  private final int[] mergeRight;
  private final List<AddedToken> addedTokens;
  private final Normalization normalization;
  private final PreTokenizer preTokenizer;
  private final boolean ignoreMerges;

  private final Map<String, Integer> modelIds;
  private final Map<String, Integer> idsByToken;
  private final byte[][] bytesById;
  private final int[] idsByByte;
  private final boolean hasAllBytes;
  private final MergeTable merges;
  private final AddedTokenMatcher addedTokenMatcher;
  private final ThreadLocal<Encoder> encoders = ThreadLocal.withInitial(Encoder::new);
  private volatile String id;

  /**
   * @param modelVocab the BPE model's token strings (byte-level spelling) by id; null where an id
   *     is not in the model (e.g. an added token the model does not know)
   * @param mergeLeft left token ids of the merges, in rank order
   * @param mergeRight right token ids of the merges
   * @param addedTokens tokens matched outside the model, decoding to their content
   * @param ignoreMerges if true, a word that is itself in the vocabulary is one token, whatever the
   *     merges would make of it (Llama 3 style files set this)
   * @throws BadInputException if a merge refers to, or makes, a token not in the vocabulary
   */
  BpeTokenizer(
      String[] modelVocab,
      int[] mergeLeft,
      int[] mergeRight,
      List<AddedToken> addedTokens,
      Normalization normalization,
      PreTokenizer preTokenizer,
      boolean ignoreMerges) {
    this.modelVocab = modelVocab.clone();
    this.mergeLeft = mergeLeft.clone();
    this.mergeRight = mergeRight.clone();
    this.addedTokens = List.copyOf(addedTokens);
    this.normalization = Objects.requireNonNull(normalization);
    this.preTokenizer = Objects.requireNonNull(preTokenizer);
    this.ignoreMerges = ignoreMerges;

    int size = modelVocab.length;
    for (AddedToken token : addedTokens) {
      size = Math.max(size, token.id() + 1);
    }
    modelIds = new HashMap<>(modelVocab.length * 2);
    bytesById = new byte[size][];
    for (int i = 0; i < modelVocab.length; i++) {
      if (modelVocab[i] != null) {
        modelIds.put(modelVocab[i], i);
        bytesById[i] = ByteLevel.toBytes(modelVocab[i]);
      }
    }
    idsByToken = new HashMap<>(modelIds);
    for (AddedToken token : addedTokens) {
      // As in Hugging Face: an added token's id decodes to its content, whatever the model says.
      bytesById[token.id()] = token.content().getBytes(StandardCharsets.UTF_8);
      idsByToken.put(token.content(), token.id());
    }

    idsByByte = new int[256];
    boolean all = true;
    for (int b = 0; b < 256; b++) {
      idsByByte[b] = modelIds.getOrDefault(String.valueOf(ByteLevel.charOf(b)), -1);
      all &= idsByByte[b] >= 0;
    }
    hasAllBytes = all;

    if (mergeLeft.length != mergeRight.length) {
      throw new BadInputException("merge lists differ in length");
    }
    int[] results = new int[mergeLeft.length];
    for (int rank = 0; rank < results.length; rank++) {
      String left = tokenAt(mergeLeft[rank]);
      String right = tokenAt(mergeRight[rank]);
      Integer result = left == null || right == null ? null : modelIds.get(left + right);
      if (result == null) {
        throw new BadInputException(
            "merge #"
                + rank
                + " (ids "
                + mergeLeft[rank]
                + ", "
                + mergeRight[rank]
                + ") does not make a token of the vocabulary");
      }
      results[rank] = result;
    }
    merges = new MergeTable(mergeLeft, mergeRight, results);
    addedTokenMatcher = AddedTokenMatcher.of(addedTokens);
  }

  private String tokenAt(int id) {
    return id >= 0 && id < modelVocab.length ? modelVocab[id] : null;
  }

  /**
   * Trains a tokenizer on {@code texts}, which are read once, in order, and not kept. The same
   * texts and config always give the same tokenizer (and the same {@link #id()}).
   */
  public static BpeTokenizer train(Iterator<String> texts, BpeTrainerConfig config) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(config, "config");
    return BpeTrainer.train(texts, config);
  }

  /** This tokenizer as the mixer's token counter. */
  public TokenCounter counter() {
    return new TokenCounter(id(), this::countTokens);
  }

  /**
   * Trains a tokenizer on every document of {@code corpora}, streamed once in order (a missing
   * corpus file is refused before any work starts).
   */
  public static BpeTokenizer train(List<Corpus> corpora, BpeTrainerConfig config) {
    for (Corpus c : corpora) {
      if (!Files.isRegularFile(c.file())) {
        throw new BadInputException(
            c.file() + ": no such file (a corpus to train the tokenizer on)");
      }
    }
    try (DocumentStream docs = Corpora.concat(corpora)) {
      return train(
          new Iterator<String>() {
            @Override
            public boolean hasNext() {
              return docs.hasNext();
            }

            @Override
            public String next() {
              return docs.next().text();
            }
          },
          config);
    }
  }

  /**
   * Reads a Hugging Face {@code tokenizer.json}: ours, or a GPT-2 / GPT-NeoX / Llama 3 / OLMo style
   * byte-level BPE file.
   *
   * @throws BadInputException if the file is not valid JSON or not a byte-level BPE tokenizer; the
   *     message names the file and what was found
   * @throws java.io.UncheckedIOException if the file cannot be read
   */
  public static BpeTokenizer load(Path file) {
    return TokenizerJson.read(file);
  }

  /**
   * Writes this tokenizer as a Hugging Face {@code tokenizer.json}, atomically. The file loads in
   * Hugging Face {@code tokenizers} (and DJL's wrapper of it) and gives the same ids.
   */
  public void save(Path file) {
    byte[] json = TokenizerJson.toBytes(this);
    AtomicFiles.write(file, out -> out.write(json));
  }

  /**
   * A stable name for this tokenizer: {@code "bpe-"} and the first 12 hex digits of the SHA-256 of
   * the bytes {@link #save} writes. Equal ids mean equal encodings.
   */
  public String id() {
    String result = id;
    if (result == null) {
      result = "bpe-" + Checksums.sha256(TokenizerJson.toBytes(this)).substring(0, 12);
      id = result;
    }
    return result;
  }

  /** The number of token ids: one more than the largest id. */
  public int vocabSize() {
    return bytesById.length;
  }

  /**
   * The id of {@code <|endoftext|>}.
   *
   * @throws IllegalStateException if this tokenizer has no such token (use {@link #tokenId} to ask
   *     without failing)
   */
  public int eotId() {
    Integer eot = idsByToken.get(END_OF_TEXT);
    if (eot == null) {
      throw new IllegalStateException("tokenizer " + id() + " has no " + END_OF_TEXT + " token");
    }
    return eot;
  }

  /**
   * The id of a vocabulary entry, spelt as in tokenizer.json: a special token's content, or a model
   * token in byte-level spelling ({@code "Ġthe"} for " the").
   */
  public OptionalInt tokenId(String token) {
    Integer found = idsByToken.get(token);
    return found == null ? OptionalInt.empty() : OptionalInt.of(found);
  }

  /** The token ids of {@code text}; never a special token's id. */
  public int[] encode(String text) {
    Encoder encoder = encoders.get();
    encoder.start(this, false);
    try {
      encode(normalization.apply(text), encoder);
      return encoder.result();
    } finally {
      encoder.finish();
    }
  }

  /** How many ids {@link #encode} would give, without building the array. */
  public int countTokens(String text) {
    Encoder encoder = encoders.get();
    encoder.start(this, true);
    try {
      encode(normalization.apply(text), encoder);
      return encoder.count;
    } finally {
      encoder.finish();
    }
  }

  private void encode(String text, Encoder encoder) {
    if (addedTokenMatcher == null) {
      preTokenizer.split(text, encoder);
      return;
    }
    // Added tokens that are not special are cut out first; the text between is split as usual.
    int done = 0;
    for (int i = 0; i < text.length(); ) {
      AddedToken token = addedTokenMatcher.longestAt(text, i);
      if (token == null) {
        i++;
        continue;
      }
      preTokenizer.split(text, done, i, encoder);
      encoder.emit(token.id());
      i += token.content().length();
      done = i;
    }
    preTokenizer.split(text, done, text.length(), encoder);
  }

  /** The text of some ids; special ids give their literal text. */
  public String decode(int[] ids) {
    return decode(ids, 0, ids.length);
  }

  /**
   * The text of {@code ids[from, to)}. A range that cuts a multi-byte character in two decodes the
   * broken ends as U+FFFD.
   *
   * @throws BadInputException if an id is not in the vocabulary
   */
  public String decode(int[] ids, int from, int to) {
    Objects.checkFromToIndex(from, to, ids.length);
    byte[] buffer = new byte[Math.max(16, (to - from) * 4)];
    int n = 0;
    for (int i = from; i < to; i++) {
      byte[] bytes = bytesOf(ids[i]);
      if (n + bytes.length > buffer.length) {
        buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, n + bytes.length));
      }
      System.arraycopy(bytes, 0, buffer, n, bytes.length);
      n += bytes.length;
    }
    return new String(buffer, 0, n, StandardCharsets.UTF_8);
  }

  private byte[] bytesOf(int tokenId) {
    byte[] bytes = tokenId >= 0 && tokenId < bytesById.length ? bytesById[tokenId] : null;
    if (bytes == null) {
      throw new BadInputException(
          "token id "
              + tokenId
              + " is not in the vocabulary"
              + " (ids run from 0 to "
              + (bytesById.length - 1)
              + ")");
    }
    return bytes;
  }

  @Override
  public String toString() {
    return "BpeTokenizer["
        + id()
        + ", vocabSize="
        + vocabSize()
        + ", merges="
        + merges.size()
        + "]";
  }

  // What TokenizerJson needs to write the file.

  String[] modelVocab() {
    return modelVocab.clone();
  }

  int[] mergeLeft() {
    return mergeLeft.clone();
  }

  int[] mergeRight() {
    return mergeRight.clone();
  }

  List<AddedToken> addedTokens() {
    return addedTokens;
  }

  Normalization normalization() {
    return normalization;
  }

  PreTokenizer preTokenizer() {
    return preTokenizer;
  }

  boolean ignoreMerges() {
    return ignoreMerges;
  }

  /**
   * Encodes the word {@code text[start, end)} into {@code symbols[0, n)} and returns n. The
   * encoder's step for a word it has not cached; tests call it directly.
   */
  int encodeWord(String text, int start, int end, int[] symbols, int[] scratch) {
    int n = Utf8.encode(text, start, end, symbols);
    if (ignoreMerges) {
      Integer whole = modelIds.get(byteLevelSpelling(symbols, n));
      if (whole != null) {
        symbols[0] = whole;
        return 1;
      }
    }
    for (int i = 0; i < n; i++) {
      symbols[i] = idsByByte[symbols[i]];
    }
    if (!hasAllBytes) {
      for (int i = 0; i < n; i++) {
        if (symbols[i] < 0) {
          int[] bytes = new int[n];
          Utf8.encode(text, start, end, bytes);
          throw new BadInputException(
              String.format(
                  "this tokenizer has no token for byte 0x%02X, needed by %s",
                  bytes[i], text.substring(start, end)));
        }
      }
    }
    return merges.apply(symbols, n, scratch);
  }

  private static String byteLevelSpelling(int[] bytes, int n) {
    char[] chars = new char[n];
    for (int i = 0; i < n; i++) {
      chars[i] = ByteLevel.charOf(bytes[i]);
    }
    return new String(chars);
  }

  MergeTable merges() {
    return merges;
  }

  /**
   * One thread's encoding state for one tokenizer: a cache from recent words to their ids, work
   * arrays, and the output being built. Receives the pre-tokenizer's words directly, so no word
   * becomes a String unless it is new to the cache.
   *
   * <p>Static, and let go of its tokenizer between calls: a thread-local value that pointed at its
   * tokenizer would keep every tokenizer a long-lived thread ever used alive.
   */
  private static final class Encoder implements PreTokenizer.Sink {
    private BpeTokenizer tokenizer;
    private final SpanTable cachedWords = new SpanTable();
    private int[][] cachedIds = new int[64][];
    private int[] symbols = new int[64];
    private int[] scratch = new int[64];
    private int[] output = new int[256];
    private int count;
    private boolean countOnly;

    void start(BpeTokenizer tokenizer, boolean countOnly) {
      this.tokenizer = tokenizer;
      this.countOnly = countOnly;
      count = 0;
    }

    void finish() {
      tokenizer = null;
    }

    int[] result() {
      int[] ids = Arrays.copyOf(output, count);
      if (output.length > 1 << 16) {
        output = new int[256]; // do not hold on to the buffer of one huge text
      }
      return ids;
    }

    @Override
    public void accept(String text, int start, int end) {
      int length = end - start;
      if (length > MAX_CACHED_CHARS) {
        int n = encode(text, start, end); // may replace 'symbols' with a larger array
        emit(symbols, n);
        return;
      }
      int hash = SpanTable.hash(text, start, end);
      int entry = cachedWords.find(text, start, end, hash);
      if (entry < 0) {
        int n = encode(text, start, end);
        if (cachedWords.size() == MAX_CACHED_WORDS) {
          cachedWords.clear();
          Arrays.fill(cachedIds, null);
        }
        entry = cachedWords.add(text, start, end, hash);
        if (entry == cachedIds.length) {
          cachedIds = Arrays.copyOf(cachedIds, entry * 2);
        }
        cachedIds[entry] = Arrays.copyOf(symbols, n);
      }
      int[] ids = cachedIds[entry];
      emit(ids, ids.length);
    }

    private int encode(String text, int start, int end) {
      int room = (end - start) * Utf8.MAX_BYTES_PER_CHAR;
      if (symbols.length < room) {
        symbols = new int[room];
        scratch = new int[room];
      }
      return tokenizer.encodeWord(text, start, end, symbols, scratch);
    }

    void emit(int id) {
      if (!countOnly) {
        if (count == output.length) {
          output = Arrays.copyOf(output, count * 2);
        }
        output[count] = id;
      }
      count++;
    }

    private void emit(int[] ids, int n) {
      if (!countOnly) {
        if (count + n > output.length) {
          output = Arrays.copyOf(output, Math.max(output.length * 2, count + n));
        }
        System.arraycopy(ids, 0, output, count, n);
      }
      count += n;
    }
  }
}
