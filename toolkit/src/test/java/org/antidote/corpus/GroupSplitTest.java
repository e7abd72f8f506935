package org.antidote.corpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class GroupSplitTest {

  /**
   * Twelve groups of ten statements; trans reuses two lgbtq statements, and women one of jewish's
   * via muslim.
   */
  private static List<GroupSplit.Item> items() {
    List<GroupSplit.Item> out = new ArrayList<>();
    String[] groups = {
      "asian",
      "black",
      "chinese",
      "jewish",
      "latino",
      "lgbtq",
      "mental_dis",
      "mexican",
      "middle_east",
      "muslim",
      "native_american",
      "physical_dis",
      "trans",
      "women"
    };
    for (String g : groups) {
      for (int i = 0; i < 10; i++) {
        out.add(new GroupSplit.Item(g, g + " statement " + i));
      }
    }
    out.add(new GroupSplit.Item("trans", "lgbtq statement 3"));
    out.add(new GroupSplit.Item("trans", "lgbtq statement 7"));
    out.add(new GroupSplit.Item("muslim", "jewish statement 1"));
    out.add(new GroupSplit.Item("women", "muslim statement 2"));
    return out;
  }

  @Test
  void groupsSharingStatementsStayOnOneSideForEverySeed() {
    Set<String> seenFit = new HashSet<>();
    for (long seed = 1; seed <= 30; seed++) {
      GroupSplit s = GroupSplit.of(items(), 0.5, seed);
      assertEquals(
          s.fitGroups().contains("trans"), s.fitGroups().contains("lgbtq"), "seed " + seed);
      boolean jewish = s.fitGroups().contains("jewish");
      assertEquals(jewish, s.fitGroups().contains("muslim"), "seed " + seed);
      assertEquals(jewish, s.fitGroups().contains("women"), "seed " + seed);
      assertTrue(s.fitStatements().size() >= 0.5 * 140, "fit holds at least half the statements");
      assertFalse(s.scoreGroups().isEmpty());
      Set<String> both = new HashSet<>(s.fitGroups());
      both.retainAll(s.scoreGroups());
      assertTrue(both.isEmpty(), "a group on both sides: " + both);
      assertEquals(14, s.fitGroups().size() + s.scoreGroups().size());
      // No score-side group has a statement on the fit side.
      for (GroupSplit.Item it : items()) {
        if (s.scoreGroups().contains(it.group())) {
          assertTrue(s.scorable(List.of(it.statement())), it + " is on the fit side too");
        }
      }
      seenFit.add(String.join(",", s.fitGroups()));
    }
    assertTrue(
        seenFit.size() > 10, "the seed decides the split: " + seenFit.size() + " distinct splits");
    assertEquals(GroupSplit.of(items(), 0.5, 4), GroupSplit.of(items(), 0.5, 4), "seeded");
    assertNotEquals(
        GroupSplit.of(items(), 0.5, 4).fitGroups(), GroupSplit.of(items(), 0.5, 5).fitGroups());
  }

  @Test
  void aPromptWithAnyFitStatementIsNotScorable() {
    GroupSplit s = GroupSplit.of(items(), 0.5, 2);
    String fitGroup = s.fitGroups().iterator().next();
    String scoreGroup = s.scoreGroups().iterator().next();
    assertTrue(s.scorable(List.of(scoreGroup + " statement 0", scoreGroup + " statement 1")));
    assertFalse(s.scorable(List.of(scoreGroup + " statement 0", fitGroup + " statement 5")));
  }

  @Test
  void statementsMatchWhateverTheirCaseApostrophesAndPunctuation() {
    // ToxiGen's prompts repeat its statements lower-cased, apostrophes dropped.
    assertEquals(
        GroupSplit.key("A person's disability may present differently."),
        GroupSplit.key("a persons disability may present  differently"));
    List<GroupSplit.Item> items = new ArrayList<>(items());
    items.add(new GroupSplit.Item("trans", "Lgbtq Statement 5."));
    items.add(new GroupSplit.Item("women", "it's women's statement"));
    GroupSplit s = GroupSplit.of(items, 0.5, 3);
    assertEquals(s.fitGroups().contains("trans"), s.fitGroups().contains("lgbtq"));
    String lgbtqSide = s.fitGroups().contains("lgbtq") ? "fit" : "score";
    assertEquals(lgbtqSide.equals("fit"), s.fits("LGBTQ statement 5"));
    assertEquals(
        s.fitGroups().contains("women"), !s.scorable(List.of("its womens statement!")), "women");
  }

  @Test
  void oneJoinedSetCannotBeSplitAndSharesAreChecked() {
    List<GroupSplit.Item> joined =
        List.of(new GroupSplit.Item("a", "x"), new GroupSplit.Item("b", "x"));
    BadInputException e =
        assertThrows(BadInputException.class, () -> GroupSplit.of(joined, 0.5, 1));
    assertTrue(e.getMessage().contains("share statements"), e.getMessage());
    assertThrows(BadInputException.class, () -> GroupSplit.of(items(), 1.0, 1));
  }
}
