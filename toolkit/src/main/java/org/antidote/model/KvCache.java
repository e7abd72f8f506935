package org.antidote.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;

/**
 * Keys and values of every layer for the positions seen so far, so generation computes each new
 * position once. Owns its native memory; close it when the generation ends.
 */
public final class KvCache implements AutoCloseable {

  private final NDManager manager;
  private final NDArray[] keys;
  private final NDArray[] values;
  private NDArray keyMask; // [B, 1, 1, S]: 0 for real tokens, -1e9 for left padding
  private int length;

  /** An empty cache for a model with {@code layers} blocks. */
  public KvCache(NDManager parent, int layers) {
    this.manager = parent.newSubManager();
    this.keys = new NDArray[layers];
    this.values = new NDArray[layers];
  }

  /** Positions cached so far. */
  public int length() {
    return length;
  }

  /** The manager holding the cache (and where per-step tensors may live). */
  NDManager manager() {
    return manager;
  }

  /** Appends this step's keys and values [B, H, T, d_head] of one layer; returns all so far. */
  NDArray[] append(int layer, NDArray k, NDArray v) {
    NDArray ks = keys[layer] == null ? k : keys[layer].concat(k, 2);
    NDArray vs = values[layer] == null ? v : values[layer].concat(v, 2);
    ks.attach(manager);
    vs.attach(manager);
    if (keys[layer] != null && keys[layer] != k) {
      keys[layer].close();
      values[layer].close();
    }
    keys[layer] = ks;
    values[layer] = vs;
    return new NDArray[] {ks, vs};
  }

  /**
   * Keeps, in order, the rows {@code rows} (int64 [B']) of every layer's keys and values and of the
   * padding mask: a row may be taken several times, so a prompt computed once continues as many
   * samples.
   */
  void select(NDArray rows) {
    NDIndex index = new NDIndex("{}", rows);
    for (int l = 0; l < keys.length; l++) {
      if (keys[l] != null) {
        keys[l] = replace(keys[l], keys[l].get(index));
        values[l] = replace(values[l], values[l].get(index));
      }
    }
    if (keyMask != null) {
      keyMask = replace(keyMask, keyMask.get(index));
    }
  }

  private NDArray replace(NDArray old, NDArray next) {
    next.attach(manager);
    old.close();
    return next;
  }

  /** Marks the end of a step of {@code t} new positions. */
  void advance(int t) {
    length += t;
  }

  /** The padding mask over cached keys, or null when nothing is padded. */
  NDArray keyMask() {
    return keyMask;
  }

  /** Sets the padding mask (extended with zeros as positions are added). */
  void keyMask(NDArray mask) {
    if (keyMask != null) {
      keyMask.close();
    }
    mask.attach(manager);
    keyMask = mask;
  }

  @Override
  public void close() {
    manager.close();
  }
}
