package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HeldOutTest {

  @Test
  void heldOutShareAndSplitsMatchTheirDefinitions() {
    int n = 20_000;
    int held = 0;
    Map<HeldOut.Split, Integer> splits = new EnumMap<>(HeldOut.Split.class);
    for (int i = 0; i < n; i++) {
      String text = "document number " + i;
      if (HeldOut.isHeldOut(text)) {
        held++;
        splits.merge(HeldOut.splitOf(text), 1, Integer::sum);
      }
    }
    assertEquals(HeldOut.FRACTION, held / (double) n, 0.01);
    assertEquals(0.6, splits.get(HeldOut.Split.TRAIN) / (double) held, 0.03);
    assertEquals(0.2, splits.get(HeldOut.Split.TEST) / (double) held, 0.03);
  }

  @Test
  void dependsOnlyOnTheText() {
    assertEquals(HeldOut.isHeldOut("same text"), HeldOut.isHeldOut(new String("same text")));
    assertEquals(HeldOut.unit("held-out", "abc"), HeldOut.unit("held-out", "abc"));
    assertTrue(HeldOut.unit("held-out", "abc") != HeldOut.unit("validation", "abc"));
  }
}
