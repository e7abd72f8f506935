package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CorporaTextsTest {

  @TempDir Path tmp;

  @Test
  void theFirstTextsOfSeveralCorporaInOrder() throws Exception {
    Path a = Files.writeString(tmp.resolve("a.txt"), "one\n\ntwo\n");
    Path b = Files.writeString(tmp.resolve("b.txt"), "three\n\nfour\n");
    var corpora = List.of(Corpus.file(a), Corpus.file(b));
    assertEquals(List.of("one", "two", "three"), Corpora.texts(corpora, 3));
    assertEquals(List.of("one", "two", "three", "four"), Corpora.texts(corpora, 10));
    assertEquals(List.of(), Corpora.texts(corpora, 0));
  }
}
