package org.antidote.kernel;

import com.google.gson.JsonParser;
import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.Renderer;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * How values look in the notebook, as registrations in the base kernel's {@link Renderer} (where a
 * user registers renderers for their own types too, through {@code Notebook.renderer()}). Tables
 * become paged HTML tables with a text twin; a chart becomes one bundle of Plotly JSON ({@code
 * application/vnd.plotly.v1+json}, drawn by the front end's own plotly.js), a PNG (for front ends
 * and viewers without a Plotly renderer or scripts) and a text summary, so every chart draws by
 * itself whatever else is on the page; images become PNG; a {@link Displayable} shows its chart,
 * then its table; a list of Displayables of one type shows as one table. Everything else shows its
 * {@code toString()}.
 */
final class Displays {

  /** Rows shown before a table is cut ("... N more rows"). */
  static final int TABLE_ROWS = 50;

  /**
   * Plotly's MIME type, rendered natively by VS Code and nteract, by JupyterLab with the plotly
   * extension.
   */
  static final MIMEType PLOTLY = MIMEType.parse("application/vnd.plotly.v1+json");

  private final Renderer renderer;

  /**
   * Registers the toolkit's types in {@code renderer}. {@code displayNow} shows a bundle at once: a
   * front end shows one MIME type of each output, so a chart and its table are two outputs.
   */
  Displays(Renderer renderer, Consumer<DisplayData> displayNow) {
    this.renderer = renderer;
    renderer
        .createRegistration(Table.class)
        .preferring(MIMEType.TEXT_HTML)
        .register((t, ctx) -> putTable(ctx.getOutputContainer(), t, TABLE_ROWS));
    renderer
        .createRegistration(Chart.class)
        .preferring(PLOTLY)
        .register((c, ctx) -> putChart(ctx.getOutputContainer(), c));
    renderer
        .createRegistration(Figure.class)
        .preferring(PLOTLY)
        .register((f, ctx) -> putChart(ctx.getOutputContainer(), Chart.of(f, "figure")));
    renderer
        .createRegistration(BufferedImage.class)
        .preferring(MIMEType.IMAGE_PNG)
        .register(
            (img, ctx) -> {
              ctx.getOutputContainer().putText("image " + img.getWidth() + "x" + img.getHeight());
              ctx.getOutputContainer()
                  .putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(png(img)));
            });
    renderer
        .createRegistration(Displayable.class)
        .preferring(MIMEType.TEXT_HTML)
        .register(
            (v, ctx) -> {
              Chart c = v.chart();
              if (c != null) {
                DisplayData chart = new DisplayData();
                putChart(chart, c);
                displayNow.accept(chart);
              }
              putTable(ctx.getOutputContainer(), v.table(), TABLE_ROWS);
              String text = v.toString();
              // A record's generated toString is a dump of its fields; the table's text reads
              // better.
              if (!(v instanceof Record && text.startsWith(v.getClass().getSimpleName() + "["))) {
                ctx.getOutputContainer().putText(text);
              }
            });
  }

  /** The bundle that shows {@code value}. */
  DisplayData render(Object value) {
    if (value instanceof DisplayData d) {
      return d;
    }
    if (value instanceof List<?> list
        && !list.isEmpty()
        && list.get(0) instanceof Displayable first
        && list.stream().allMatch(e -> e != null && e.getClass() == first.getClass())) {
      Table t = first.table().emptyCopy();
      list.forEach(e -> t.append(((Displayable) e).table()));
      return renderer.render(t);
    }
    return renderer.render(value);
  }

  /** A table as HTML (first {@code maxRows} rows) and as text. */
  static void putTable(DisplayData d, Table t, int maxRows) {
    d.putText(
        t.rowCount() > maxRows
            ? t.first(maxRows).printAll() + "\n... " + (t.rowCount() - maxRows) + " more rows"
            : t.printAll());
    d.putHTML(Tables.html(t, maxRows));
  }

  /** A chart as Plotly JSON, a PNG when Chromium is there, and text. */
  static void putChart(DisplayData d, Chart c) {
    d.putText(c.toString());
    d.putData(PLOTLY, new JsonParser().parse(c.plotlyJson().toString()));
    try {
      d.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(c.png()));
    } catch (IllegalStateException e) {
      // No Chromium: front ends with a Plotly renderer still draw it; others show the text.
      System.err.println("(no PNG of the chart: " + e.getMessage() + ")");
    }
  }

  static byte[] png(BufferedImage img) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
