package org.antidote.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import tech.tablesaw.plotly.components.Axis;
import tech.tablesaw.plotly.components.Figure;
import tech.tablesaw.plotly.components.Layout;
import tech.tablesaw.plotly.traces.ScatterTrace;
import tech.tablesaw.plotly.traces.Trace;

/** The study's standard charts. */
public final class Charts {

  private Charts() {}

  /** Training and validation loss against step, for one or more run folders. */
  public static Chart lossCurves(List<Path> runs) {
    List<Trace> traces = new ArrayList<>();
    for (Path run : runs) {
      List<double[]> train = new ArrayList<>();
      List<double[]> val = new ArrayList<>();
      for (JsonNode m : metrics(run)) {
        train.add(new double[] {m.path("step").asDouble(), m.path("loss").asDouble()});
        if (m.hasNonNull("valLoss")) {
          val.add(new double[] {m.path("step").asDouble(), m.path("valLoss").asDouble()});
        }
      }
      String name = run.getFileName().toString();
      traces.add(
          ScatterTrace.builder(column(train, 0), column(train, 1))
              .mode(ScatterTrace.Mode.LINE)
              .name(name + " train")
              .build());
      if (!val.isEmpty()) {
        traces.add(
            ScatterTrace.builder(column(val, 0), column(val, 1))
                .mode(ScatterTrace.Mode.LINE_AND_MARKERS)
                .name(name + " validation")
                .build());
      }
    }
    Layout layout =
        Layout.builder()
            .title("Loss")
            .width(720)
            .height(420)
            .xAxis(Axis.builder().title("step").build())
            .yAxis(Axis.builder().title("nats per token").build())
            .build();
    return Chart.of(new Figure(layout, traces.toArray(new Trace[0])), "loss");
  }

  /** The lines of a run's {@code metrics.jsonl}. */
  static List<JsonNode> metrics(Path run) {
    Path f = run.resolve("metrics.jsonl");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(run + ": no metrics.jsonl; is it a run folder?");
    }
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
        if (!line.isBlank()) {
          out.add(Json.MAPPER.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + f, e);
    }
    return out;
  }

  private static double[] column(List<double[]> rows, int i) {
    return rows.stream().mapToDouble(r -> r[i]).toArray();
  }
}
