package org.antidote.corpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;

/** The recipes shipped with the toolkit (a copy of {@code datasets/recipes.json}). */
public final class Recipes {

  private static final String RESOURCE = "/org/antidote/datasets/recipes.json";

  private Recipes() {}

  @JsonIgnoreProperties(ignoreUnknown = true)
  private record File(List<Recipe> recipes) {}

  /** All recipes, in file order. */
  public static List<Recipe> all() {
    try (InputStream in = Recipes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "the toolkit jar lacks " + RESOURCE + "; rebuild with ./antidote build");
      }
      return List.copyOf(Json.MAPPER.readValue(in, File.class).recipes());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the bundled recipes " + RESOURCE, e);
    }
  }

  /** The recipe called {@code name}. */
  public static Recipe named(String name) {
    return all().stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    "no recipe named '"
                        + name
                        + "'; known: "
                        + all().stream().map(Recipe::name).toList()));
  }
}
