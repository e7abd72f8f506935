package org.antidote.eval;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import org.antidote.corpus.Corpora;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;
import org.antidote.io.Json;

/**
 * Minimal pairs mined from LanguageTool's English grammar rule files: every {@code <example
 * correction="...">} whose text marks one span with {@code <marker>} gives bad = the example as
 * written and good = the example with the marked span replaced by the first suggested correction.
 * Examples without a correction (the rule must not fire), with an empty first correction (a
 * deletion, ambiguous to rebuild), or with no or several markers are skipped; other tags are
 * dropped, whitespace is collapsed and pairs are deduplicated, keeping the first rule seen.
 *
 * <p>Only the {@code grammar*.xml} files directly in {@link #RULES_DIR} are read: {@code style.xml}
 * rewrites correct sentences into preferred ones (not a grammaticality judgement), the {@code
 * en-GB}/{@code en-US}/... folders hold regional spellings that contradict each other, and {@code
 * remote-rule-filters.xml} lists suggestions a filter suppresses, so its "corrections" are the
 * wrong ones.
 */
public final class MinimalPairs {

  /** Where the English rules sit in the {@code org.languagetool:language-en} jar. */
  public static final String RULES_DIR = "org/languagetool/rules/en/";

  private static final Pattern SPACES = Pattern.compile("\\s+");

  private final List<MinimalPair> pairs;

  private MinimalPairs(List<MinimalPair> pairs) {
    this.pairs = List.copyOf(pairs);
  }

  /** The pairs of a list (deduplicated, order kept). */
  public static MinimalPairs of(List<MinimalPair> pairs) {
    Map<String, MinimalPair> unique = new LinkedHashMap<>();
    for (MinimalPair p : pairs) {
      unique.putIfAbsent(p.good() + '\u0000' + p.bad(), p);
    }
    return new MinimalPairs(new ArrayList<>(unique.values()));
  }

  /**
   * BLiMP's 67,000 pairs (Warstadt et al. 2020; fetched by the {@code blimp} recipe into {@code
   * blimp.json}), each pair's rule {@code field/paradigm} ({@code syntax/adjunct_island}), so that
   * accuracy can be read per field ({@link Capability#minimalPairsByField}).
   */
  public static MinimalPairs blimp(Corpora.Bundled data) {
    return blimp(data.dataDir().resolve("blimp.json"));
  }

  /** The BLiMP pairs of one {@code blimp.json} ({@code [{good, bad, field, uid}, ...]}). */
  public static MinimalPairs blimp(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException(file + ": no BLiMP pairs; run ./antidote data fetch blimp");
    }
    List<Map<String, String>> rows;
    try {
      rows =
          Json.MAPPER.readValue(file.toFile(), new TypeReference<List<Map<String, String>>>() {});
    } catch (IOException e) {
      throw new BadInputException(
          file
              + ": not a BLiMP pair list ("
              + e.getMessage()
              + "); run ./antidote data fetch --force blimp");
    }
    List<MinimalPair> pairs = new ArrayList<>(rows.size());
    for (Map<String, String> r : rows) {
      String good = r.get("good");
      String bad = r.get("bad");
      // BLiMP has a few pairs whose two sentences are the same: nothing to judge, so skipped.
      if (good != null && bad != null && !good.isBlank() && !bad.isBlank() && !good.equals(bad)) {
        pairs.add(new MinimalPair(good, bad, r.get("field") + "/" + r.get("uid")));
      }
    }
    return of(pairs);
  }

  /** Every pair in the English grammar rule files of the LanguageTool jar on the classpath. */
  public static MinimalPairs fromLanguageTool() {
    URL anchor = MinimalPairs.class.getClassLoader().getResource(RULES_DIR + "grammar.xml");
    if (anchor == null) {
      throw new BadInputException(
          "LanguageTool's English rules ("
              + RULES_DIR
              + "grammar.xml) are not on the "
              + "classpath; add the org.languagetool:language-en dependency");
    }
    URI uri;
    try {
      uri = anchor.toURI();
    } catch (URISyntaxException e) {
      throw new BadInputException("cannot locate " + anchor, e);
    }
    if (!"jar".equals(uri.getScheme())) {
      return fromFolder(Path.of(uri).getParent());
    }
    FileSystem fs;
    boolean opened;
    try {
      fs = FileSystems.newFileSystem(uri, Map.of());
      opened = true;
    } catch (FileSystemAlreadyExistsException e) {
      // Someone else in this JVM holds the jar open: read through theirs and leave it open.
      fs = FileSystems.getFileSystem(uri);
      opened = false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + uri, e);
    }
    try {
      return fromFolder(fs.getPath(RULES_DIR));
    } finally {
      if (opened) {
        try {
          fs.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot close " + uri, e);
        }
      }
    }
  }

  /** Every pair in the {@code grammar*.xml} files directly in {@code dir}, in name order. */
  public static MinimalPairs fromFolder(Path dir) {
    List<Path> files;
    try (Stream<Path> list = Files.list(dir)) {
      files =
          list.filter(
                  p -> {
                    String name = p.getFileName().toString();
                    return name.startsWith("grammar")
                        && name.endsWith(".xml")
                        && Files.isRegularFile(p);
                  })
              .sorted()
              .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    if (files.isEmpty()) {
      throw new BadInputException("no grammar*.xml rule file in " + dir);
    }
    List<MinimalPair> all = new ArrayList<>();
    for (Path f : files) {
      try (InputStream in = Files.newInputStream(f)) {
        all.addAll(parse(in, f.toString()));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + f, e);
      }
    }
    return of(all);
  }

  /**
   * The pairs in one LanguageTool rule file, in document order, not deduplicated. Streamed: the
   * English grammar file is 8 MB.
   *
   * @param source names the file in error messages
   */
  public static List<MinimalPair> parse(InputStream xml, String source) {
    XMLInputFactory factory = XMLInputFactory.newFactory();
    // The rule files define their own entities inline; nothing outside may be fetched.
    factory.setProperty(XMLInputFactory.SUPPORT_DTD, true);
    factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
    factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, true);
    factory.setProperty(XMLInputFactory.IS_COALESCING, true);
    List<MinimalPair> out = new ArrayList<>();
    String group = null;
    String rule = null;
    Example example = null;
    XMLStreamReader r = null;
    try {
      r = factory.createXMLStreamReader(xml, "UTF-8");
      while (r.hasNext()) {
        int event = r.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
          String name = r.getLocalName();
          if (example != null) {
            if (name.equals("marker")) {
              example.markers++;
              example.part = 1;
            }
          } else if (name.equals("rulegroup")) {
            group = r.getAttributeValue(null, "id");
            rule = group;
          } else if (name.equals("rule")) {
            String id = r.getAttributeValue(null, "id");
            rule = id != null ? id : group;
          } else if (name.equals("example")) {
            String correction = r.getAttributeValue(null, "correction");
            if (correction != null && !correction.isBlank()) {
              example = new Example(correction, rule);
            }
          }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
          String name = r.getLocalName();
          if (example != null && name.equals("marker")) {
            example.part = 2;
          } else if (example != null && name.equals("example")) {
            MinimalPair p = example.pair();
            if (p != null) {
              out.add(p);
            }
            example = null;
          } else if (name.equals("rulegroup")) {
            group = null;
          }
        } else if (example != null
            && (event == XMLStreamConstants.CHARACTERS
                || event == XMLStreamConstants.CDATA
                || event == XMLStreamConstants.SPACE)) {
          example.text[example.part].append(r.getText());
        }
      }
    } catch (XMLStreamException e) {
      throw new BadInputException(
          "malformed LanguageTool rule file " + source + ": " + e.getMessage(), e);
    } finally {
      if (r != null) {
        try {
          r.close();
        } catch (XMLStreamException e) {
          // The stream is the caller's to close; a failure to release the reader changes nothing.
        }
      }
    }
    return out;
  }

  /** One example being read: its text before, inside and after the marker. */
  private static final class Example {
    final String correction;
    final String rule;
    final StringBuilder[] text = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
    int part;
    int markers;

    Example(String correction, String rule) {
      this.correction = correction;
      this.rule = rule == null ? "" : rule;
    }

    MinimalPair pair() {
      if (markers != 1) {
        return null;
      }
      String first = correction.split("\\|", -1)[0];
      if (first.isBlank()) {
        return null;
      }
      String bad = squeeze(text[0] + text[1].toString() + text[2]);
      String good = squeeze(text[0] + first + text[2]);
      return bad.isEmpty() || good.equals(bad) ? null : new MinimalPair(good, bad, rule);
    }
  }

  private static String squeeze(String s) {
    return SPACES.matcher(s).replaceAll(" ").strip();
  }

  /** All pairs, in file order. */
  public List<MinimalPair> all() {
    return pairs;
  }

  /** How many pairs there are. */
  public int size() {
    return pairs.size();
  }

  /**
   * {@code n} pairs drawn without replacement by a {@code seed}ed shuffle (all of them if n >=
   * size).
   */
  public List<MinimalPair> sample(int n, long seed) {
    Check.atLeast("sample size", n, 0);
    List<MinimalPair> shuffled = new ArrayList<>(pairs);
    Collections.shuffle(shuffled, new Random(seed));
    return List.copyOf(shuffled.subList(0, Math.min(n, shuffled.size())));
  }
}
