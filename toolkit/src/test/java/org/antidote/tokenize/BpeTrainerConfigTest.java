package org.antidote.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class BpeTrainerConfigTest {

  @Test
  void ofUsesTheDefaults() {
    BpeTrainerConfig config = BpeTrainerConfig.of(8192);
    assertEquals(8192, config.vocabSize());
    assertEquals(2, config.minPairFrequency());
    assertEquals(List.of("<|endoftext|>"), config.specialTokens());
  }

  @Test
  void tooSmallAVocabularySaysWhatIsNeeded() {
    var e = assertThrows(BadInputException.class, () -> BpeTrainerConfig.of(200));
    assertEquals(
        "vocabSize 200 is too small: a byte-level BPE needs at least 256 byte tokens"
            + " + 1 special token + 1 merge, so >= 258",
        e.getMessage());
    // The smallest legal size depends on the number of special tokens.
    new BpeTrainerConfig(257, 2, List.of());
    var three =
        assertThrows(
            BadInputException.class,
            () -> new BpeTrainerConfig(259, 2, List.of("<a>", "<b>", "<c>")));
    assertTrue(
        three.getMessage().contains("3 special tokens") && three.getMessage().contains(">= 260"),
        three.getMessage());
  }

  @Test
  void minPairFrequencyMustBePositive() {
    var e = assertThrows(BadInputException.class, () -> new BpeTrainerConfig(1000, 0, List.of()));
    assertTrue(e.getMessage().startsWith("minPairFrequency 0 must be >= 1"), e.getMessage());
  }

  @Test
  void specialTokensAreCheckedAndCopied() {
    assertThrows(NullPointerException.class, () -> new BpeTrainerConfig(1000, 2, null));
    var empty =
        assertThrows(
            BadInputException.class, () -> new BpeTrainerConfig(1000, 2, List.of("<a>", "")));
    assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
    var nulls =
        assertThrows(
            BadInputException.class,
            () -> new BpeTrainerConfig(1000, 2, Arrays.asList("<a>", null)));
    assertTrue(nulls.getMessage().contains("null"), nulls.getMessage());
    var twice =
        assertThrows(
            BadInputException.class, () -> new BpeTrainerConfig(1000, 2, List.of("<a>", "<a>")));
    assertTrue(twice.getMessage().contains("\"<a>\" twice"), twice.getMessage());
    var byteToken =
        assertThrows(BadInputException.class, () -> new BpeTrainerConfig(1000, 2, List.of("!")));
    assertTrue(byteToken.getMessage().contains("byte 0x21"), byteToken.getMessage());

    List<String> mutable = new ArrayList<>(List.of("<a>"));
    BpeTrainerConfig config = new BpeTrainerConfig(1000, 2, mutable);
    mutable.add("<b>");
    assertEquals(List.of("<a>"), config.specialTokens());
  }
}
