package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.antidote.model.ModelConfig;
import org.antidote.probe.ProbeConfig;
import org.antidote.train.TrainConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class ToySweepTest {

  /** Two layers, 40 steps, 20 probe sequences per feature: seconds, not a result. */
  static ToyConfig tiny() {
    MarkovConfig data = new MarkovConfig(3, 4, 0, 0.1, 0.9, 64, 4_000);
    ModelConfig model =
        new ModelConfig(2, 2, 4, 8, 16, 2, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.02);
    TrainConfig train = ToyConfig.train(model, 40, 8, 1e-2, 2, 0.1, 0.9, 0.95, 1.0);
    return new ToyConfig(data, train, new ToyProbeConfig(1, 20, ProbeConfig.defaults()), 1);
  }

  @Test
  void aTwoByTwoSweepProducesTheTableAndResumes(@TempDir Path out) throws Exception {
    List<Double> shares = List.of(0.1, 0.3);
    List<Long> seeds = List.of(1L, 2L);
    ToySweep.Summary s = ToySweep.run(tiny(), shares, seeds, out);

    assertEquals(4, s.cells().size());
    assertEquals(Entanglement.welchBound(12, 4), s.welchBound(), 1e-15);
    Table t = s.table();
    assertEquals(
        List.of("share", "group", "mean", "std", "95% low", "95% high", "n"), t.columnNames());
    assertEquals(4, t.rowCount());
    assertEquals(List.of(0.1, 0.1, 0.3, 0.3), t.doubleColumn("share").asList());
    assertEquals(List.of("rare", "others", "rare", "others"), t.stringColumn("group").asList());
    for (int r = 0; r < 4; r++) {
      assertEquals(2, t.intColumn("n").get(r));
      double mean = t.doubleColumn("mean").get(r);
      assertTrue(mean > 0 && mean <= 1, "mean " + mean);
      assertTrue(t.doubleColumn("std").get(r) >= 0);
    }
    for (MarkovResult c : s.cells()) {
      assertEquals(12, c.entanglement().length);
      double rare =
          (c.entanglement()[0] + c.entanglement()[1] + c.entanglement()[2] + c.entanglement()[3])
              / 4;
      assertEquals(rare, c.rareMean(), 1e-12);
      for (double e : c.entanglement()) {
        // No set of 12 directions in 4 dimensions can beat the bound everywhere; each E_i is in [0,
        // 1].
        assertTrue(e >= 0 && e <= 1);
      }
      assertTrue(Arrays.stream(c.entanglement()).max().orElseThrow() >= s.welchBound() - 1e-9);
    }
    // The table's numbers are the seeds' mean and sample std of the cells' group means.
    double a = s.cells().get(0).rareMean();
    double b = s.cells().get(1).rareMean();
    assertEquals((a + b) / 2, t.doubleColumn("mean").get(0), 1e-12);
    assertEquals(Math.abs(a - b) / Math.sqrt(2), t.doubleColumn("std").get(0), 1e-12);

    Path probeDir = out.resolve(ToySweep.probeTag(tiny().probe()));
    assertEquals(5, Files.readAllLines(probeDir.resolve("summary.csv")).size());
    assertTrue(Files.isRegularFile(probeDir.resolve("share-0.300-seed-2.json")));
    assertTrue(Files.isRegularFile(out.resolve("share-0.300-seed-2/run-v2/model.safetensors")));
    assertTrue(Files.readString(probeDir.resolve("entanglement.html")).contains("Welch bound"));

    // Run again: every cell is read back, nothing retrained, the same numbers.
    ToySweep.Summary again = ToySweep.run(tiny(), shares, seeds, out);
    for (int i = 0; i < 4; i++) {
      assertEquals(s.cells().get(i).rareMean(), again.cells().get(i).rareMean());
      assertEquals(s.cells().get(i).seconds(), again.cells().get(i).seconds());
    }
    // Another probe layer reuses the trained models and measures afresh.
    ToySweep.Summary layer0 =
        ToySweep.run(tiny().withProbe(tiny().probe().withLayer(0)), shares, seeds, out);
    assertEquals(4, layer0.table().rowCount());
    assertEquals(0, layer0.cells().get(0).config().probe().layer());
  }
}
