package org.antidote.toy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class ToySuperpositionTest {

  static SuperpositionConfig config(double p0) {
    return new SuperpositionConfig(20, 5, 0.05, 1.0, p0, 2000, 256, 1e-2, 1);
  }

  @Test
  void aFrequentFeatureSharesItsDirectionLessThanARareOne() {
    Superposition.Result frequent = Superposition.run(config(1.0));
    Superposition.Result rare = Superposition.run(config(0.05));
    // Both are represented ...
    assertTrue(frequent.norm0() > 0.5, "frequent |W_0| = " + frequent.norm0());
    assertTrue(rare.norm0() > 0.5, "rare |W_0| = " + rare.norm0());
    // ... but the others' weight lying along feature 0's direction is far smaller when it is dense.
    assertTrue(
        frequent.overlap() < 0.6 * rare.overlap(),
        "overlap frequent " + frequent.overlap() + " vs rare " + rare.overlap());
    // The dense feature is orthogonal to every other column except at most one (an antipodal
    // partner,
    // which max |cos| counts as full interference): count the columns it shares with.
    int sharing = 0;
    for (int j = 1; j < 20; j++) {
      double d = 0;
      double nj = 0;
      for (int k = 0; k < 5; k++) {
        d += frequent.w()[k][0] * frequent.w()[k][j];
        nj += frequent.w()[k][j] * frequent.w()[k][j];
      }
      if (nj > 0.01 && Math.abs(d) / Math.sqrt(nj) / frequent.norm0() > 0.2) {
        sharing++;
      }
    }
    assertTrue(sharing <= 1, "the dense feature shares its direction with " + sharing + " columns");
  }

  @Test
  void badConfigsAreRefused() {
    BadInputException e =
        assertThrows(
            BadInputException.class,
            () -> new SuperpositionConfig(5, 5, 0.1, 1, 0.1, 10, 10, 1e-2, 1));
    assertTrue(e.getMessage().contains("n must be > m = 5"), e.getMessage());
    e = assertThrows(BadInputException.class, () -> SuperpositionConfig.defaults(0, 1));
    assertTrue(e.getMessage().contains("p0 must be in (0, 1]"), e.getMessage());
  }

  @Test
  void theSameSeedGivesTheSameModel() {
    SuperpositionConfig c = new SuperpositionConfig(6, 2, 0.1, 0.9, 0.3, 50, 32, 1e-2, 4);
    assertEquals(Superposition.run(c).overlap(), Superposition.run(c).overlap());
  }
}
