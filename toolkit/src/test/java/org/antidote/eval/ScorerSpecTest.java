package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;

/** Every form {@code --scorer} accepts, parsed once; anything else is one sentence of the forms. */
class ScorerSpecTest {

  @Test
  void namesParseInAnyCaseAndPrintBack() {
    assertInstanceOf(ScorerSpec.MiniLm.class, ScorerSpec.parse("MiniLM"));
    assertInstanceOf(ScorerSpec.Lexicon.class, ScorerSpec.parse(" lexicon "));
    assertInstanceOf(ScorerSpec.Perspective.class, ScorerSpec.parse("perspective"));
    for (String s : List.of("minilm", "lexicon", "perspective")) {
      assertEquals(s, ScorerSpec.parse(s).spec());
      assertEquals(s, ScorerSpec.parse(s).toString());
    }
    assertEquals(PerspectiveScorer.ID, ScorerSpec.parse("perspective").id(), "no key needed");
  }

  @Test
  void onnxTakesFilesThenAnOptionalLabelAndLink() {
    ScorerSpec.Onnx bare = (ScorerSpec.Onnx) ScorerSpec.parse("onnx=m.onnx,t.json");
    assertEquals(Path.of("m.onnx"), bare.model());
    assertEquals(Path.of("t.json"), bare.tokenizer());
    assertEquals(null, bare.label());
    assertEquals("onnx=m.onnx,t.json", bare.spec());
    ScorerSpec.Onnx full = (ScorerSpec.Onnx) ScorerSpec.parse("onnx=m.onnx,t.json,0,softmax");
    assertEquals(0, full.label());
    assertEquals(OnnxClassifierScorer.Link.SOFTMAX, full.link());
    assertEquals(full, ScorerSpec.parse(full.spec()));
    BadInputException e =
        assertThrows(BadInputException.class, () -> ScorerSpec.parse("onnx=m.onnx,t.json,x"));
    assertTrue(e.getMessage().contains("LABEL"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ScorerSpec.parse("onnx=m.onnx,t.json,1,relu"));
    assertTrue(e.getMessage().contains("relu"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ScorerSpec.parse("onnx=m.onnx"));
    assertTrue(e.getMessage().contains("tokenizer.json"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> ScorerSpec.parse("onnx=a,b").open());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }

  @Test
  void anUnknownScorerListsTheAcceptedForms() {
    BadInputException e = assertThrows(BadInputException.class, () -> ScorerSpec.parse("vibes"));
    assertTrue(e.getMessage().contains("'vibes'"), e.getMessage());
    for (String form : List.of("minilm", "lexicon", "perspective", "onnx=MODEL.onnx")) {
      assertTrue(e.getMessage().contains(form), e.getMessage());
    }
    assertEquals(1, e.getMessage().lines().count(), "one sentence");
  }

  @Test
  void storedAsItsTextForm() {
    ScorerSpec s = ScorerSpec.parse("onnx=m.onnx,t.json,1");
    assertEquals("\"onnx=m.onnx,t.json,1\"", Json.line(s));
    assertEquals("\"lexicon\"", Json.line(ScorerSpec.parse("Lexicon")));
  }
}
