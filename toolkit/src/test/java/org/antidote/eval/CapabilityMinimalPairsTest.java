package org.antidote.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import org.antidote.io.BadInputException;
import org.junit.jupiter.api.Test;

class CapabilityMinimalPairsTest {

  private static final String RULES =
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <!DOCTYPE rules [ <!ENTITY be "are|were"> ]>
      <rules lang="en">
        <category id="C">
          <rulegroup id="GROUP">
            <rule>
              <pattern><token>is</token></pattern>
              <example correction="&be;">They <marker>is</marker> here.</example>
              <example>They are here.</example>
            </rule>
            <rule id="INNER">
              <example correction="an|one">I ate <marker>a</marker>
                 <b>apple</b>.</example>
              <example correction="">Empty <marker>fix</marker> is skipped.</example>
              <example correction="x">No marker is skipped.</example>
              <example correction="|y">A <marker>deletion</marker> is skipped.</example>
              <antipattern><example>Never <marker>mind</marker>.</example></antipattern>
            </rule>
          </rulegroup>
          <rule id="ALONE">
            <example correction="its">The dog wagged <marker>it's</marker> tail.</example>
            <example correction="are|were">They <marker>is</marker> here.</example>
          </rule>
        </category>
      </rules>
      """;

  @Test
  void parsesMarkedExamplesWithTheFirstCorrection() {
    List<MinimalPair> pairs =
        MinimalPairs.parse(
            new ByteArrayInputStream(RULES.getBytes(StandardCharsets.UTF_8)), "test");
    assertEquals(
        List.of(
            new MinimalPair("They are here.", "They is here.", "GROUP"),
            new MinimalPair("I ate an apple.", "I ate a apple.", "INNER"),
            new MinimalPair("The dog wagged its tail.", "The dog wagged it's tail.", "ALONE"),
            new MinimalPair("They are here.", "They is here.", "ALONE")),
        pairs);
    assertEquals(3, MinimalPairs.of(pairs).size(), "duplicates are dropped");
    assertEquals("GROUP", MinimalPairs.of(pairs).all().get(0).rule(), "the first rule is kept");
  }

  @Test
  void malformedXmlNamesTheSource() {
    var e =
        assertThrows(
            BadInputException.class,
            () ->
                MinimalPairs.parse(
                    new ByteArrayInputStream("<rules><rule>".getBytes(StandardCharsets.UTF_8)),
                    "broken.xml"));
    assertTrue(e.getMessage().contains("broken.xml"), e.getMessage());
  }

  @Test
  void languageToolYieldsThousandsOfCleanPairs() {
    long start = System.nanoTime();
    MinimalPairs pairs = MinimalPairs.fromLanguageTool();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf("LanguageTool minimal pairs: %d in %.2f s%n", pairs.size(), seconds);
    pairs
        .sample(8, 1)
        .forEach(
            p ->
                System.out.println(
                    "  [" + p.rule() + "] good: " + p.good() + " | bad: " + p.bad()));
    assertTrue(pairs.size() >= 2000, "only " + pairs.size() + " pairs");
    var seen = new HashSet<String>();
    for (MinimalPair p : pairs.all()) {
      for (String s : List.of(p.good(), p.bad())) {
        assertTrue(!s.contains("<marker>") && !s.contains("</marker>"), "marker left in " + p);
        assertEquals(s.strip(), s);
      }
      assertNotEquals(p.good(), p.bad());
      assertTrue(seen.add(p.good() + '\u0000' + p.bad()), "duplicate " + p);
    }
    assertEquals(pairs.sample(50, 7), pairs.sample(50, 7));
    assertNotEquals(pairs.sample(50, 7), pairs.sample(50, 8));
    assertEquals(pairs.size(), pairs.sample(Integer.MAX_VALUE, 1).size());
  }
}
