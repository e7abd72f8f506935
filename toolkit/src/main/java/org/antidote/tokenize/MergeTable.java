package org.antidote.tokenize;

import java.util.Arrays;

/**
 * The merge rules of a BPE model and the algorithm that applies them to one word: repeatedly merge
 * the adjacent pair with the lowest rank (the earliest learnt), the leftmost one on a tie, until no
 * adjacent pair has a rule. This is the order Hugging Face's BPE model uses, so both give the same
 * ids.
 */
final class MergeTable {

  /** Words of more bytes than this use the heap; shorter ones a plain scan, faster for them. */
  static final int HEAP_THRESHOLD = 128;

  private static final int NO_RANK = Integer.MAX_VALUE;

  private final LongIntMap ranks;
  private final int[] results;

  /**
   * @param left left token id of each merge, in rank order
   * @param right right token id of each merge
   * @param result the id of the merged token
   */
  MergeTable(int[] left, int[] right, int[] result) {
    ranks = new LongIntMap(left.length);
    for (int rank = 0; rank < left.length; rank++) {
      // If a file lists a pair twice, the later rank wins, as in Hugging Face.
      ranks.put(LongIntMap.pairKey(left[rank], right[rank]), rank);
    }
    results = result.clone();
  }

  int size() {
    return results.length;
  }

  /** The rank of merging {@code (left, right)}, or {@link Integer#MAX_VALUE} if there is none. */
  int rank(int left, int right) {
    return ranks.get(LongIntMap.pairKey(left, right), NO_RANK);
  }

  /**
   * Merges {@code symbols[0, n)} in place and returns the new length. {@code scratch} must hold at
   * least {@code n} ints (it is the per-thread work space of the caller).
   */
  int apply(int[] symbols, int n, int[] scratch) {
    if (n < 2) {
      return n;
    }
    return n <= HEAP_THRESHOLD ? applyByScanning(symbols, n, scratch) : applyWithHeap(symbols, n);
  }

  /** O(n²) in the worst case, but with no set-up cost: right for the short words of most text. */
  int applyByScanning(int[] symbols, int n, int[] pairRanks) {
    for (int i = 0; i + 1 < n; i++) {
      pairRanks[i] = rank(symbols[i], symbols[i + 1]);
    }
    while (n > 1) {
      int best = NO_RANK;
      int at = -1;
      for (int i = 0; i + 1 < n; i++) {
        if (pairRanks[i] < best) {
          best = pairRanks[i];
          at = i;
        }
      }
      if (at < 0) {
        break;
      }
      symbols[at] = results[best];
      System.arraycopy(symbols, at + 2, symbols, at + 1, n - at - 2);
      System.arraycopy(pairRanks, at + 2, pairRanks, at + 1, Math.max(0, n - at - 3));
      n--;
      if (at > 0) {
        pairRanks[at - 1] = rank(symbols[at - 1], symbols[at]);
      }
      if (at + 1 < n) {
        pairRanks[at] = rank(symbols[at], symbols[at + 1]);
      }
    }
    return n;
  }

  /**
   * O(n log n): a doubly linked list of symbols and a min-heap of candidate merges keyed by (rank,
   * position). Entries go stale when a neighbour merges first; they are checked and skipped when
   * popped. For the rare very long word (a page of CJK, a run of digits or dashes).
   */
  int applyWithHeap(int[] symbols, int n) {
    int[] next = new int[n];
    int[] prev = new int[n];
    for (int i = 0; i < n; i++) {
      next[i] = i + 1 < n ? i + 1 : -1;
      prev[i] = i - 1;
    }
    LongHeap heap = new LongHeap(n);
    for (int i = 0; i + 1 < n; i++) {
      offer(heap, symbols, i, i + 1);
    }
    while (!heap.isEmpty()) {
      long top = heap.poll();
      int rank = (int) (top >>> 32);
      int at = (int) top;
      int right = next[at];
      // Stale if 'at' was absorbed by its left neighbour, or its pair has changed since.
      if (symbols[at] < 0 || right < 0 || rank(symbols[at], symbols[right]) != rank) {
        continue;
      }
      symbols[at] = results[rank];
      symbols[right] = -1;
      next[at] = next[right];
      if (next[at] >= 0) {
        prev[next[at]] = at;
      }
      if (prev[at] >= 0) {
        offer(heap, symbols, prev[at], at);
      }
      if (next[at] >= 0) {
        offer(heap, symbols, at, next[at]);
      }
    }
    int length = 0;
    for (int i = 0; i >= 0; i = next[i]) {
      symbols[length++] = symbols[i];
    }
    return length;
  }

  private void offer(LongHeap heap, int[] symbols, int at, int right) {
    int rank = rank(symbols[at], symbols[right]);
    if (rank != NO_RANK) {
      heap.add(((long) rank << 32) | at);
    }
  }

  /** A binary min-heap of longs. */
  private static final class LongHeap {
    private long[] items;
    private int size;

    LongHeap(int capacity) {
      items = new long[Math.max(4, capacity)];
    }

    boolean isEmpty() {
      return size == 0;
    }

    void add(long item) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      int i = size++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (items[parent] <= item) {
          break;
        }
        items[i] = items[parent];
        i = parent;
      }
      items[i] = item;
    }

    long poll() {
      long top = items[0];
      long last = items[--size];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= size) {
          break;
        }
        if (child + 1 < size && items[child + 1] < items[child]) {
          child++;
        }
        if (items[child] >= last) {
          break;
        }
        items[i] = items[child];
        i = child;
      }
      items[i] = last;
      return top;
    }
  }
}
