package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run finds its data folder where its config says, or beside its parent once moved. */
class ModelsTest {

  @Test
  void aRunMovedWithItsStudyFindsItsMixture(@TempDir Path tmp) throws Exception {
    Path study = tmp.resolve("moved-study");
    Path run = Files.createDirectories(study.resolve("runs/share-25-seed-1"));
    Path mix = Files.createDirectories(study.resolve("mix-25"));
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere/mix-25"));

    assertEquals(elsewhere, Models.dataDir(run, elsewhere.toString()), "the recorded folder first");
    String gone = tmp.resolve("old-place/mix-25").toString();
    assertEquals(mix.toAbsolutePath(), Models.dataDir(run, gone), "then the moved study's");
    assertNull(Models.dataDir(run, tmp.resolve("old-place/mix-10").toString()), "no such mixture");
    assertNull(Models.dataDir(run, null));
  }
}
