package org.antidote.tokenize;

import java.util.Arrays;

/**
 * Interns pre-tokens: gives each distinct string a dense index, looked up straight from a {@code
 * [start, end)} range of the text so that a word seen before costs no substring. Callers keep
 * whatever they know about a word (its count, its token ids) in arrays indexed the same way.
 */
final class SpanTable {

  private String[] keys = new String[64];
  private int[] hashes = new int[64];

  /** Hash slots holding entry index + 1; 0 marks an empty slot. */
  private int[] slots = new int[128];

  private int size;

  /** The hash {@link #find} and {@link #add} expect for {@code text[start, end)}. */
  static int hash(CharSequence text, int start, int end) {
    int h = 0;
    for (int i = start; i < end; i++) {
      h = 31 * h + text.charAt(i);
    }
    return h;
  }

  /** Index of the entry equal to {@code text[start, end)}, or -1. */
  int find(String text, int start, int end, int hash) {
    int mask = slots.length - 1;
    int length = end - start;
    for (int slot = mix(hash) & mask; ; slot = (slot + 1) & mask) {
      int entry = slots[slot] - 1;
      if (entry < 0) {
        return -1;
      }
      if (hashes[entry] == hash) {
        String key = keys[entry];
        if (key.length() == length && text.regionMatches(start, key, 0, length)) {
          return entry;
        }
      }
    }
  }

  /** Adds {@code text[start, end)}, which must not be present yet, and returns its index. */
  int add(String text, int start, int end, int hash) {
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      hashes = Arrays.copyOf(hashes, size * 2);
    }
    int entry = size++;
    keys[entry] = text.substring(start, end);
    hashes[entry] = hash;
    if (size * 2 > slots.length) {
      rehash(slots.length * 2);
    } else {
      place(entry);
    }
    return entry;
  }

  /** The string of entry {@code index}. */
  String key(int index) {
    return keys[index];
  }

  int size() {
    return size;
  }

  /** Forgets every entry but keeps the allocated room. */
  void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(slots, 0);
    size = 0;
  }

  private void place(int entry) {
    int mask = slots.length - 1;
    int slot = mix(hashes[entry]) & mask;
    while (slots[slot] != 0) {
      slot = (slot + 1) & mask;
    }
    slots[slot] = entry + 1;
  }

  private void rehash(int capacity) {
    slots = new int[capacity];
    for (int entry = 0; entry < size; entry++) {
      place(entry);
    }
  }

  private static int mix(int hash) {
    // String-style hashes of short words differ mostly in low bits; spread them before masking.
    int h = hash * 0x9E3779B9;
    return h ^ (h >>> 16);
  }
}
