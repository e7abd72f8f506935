package org.antidote.corpus;

import java.util.List;
import org.antidote.io.Pinned;

/** The recipes shipped with the toolkit (a copy of {@code datasets/recipes.json}). */
public final class Recipes {

  private Recipes() {}

  /** All recipes, in file order. */
  public static List<Recipe> all() {
    return Pinned.bundled(Recipe.class);
  }

  /** The recipe called {@code name}; an unknown name is refused with the known ones. */
  public static Recipe named(String name) {
    Pinned.named(name);
    return all().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }
}
