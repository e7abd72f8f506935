package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import io.github.spencerpark.jupyter.kernel.display.mime.MIMEType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import javax.imageio.ImageIO;
import org.antidote.mix.MixManifest;
import org.antidote.plot.Chart;
import org.antidote.plot.Displayable;
import org.antidote.plot.PlotlyJs;
import org.antidote.iti.ItiSweep;
import org.antidote.probe.Directions;
import org.antidote.probe.ProbeResult;
import org.antidote.train.Sweep;
import org.antidote.train.TrainResult;
import tech.tablesaw.api.Table;
import tech.tablesaw.plotly.components.Figure;

/**
 * How values look in the notebook. Tables become paged HTML tables with a text twin; charts
 * become HTML drawn by plotly.js (put on the page once per session, from the notebook itself,
 * never a CDN) with a PNG twin for viewers that run no scripts; images become PNG; the toolkit's
 * records become tables (a {@link Displayable} its table, under its chart). Everything else
 * shows its {@code toString()}.
 */
final class Displays {

  /** Rows shown before a table is cut ("... N more rows"). */
  static final int TABLE_ROWS = 50;

  private boolean plotlyOnPage;

  DisplayData render(Object value) {
    if (value instanceof DisplayData d) {
      return d;
    }
    if (value instanceof Table t) {
      return table(t);
    }
    if (value instanceof Chart c) {
      return chart(c);
    }
    if (value instanceof Figure f) {
      return chart(Chart.of(f, "figure"));
    }
    if (value instanceof BufferedImage img) {
      DisplayData d = new DisplayData("image " + img.getWidth() + "x" + img.getHeight());
      d.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(png(img)));
      return d;
    }
    if (value instanceof Displayable v) {
      Chart c = v.chart();
      return c == null ? table(v.table()).withText(v.toString()) : tableWithChart(v.table(), c, v.toString());
    }
    if (value instanceof MixManifest m) {
      return table(Tables.of(m)).withText(m.toString());
    }
    if (value instanceof TrainResult r) {
      return table(Tables.of(List.of(r)));
    }
    if (value instanceof ProbeResult p) {
      return tableWithChart(p.table(), p.heatmap(), p.toString());
    }
    if (value instanceof ItiSweep.Result r) {
      return tableWithChart(r.table(), r.chart(), r.table().print());
    }
    if (value instanceof Directions.Entanglement e) {
      return tableWithChart(e.table(), e.heatmap(), e.table().print());
    }
    if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Sweep.Row) {
      @SuppressWarnings("unchecked")
      List<Sweep.Row> rows = (List<Sweep.Row>) list;
      return table(Tables.ofSweep(rows)).withText(Sweep.table(rows));
    }
    return new DisplayData(String.valueOf(value));
  }

  /** A table as HTML (first {@value #TABLE_ROWS} rows) and as text. */
  Html table(Table t) {
    Html d = new Html(t.rowCount() > TABLE_ROWS ? t.first(TABLE_ROWS).printAll() + "\n... " + (t.rowCount() - TABLE_ROWS)
        + " more rows" : t.printAll());
    d.putHTML(Tables.html(t, TABLE_ROWS));
    return d;
  }

  /** A chart as HTML (plotly.js added to the page on first use) and as PNG when Chromium is there. */
  DisplayData chart(Chart c) {
    DisplayData d = new DisplayData(c.toString());
    String html = c.plotHtml();
    if (!plotlyOnPage) {
      html = PlotlyJs.loaderScript() + html;
      plotlyOnPage = true;
    }
    d.putHTML(html);
    try {
      d.putData(MIMEType.IMAGE_PNG, Base64.getEncoder().encodeToString(c.png()));
    } catch (IllegalStateException e) {
      // No Chromium: the HTML still draws in the notebook; static viewers get the text.
      System.err.println("(no PNG twin of the chart: " + e.getMessage() + ")");
    }
    return d;
  }

  /** A chart above a table (first rows), in one output. */
  DisplayData tableWithChart(Table t, Chart c, String text) {
    DisplayData chart = chart(c);
    Html d = new Html(text);
    d.putHTML(chart.getData(MIMEType.TEXT_HTML) + Tables.html(t, 20));
    Object png = chart.getData(MIMEType.IMAGE_PNG);
    if (png != null) {
      d.putData(MIMEType.IMAGE_PNG, png);
    }
    return d;
  }

  /** Forgets that plotly.js is on the page (a new notebook page after a restart). */
  void reset() {
    plotlyOnPage = false;
  }

  static byte[] png(BufferedImage img) {
    try (ByteArrayOutputStream out = new ByteArrayOutputStream()) {
      ImageIO.write(img, "png", out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Display data whose text twin can be replaced. */
  static final class Html extends DisplayData {
    Html(String text) {
      super(text);
    }

    Html withText(String text) {
      putText(text);
      return this;
    }
  }

}
