package org.antidote.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.antidote.io.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The study reads the toy sweep's cells under DIR/toy for verdict (e), and has none without them.
 */
class StudyToyPointsTest {

  @TempDir Path tmp;

  @Test
  void toyCellsBecomePointsOfVerdictE() {
    assertTrue(Study.toyPoints(tmp.resolve("toy")).isEmpty());
    Path probeDir = tmp.resolve("toy").resolve("probe-L1-abcdef12");
    double[][] cells = {
      {0.05, 1, 0.95}, {0.05, 2, 0.93}, {0.2, 1, 0.85}, {0.2, 2, 0.84}, {0.33, 1, 0.80}
    };
    for (double[] c : cells) {
      Json.write(
          probeDir.resolve(String.format("share-%.3f-seed-%d.json", c[0], (long) c[1])),
          Map.of(
              "config",
              Map.of("seed", (long) c[1], "data", Map.of("rareShare", c[0])),
              "rareMean",
              c[2]));
    }
    List<Verdicts.ToyPoint> points = Study.toyPoints(tmp.resolve("toy"));
    assertEquals(5, points.size());
    assertEquals(new Verdicts.ToyPoint(0.05, 1, 0.95), points.get(0));
    Verdicts.Verdict e = Verdicts.toyEntanglement(points);
    assertEquals(Verdicts.Outcome.REPRODUCED, e.outcome(), String.valueOf(e.effect()));
  }
}
