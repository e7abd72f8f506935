package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.antidote.io.Json;
import org.antidote.model.ModelConfig;
import org.antidote.train.TrainConfig;
import org.junit.jupiter.api.Test;

/** The toy's config holds the toolkit's train config, and cells stored before still load. */
class ToyConfigTest {

  /** A default cell as it was stored while the toy flattened the model and its training. */
  static final String STORED_FLAT =
      """
      {"data":{"chains":3,"docLength":256,"rareChain":0,"rareShare":0.1,"stay":0.9,
       "trainTokens":100000,"vocab":4},
       "probe":{"iterations":500,"l2":0.001,"layer":3,"lr":0.5,"perFeature":200},
       "reading":"FEATURES","seed":7,
       "train":{"batch":32,"beta1":0.9,"beta2":0.95,"dMlp":16,"dModel":4,"gradClip":1.0,
        "heads":2,"initStd":0.3,"layers":4,"lr":0.01,"optimizer":"adamw","seqLen":32,
        "steps":1000,"warmup":50,"weightDecay":0.1}}
      """;

  @Test
  void aCellStoredFlatLoadsAsTheTrainConfigItsModelWasTrainedWith() throws Exception {
    ToyConfig c = Json.MAPPER.readValue(STORED_FLAT, ToyConfig.class);
    assertEquals(ToyConfig.defaults(0.1, 7), c);
    // Exactly what the Trainer was given for such a cell (its run folder refuses any other).
    TrainConfig trained =
        new TrainConfig(
            new ModelConfig(4, 2, 4, 16, 32, 5, 10_000, ModelConfig.Norm.LAYER_NORM, true, 0.3),
            7,
            32,
            1,
            1000,
            1e-2,
            0.1,
            50,
            0.1,
            0.9,
            0.95,
            1e-8,
            1.0,
            1000,
            4,
            100,
            1000,
            1,
            false,
            false,
            0,
            false);
    assertEquals(trained, c.train());
    assertEquals(ToyProbeConfig.defaults(4), c.probe());
  }

  @Test
  void aCellRoundTripsThroughJson() throws Exception {
    ToyConfig c = ToyConfig.defaults(0.25, 3).withSteps(60).withReading(ToyConfig.Reading.CHAINS);
    assertEquals(c, Json.MAPPER.readValue(Json.line(c), ToyConfig.class));
    assertEquals(60, c.train().steps());
    assertEquals(3, c.train().warmupSteps());
    assertEquals(60, c.train().checkpointEvery());
  }

  @Test
  void theCellSetsTheModelsVocabularyAndSeed() {
    ToyConfig c = ToyConfig.defaults(0.1, 1).at(0.3, 9);
    assertEquals(5, c.train().model().vocab(), "4 tokens and the separator");
    assertEquals(9, c.train().seed());
    assertEquals(ToyConfig.defaultTrain().withSeed(9).steps(), c.train().steps());
  }
}
