package org.antidote.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.antidote.io.BadInputException;

/**
 * Hooks for ONE forward or generate call: which hook points to cache, and functions that read or
 * replace the tensor passing a point. Build a fresh one per call; nothing is registered on the
 * model, so nothing outlives the call.
 *
 * <pre>{@code
 * try (var cache = new ActivationCache()) {
 *   model.forward(tokens, Hooks.caching(n -> n.endsWith("attn.hook_z"), cache));
 *   NDArray z0 = cache.get(HookName.z(0));       // [batch, pos, heads, d_head]
 * }
 * var ablate = Hooks.none().with(HookName.z(1), (name, z) -> z.zerosLike());
 * }</pre>
 */
public final class Hooks {

  /** Reads (returns its input) or replaces (returns another tensor) the value at a hook point. */
  @FunctionalInterface
  public interface Fn {
    NDArray apply(String name, NDArray value);
  }

  private record Entry(Predicate<String> names, Fn fn) {}

  private static final Hooks NONE = new Hooks(List.of(), null, null);

  private final List<Entry> entries;
  private final Predicate<String> cacheFilter;
  private final ActivationCache cache;

  private Hooks(List<Entry> entries, Predicate<String> cacheFilter, ActivationCache cache) {
    this.entries = entries;
    this.cacheFilter = cacheFilter;
    this.cache = cache;
  }

  /** No hooks: the plain forward pass. */
  public static Hooks none() {
    return NONE;
  }

  /** Caches every hook point whose name passes {@code filter} into {@code cache}. */
  public static Hooks caching(Predicate<String> filter, ActivationCache cache) {
    return new Hooks(List.of(), filter, cache);
  }

  /** Caches the named hook points into {@code cache}. */
  public static Hooks caching(List<String> names, ActivationCache cache) {
    names.forEach(HookName::parse); // a typo fails here, not silently
    return caching(names::contains, cache);
  }

  /** These hooks plus {@code fn} at the point called {@code name}. */
  public Hooks with(String name, Fn fn) {
    HookName.parse(name);
    return with(name::equals, fn);
  }

  /** These hooks plus {@code fn} at every point whose name passes {@code names}. */
  public Hooks with(Predicate<String> names, Fn fn) {
    List<Entry> more = new ArrayList<>(entries);
    more.add(new Entry(names, fn));
    return new Hooks(List.copyOf(more), cacheFilter, cache);
  }

  /** True when nothing is hooked (the model then skips building names; a pass needs no twin). */
  public boolean isEmpty() {
    return entries.isEmpty() && cache == null;
  }

  /** Passes {@code value} through the functions for {@code name}, then caches the result. */
  NDArray run(String name, NDArray value) {
    NDArray v = value;
    for (Entry e : entries) {
      if (e.names().test(name)) {
        v = e.fn().apply(name, v);
      }
    }
    if (cache != null && cacheFilter.test(name)) {
      cache.put(name, v);
    }
    return v;
  }

  /** Cached tensors by hook name; owns them until closed. */
  public static final class ActivationCache implements AutoCloseable {
    private final NDManager manager;
    private final Map<String, NDArray> values = new LinkedHashMap<>();

    /** A cache with its own native memory, freed on {@link #close()}. */
    public ActivationCache() {
      this.manager = NDManager.newBaseManager();
    }

    void put(String name, NDArray value) {
      NDArray copy = value.stopGradient().duplicate();
      copy.attach(manager);
      NDArray old = values.get(name);
      if (old == null) {
        values.put(name, copy);
      } else if (name.endsWith("hook_pattern")) {
        // Generation visits a point once per new position. Patterns grow in key length, so only
        // the latest is kept; every other point is joined along the position axis.
        old.close();
        values.put(name, copy);
      } else {
        NDArray joined = old.concat(copy, 1);
        joined.attach(manager);
        old.close();
        copy.close();
        values.put(name, joined);
      }
    }

    /** The cached tensor at {@code name}; fails naming what was cached if absent. */
    public NDArray get(String name) {
      NDArray v = values.get(name);
      if (v == null) {
        throw new BadInputException(
            "no activation cached at " + name + "; cached: " + values.keySet());
      }
      return v;
    }

    /** The cached names, in the order the forward pass reached them. */
    public List<String> names() {
      return List.copyOf(values.keySet());
    }

    @Override
    public void close() {
      values.clear();
      manager.close();
    }
  }
}
