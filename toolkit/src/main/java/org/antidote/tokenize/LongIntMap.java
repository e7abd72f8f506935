package org.antidote.tokenize;

import java.util.Arrays;

/**
 * A hash map from non-negative {@code long} keys to {@code int} values with no boxing: merge and
 * pair lookups are on the hot path of both encoding and training. Keys pack a pair of token ids as
 * {@code left << 32 | right}; see {@link #pairKey}.
 */
final class LongIntMap {

  private static final long EMPTY = -1L;

  private long[] keys;
  private int[] values;
  private int size;
  private int mask;

  LongIntMap(int expectedSize) {
    int capacity = Integer.highestOneBit(Math.max(4, expectedSize) * 2 - 1) << 1;
    keys = new long[capacity];
    values = new int[capacity];
    Arrays.fill(keys, EMPTY);
    mask = capacity - 1;
  }

  /** The key of the adjacent pair (left, right); ids are non-negative so keys are too. */
  static long pairKey(int left, int right) {
    return ((long) left << 32) | (right & 0xFFFFFFFFL);
  }

  static int left(long pairKey) {
    return (int) (pairKey >>> 32);
  }

  static int right(long pairKey) {
    return (int) pairKey;
  }

  /** The value for {@code key}, or {@code missing} if there is none. */
  int get(long key, int missing) {
    for (int slot = slotOf(key); ; slot = (slot + 1) & mask) {
      long k = keys[slot];
      if (k == key) {
        return values[slot];
      }
      if (k == EMPTY) {
        return missing;
      }
    }
  }

  /** Sets {@code key} to {@code value}, replacing any previous value. */
  void put(long key, int value) {
    if (key < 0) {
      throw new IllegalStateException("keys must be non-negative: " + key);
    }
    int slot = slotOf(key);
    while (keys[slot] != EMPTY && keys[slot] != key) {
      slot = (slot + 1) & mask;
    }
    if (keys[slot] == EMPTY) {
      keys[slot] = key;
      size++;
    }
    values[slot] = value;
    if (size * 2 > keys.length) {
      grow();
    }
  }

  int size() {
    return size;
  }

  private int slotOf(long key) {
    // Fibonacci hashing spreads the packed (left, right) ids, whose low bits alone cluster badly.
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32)) & mask;
  }

  private void grow() {
    long[] oldKeys = keys;
    int[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new int[oldKeys.length * 2];
    Arrays.fill(keys, EMPTY);
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldKeys[i] != EMPTY) {
        put(oldKeys[i], oldValues[i]);
      }
    }
  }
}
