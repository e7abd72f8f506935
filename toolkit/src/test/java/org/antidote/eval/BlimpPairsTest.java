package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** BLiMP's pairs as the blimp recipe writes them. */
class BlimpPairsTest {

  @TempDir Path tmp;

  @Test
  void pairsCarryTheirFieldAndParadigmAndIdenticalPairsAreSkipped() throws Exception {
    Path file =
        Files.writeString(
            tmp.resolve("blimp.json"),
            "[{\"good\": \"Who should Derek hug?\", \"bad\": "
                + "\"Who should Derek hug Richard?\", \"field\": \"syntax\", \"uid\": \"adjunct_island\"},"
                + "{\"good\": \"Douglas's senator was left by Susan.\", \"bad\": \"Douglas's senator was left by Susan.\","
                + " \"field\": \"syntax\", \"uid\": \"passive_1\"},"
                + "{\"good\": \"The cats are here.\", \"bad\": \"The cats is here.\", \"field\": \"morphology\", \"uid\": \"agr\"}]");
    List<MinimalPair> pairs = MinimalPairs.blimp(file).all();
    assertEquals(
        List.of(
            new MinimalPair(
                "Who should Derek hug?", "Who should Derek hug Richard?", "syntax/adjunct_island"),
            new MinimalPair("The cats are here.", "The cats is here.", "morphology/agr")),
        pairs);
    BadInputException e =
        assertThrows(BadInputException.class, () -> MinimalPairs.blimp(tmp.resolve("none.json")));
    assertTrue(e.getMessage().contains("data fetch blimp"), e.getMessage());
  }
}
