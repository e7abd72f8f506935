package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.io.Checksums;
import org.antidote.io.PackageFetcher;
import org.antidote.io.Pinned;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The url recipe kind: pinned files looked up in a mirror, checked against their SHA-256. */
class UrlRecipeTest {

  // Port 1 refuses at once, so "the URL itself" fails fast and offline.
  private static final String URL = "http://127.0.0.1:1/owner/repo/0123abc/data/labeled_data.csv";
  private static final String CSV =
      ",count,hate_speech,offensive_language,neither,class,tweet\n"
          + "0,3,0,0,3,2,RT @someone: what a lovely day &amp; a good one http://t.co/abc\n"
          + "1,3,0,3,0,1,\"@x_y: you are a \"\"bad\"\" one\nwith two lines\"\n"
          + "2,3,3,0,0,0,RT @a @b: hateful words &#128514;\n";

  @TempDir Path tmp;

  private final ByteArrayOutputStream log = new ByteArrayOutputStream();

  private Recipe recipe(String sha256) {
    return new Recipe(
        "davidson-test",
        "url",
        "owner/repo",
        "0123abc",
        null,
        null,
        "MIT",
        "davidson",
        List.of("davidson"),
        List.of(new Pinned.File(URL, sha256)));
  }

  private Path plantMirror(String content) throws Exception {
    Path mirror = tmp.resolve("mirror");
    Path file = mirror.resolve("127.0.0.1/owner/repo/0123abc/data/labeled_data.csv");
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return mirror;
  }

  private Fetcher fetcher(Path mirror) {
    return new Fetcher(
        tmp.resolve("home"),
        new PrintStream(log, true, StandardCharsets.UTF_8),
        mirror == null ? List.of() : List.of(mirror.toString()));
  }

  @Test
  void fetchesFromTheMirrorWhenTheChecksumMatches() throws Exception {
    Path mirror = plantMirror(CSV);
    Recipe r = recipe(Checksums.sha256(CSV));
    Fetcher.Fetched f = fetcher(mirror).fetch(r, false);
    assertEquals(3L, f.documents().get("davidson"));
    assertEquals(r.pin(), f.sha256());
    Path kept = tmp.resolve("home/downloads/127.0.0.1/owner/repo/0123abc/data/labeled_data.csv");
    assertEquals(CSV, Files.readString(kept), "the download is kept at host/path");

    List<Document> docs;
    try (DocumentReader in = DocumentReader.open(tmp.resolve("home/data/davidson.jsonl"))) {
      docs = new ArrayList<>();
      in.forEachRemaining(docs::add);
    }
    // Twitter artefacts normalised the same way in every class.
    assertEquals(
        new Document("@user: what a lovely day & a good one", "davidson", 0, "neither"),
        docs.get(0));
    assertEquals(
        new Document("@user: you are a \"bad\" one with two lines", "davidson", 1, "offensive"),
        docs.get(1));
    assertEquals(
        new Document("@user @user: hateful words \uD83D\uDE02", "davidson", 1, "hate"),
        docs.get(2));

    // Up to date: a second fetch does not need the mirror any more.
    Files.delete(mirror.resolve("127.0.0.1/owner/repo/0123abc/data/labeled_data.csv"));
    assertTrue(fetcher(mirror).isComplete(r));
    assertEquals(f, fetcher(mirror).fetch(r, false));
  }

  @Test
  void aBadChecksumFailsClearly() throws Exception {
    Path mirror = plantMirror(CSV);
    String wrong = Checksums.sha256("other bytes");
    PackageFetcher.FetchException e =
        assertThrows(
            PackageFetcher.FetchException.class, () -> fetcher(mirror).fetch(recipe(wrong), false));
    String m = e.getMessage();
    assertTrue(m.contains("checksum mismatch"), m);
    assertTrue(m.contains(URL), m);
    assertTrue(
        m.contains(wrong) && m.contains(Checksums.sha256(CSV)), "names both checksums: " + m);
    assertTrue(m.contains(mirror.toString()), "names where the bad copy was read: " + m);
    assertFalse(
        Files.exists(
            tmp.resolve("home/downloads/127.0.0.1/owner/repo/0123abc/data/labeled_data.csv")),
        "a file with the wrong bytes is not kept");
    assertFalse(Files.exists(tmp.resolve("home/data/davidson.jsonl")), "nothing is written");
  }

  @Test
  void aFileFoundNowhereNamesTheUrlTheMirrorsAndWhatToDo() throws Exception {
    Path empty = tmp.resolve("empty-mirror");
    Files.createDirectories(empty);
    PackageFetcher.FetchException e =
        assertThrows(
            PackageFetcher.FetchException.class,
            () -> fetcher(empty).fetch(recipe(Checksums.sha256(CSV)), false));
    String m = e.getMessage();
    assertTrue(m.contains(URL + " was found nowhere"), m);
    assertTrue(
        m.contains(empty.resolve("127.0.0.1/owner/repo/0123abc/data/labeled_data.csv").toString()),
        m);
    assertTrue(m.contains("ANTIDOTE_MIRROR"), m);
    assertEquals(1, m.lines().count() - 1, "one line of what went wrong, one of what to do: " + m);
  }

  @Test
  void everyBundledUrlRecipePinsACommitAndEachFile() {
    List<Recipe> url = Recipes.all().stream().filter(r -> r.kind().equals("url")).toList();
    assertEquals(List.of("davidson", "toxigen", "blimp"), url.stream().map(Recipe::name).toList());
    for (Recipe r : url) {
      assertTrue(r.version().matches("[0-9a-f]{40}"), r.name());
      r.files().forEach(f -> assertTrue(f.url().contains("/" + r.version() + "/"), f.url()));
    }
    assertEquals(67, Recipes.named("blimp").files().size());
  }
}
