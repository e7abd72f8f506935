package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentReaderTest {

  @TempDir Path tmp;

  static Path fixture(String name) {
    try {
      return Path.of(DocumentReaderTest.class.getResource("/fixtures/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static List<Document> readAll(Path file, ReadOptions options) {
    List<Document> out = new ArrayList<>();
    try (DocumentReader r = DocumentReader.open(file, options)) {
      r.forEachRemaining(out::add);
    }
    return out;
  }

  @Test
  void plainTextSplitsOnBlankLines() {
    List<Document> docs = readAll(fixture("plain.txt"), ReadOptions.defaults());
    assertEquals(3, docs.size());
    assertEquals(
        "The first document is a paragraph of plain text.\nIt goes on for two lines.",
        docs.get(0).text());
    assertEquals("plain", docs.get(0).source());
    assertNull(docs.get(0).label());
  }

  @Test
  void fortuneFilesSplitOnPercentLinesAndKeepInnerBlankLines() {
    List<Document> docs = readAll(fixture("fortune.txt"), ReadOptions.defaults());
    assertEquals(3, docs.size());
    assertTrue(docs.get(0).text().contains("\n\nLike this one"), docs.get(0).text());
    assertEquals("The third, after an empty entry.", docs.get(2).text());
  }

  @Test
  void jsonlWithLabelsOfEveryKind() {
    List<Document> docs = readAll(fixture("hf-export.jsonl"), ReadOptions.defaults());
    assertEquals(3, docs.size());
    assertEquals(0, docs.get(0).label());
    assertEquals(1, docs.get(1).label());
    assertEquals(0, docs.get(2).label());
    assertEquals("demo", docs.get(2).category());
  }

  @Test
  void gzippedC4IsReadTransparently() {
    List<Document> docs = readAll(fixture("c4-sample.jsonl.gz"), ReadOptions.defaults());
    assertEquals(3, docs.size());
    assertTrue(docs.get(0).text().startsWith("Beginners BBQ Class"));
    assertEquals("c4-sample", docs.get(0).source());
  }

  @Test
  void pushshiftDumpWithAConfigurableTextField() {
    List<Document> docs =
        readAll(
            fixture("pushshift-4chan-sample.jsonl"),
            ReadOptions.defaults().withTextField("com").withSource("4chan"));
    assertEquals(2, docs.size());
    assertEquals("4chan", docs.get(1).source());
    assertTrue(docs.get(1).text().contains("trains"));
  }

  @Test
  void toxigenCsvWithQuotesNewlinesAndANumericLabel() {
    List<Document> docs =
        readAll(
            fixture("toxigen-sample.csv"),
            ReadOptions.defaults().withLabelField("toxicity_human").withLabelThreshold(2.5));
    assertEquals(3, docs.size());
    assertEquals("stand-in statement one, with a comma", docs.get(0).text());
    assertEquals("stand-in statement two \"quoted\"", docs.get(1).text());
    assertEquals("stand-in statement three\nacross two lines", docs.get(2).text());
    assertEquals(List.of(0, 1, 0), docs.stream().map(Document::label).toList());
  }

  @Test
  void jigsawTsv() {
    List<Document> docs =
        readAll(
            fixture("jigsaw-sample.tsv"),
            ReadOptions.defaults().withTextField("comment_text").withLabelField("toxic"));
    assertEquals(2, docs.size());
    assertEquals(1, docs.get(1).label());
  }

  @Test
  void missingFileNamesTheFile() {
    Path missing = tmp.resolve("nope.jsonl");
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(missing, ReadOptions.defaults()));
    assertTrue(
        e.getMessage().contains(missing.toString()) && e.getMessage().contains("no such file"),
        e.getMessage());
  }

  @Test
  void emptyCorpusIsAnError() throws IOException {
    Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n\n   \n");
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(empty, ReadOptions.defaults()));
    assertTrue(e.getMessage().contains("holds no documents"), e.getMessage());
  }

  @Test
  void malformedJsonlLineNamesFileAndLine() throws IOException {
    Path bad =
        Files.writeString(
            tmp.resolve("bad.jsonl"),
            "{\"text\": \"ok\"}\n{\"text\": \"also ok\"}\n{\"text\": oops}\n");
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(bad, ReadOptions.defaults()));
    assertTrue(e.getMessage().startsWith(bad + ":3: malformed JSON"), e.getMessage());
  }

  @Test
  void skipModeCountsMalformedLines() throws IOException {
    Path bad =
        Files.writeString(
            tmp.resolve("bad.jsonl"),
            "{\"text\": \"ok\"}\nnot json\n[1,2]\n{\"text\": \"fine\"}\n");
    try (DocumentReader r =
        DocumentReader.open(bad, ReadOptions.defaults().skippingMalformed(true))) {
      List<Document> docs = new ArrayList<>();
      r.forEachRemaining(docs::add);
      assertEquals(2, docs.size());
      assertEquals(2, r.skipped());
    }
  }

  @Test
  void missingTextFieldListsTheFieldsPresent() throws IOException {
    Path bad = Files.writeString(tmp.resolve("fields.jsonl"), "{\"body\": \"x\", \"id\": 1}\n");
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(bad, ReadOptions.defaults()));
    assertTrue(
        e.getMessage().contains(":1: no \"text\" field") && e.getMessage().contains("[body, id]"),
        e.getMessage());
  }

  @Test
  void nonUtf8BytesNameTheLine() throws IOException {
    Path bad = tmp.resolve("latin1.txt");
    byte[] good = "first line\nsecond line\n".getBytes(StandardCharsets.UTF_8);
    byte[] latin1 = "caf\u00e9 au lait\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[good.length + latin1.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(latin1, 0, all, good.length, latin1.length);
    Files.write(bad, all);
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(bad, ReadOptions.defaults()));
    assertTrue(
        e.getMessage().contains(bad + ":3:") && e.getMessage().contains("not valid UTF-8"),
        e.getMessage());
  }

  @Test
  void csvWithoutTheTextColumnShowsTheHeader() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> readAll(fixture("jigsaw-sample.tsv"), ReadOptions.defaults()));
    assertTrue(
        e.getMessage().contains("no column named \"text\"")
            && e.getMessage().contains("comment_text"),
        e.getMessage());
  }

  @Test
  void unknownLabelWordIsAnError() throws IOException {
    Path bad =
        Files.writeString(tmp.resolve("labels.jsonl"), "{\"text\": \"x\", \"label\": \"maybe\"}\n");
    BadInputException e =
        assertThrows(BadInputException.class, () -> readAll(bad, ReadOptions.defaults()));
    assertTrue(e.getMessage().contains(":1: label 'maybe'"), e.getMessage());
  }
}
