package org.antidote.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.antidote.eval.OnnxClassifierScorer;
import org.antidote.io.BadInputException;
import org.antidote.tokenize.BpeTokenizer;
import org.antidote.tokenize.BpeTrainerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's ONNX classifier (as a Detoxify export would be used): a tiny model written by Debian's
 * python3-onnx, with a tokenizer.json of our own BPE, scored through ONNX Runtime.
 */
class OnnxClassifierTest {

  @TempDir Path tmp;

  @Test
  void aUserClassifierScoresTextsThroughItsTokenizer() throws Exception {
    List<String> corpus =
        List.of("the cat sat on the mat", "a zorblax appeared", "dogs and cats", "zorblax zorblax");
    BpeTokenizer tok =
        BpeTokenizer.train(
            Stream.generate(() -> corpus).limit(50).flatMap(List::stream).iterator(),
            BpeTrainerConfig.of(300));
    Path tokenizer = tmp.resolve("tokenizer.json");
    tok.save(tokenizer);
    int[] bad = tok.encode(" zorblax");
    StringBuilder ids = new StringBuilder();
    for (int id : bad) {
      ids.append(ids.length() == 0 ? "" : ",").append(id);
    }
    Path script = tmp.resolve("tiny_classifier.py");
    try (InputStream in = getClass().getResourceAsStream("/eval/tiny_classifier.py")) {
      Files.write(script, in.readAllBytes());
    }
    Path model = tmp.resolve("classifier.onnx");
    Process p =
        new ProcessBuilder(
                "/usr/bin/python3",
                script.toString(),
                model.toString(),
                Integer.toString(tok.vocabSize()),
                ids.toString())
            .redirectErrorStream(true)
            .start();
    String log = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(2, TimeUnit.MINUTES) && p.exitValue() == 0, "python3-onnx failed: " + log);

    try (OnnxClassifierScorer s =
        new OnnxClassifierScorer(
            new OnnxClassifierScorer.Config(
                model, tokenizer, 1, OnnxClassifierScorer.Link.SOFTMAX, 64))) {
      double[] scores =
          s.score(List.of("the cat sat on the mat", "a zorblax on the mat", "zorblax zorblax"));
      assertTrue(scores[0] < 0.1, "clean text " + scores[0]);
      assertTrue(scores[1] > scores[0] && scores[2] > 0.9, Arrays.toString(scores));
      assertTrue(s.id().startsWith("onnx(classifier.onnx@"));
    }
    try (OnnxClassifierScorer s =
        new OnnxClassifierScorer(
            new OnnxClassifierScorer.Config(
                model, tokenizer, 5, OnnxClassifierScorer.Link.SIGMOID, 64))) {
      BadInputException e = assertThrows(BadInputException.class, () -> s.score(List.of("x")));
      assertTrue(e.getMessage().contains("has 2 outputs"), e.getMessage());
    }
    Path notAModel = Files.writeString(tmp.resolve("broken.onnx"), "not a model");
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () ->
                new OnnxClassifierScorer(
                    new OnnxClassifierScorer.Config(
                        notAModel, tokenizer, 1, OnnxClassifierScorer.Link.SOFTMAX, 64)));
    assertTrue(e.getMessage().contains("broken.onnx"), e.getMessage());
    assertEquals(OnnxClassifierScorer.Link.SIGMOID, OnnxClassifierScorer.Link.parse("sigmoid"));
  }
}
