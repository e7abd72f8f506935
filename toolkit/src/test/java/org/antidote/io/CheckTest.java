package org.antidote.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CheckTest {

  @Test
  void aUsersBadValueIsBadInputNamingTheParameter() {
    var e = assertThrows(BadInputException.class, () -> Check.positive("train config: batch", 0));
    assertEquals("train config: batch must be >= 1, got 0", e.getMessage());
    assertThrows(BadInputException.class, () -> Check.positive("lr", Double.NaN));
    assertThrows(BadInputException.class, () -> Check.inRange("share", 1.5, 0, 1));
    assertThrows(BadInputException.class, () -> Check.present("--out", null));
  }

  @Test
  void goodValuesPassThrough() {
    assertEquals(3, Check.atLeast("k", 3, 2));
    assertEquals(0.25, Check.inRange("share", 0.25, 0, 1));
    assertEquals(0.0, Check.nonNegative("clip", 0.0));
  }

  @Test
  void aBrokenInvariantIsIllegalState() {
    assertThrows(IllegalStateException.class, () -> Check.state(false, "heads out of order"));
  }
}
