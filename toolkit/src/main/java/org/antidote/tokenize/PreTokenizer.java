package org.antidote.tokenize;

/**
 * Splits text into the pieces ("pre-tokens", roughly words) that BPE encodes one at a time; merges
 * never cross a piece boundary. The pieces cover the text exactly, in order.
 */
interface PreTokenizer {

  /** Receives each piece as the range {@code [start, end)} of {@code text}. */
  interface Sink {
    void accept(String text, int start, int end);
  }

  /** Splits {@code text[from, to)} as if it were the whole text. */
  void split(String text, int from, int to, Sink sink);

  default void split(String text, Sink sink) {
    split(text, 0, text.length(), sink);
  }
}
