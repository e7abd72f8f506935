package org.antidote.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.ScatterTrace;

/** A Tablesaw figure read back as the Plotly JSON front ends draw. */
class FigureJsonTest {

  @Test
  void tracesAndLayoutComeThroughWithTitlesAsObjects() {
    var figure =
        new Figure(
            Layout.builder()
                .title("it's a line")
                .width(640)
                .height(300)
                .xAxis(Axis.builder().title("step").build())
                .build(),
            ScatterTrace.builder(new double[] {1, 2, 3}, new double[] {3, 1, 2})
                .name("loss \"train\"")
                .mode(ScatterTrace.Mode.LINE)
                .build(),
            ScatterTrace.builder(new double[] {1, 2}, new double[] {0.5, -2.5e-3})
                .name("val")
                .build());
    var json = Chart.of(figure, "t").plotlyJson();
    assertEquals(2, json.get("data").size(), json.toString());
    var first = json.get("data").get(0);
    assertEquals("scatter", first.get("type").asText());
    assertEquals("loss \"train\"", first.get("name").asText());
    assertEquals(3, first.get("x").size());
    assertEquals(
        -2.5e-3, json.get("data").get(1).get("y").get(1).asDouble(), 1e-12, json.toString());
    assertEquals(
        "it's a line", json.get("layout").get("title").get("text").asText(), json.toString());
    assertEquals(
        "step", json.get("layout").get("xaxis").get("title").get("text").asText(), json.toString());
    assertEquals(640, json.get("layout").get("width").asInt());
  }
}
