package org.antidote.kernel;

import io.github.spencerpark.jupyter.kernel.display.DisplayData;
import java.util.ArrayList;
import java.util.List;
import org.antidote.math.Numerics;
import org.antidote.train.Metrics;
import org.antidote.train.TrainConfig;
import org.antidote.train.TrainListener;
import org.antidote.train.TrainResult;

/**
 * Training progress in ONE notebook display, updated in place: a bar, the step, loss, tokens/s and
 * ETA, and a small live loss curve (inline SVG, so it needs no script and survives export).
 */
final class NotebookProgress implements TrainListener {

  private static final int W = 360;
  private static final int H = 90;
  private String id;
  private String run = "";
  private int steps;
  private final List<double[]> losses = new ArrayList<>();
  private final List<double[]> valLosses = new ArrayList<>();
  private String status = "";

  @Override
  public void started(String name, TrainConfig config, int startStep) {
    // One listener may follow several runs in turn (a sweep): each gets its own display and curve.
    losses.clear();
    valLosses.clear();
    run = name;
    steps = config.steps();
    status =
        String.format(
            "%,d parameters, %d steps of %,d tokens%s",
            config.model().parameters(),
            config.steps(),
            config.tokensPerStep(),
            startStep > 0 ? ", resuming at step " + startStep : "");
    id = Notebook.display(html(0, status));
  }

  @Override
  public void logged(Metrics m) {
    losses.add(new double[] {m.step(), m.loss()});
    if (m.valLoss() != null) {
      valLosses.add(new double[] {m.step(), m.valLoss()});
    }
    String line =
        String.format(
            "step %d/%d &middot; loss %.3f%s &middot; %,.0f tok/s &middot; ETA %s",
            m.step(),
            steps,
            m.loss(),
            m.valLoss() == null ? "" : String.format(" &middot; val %.3f", m.valLoss()),
            m.tokensPerSecond(),
            Numerics.clock(m.etaSeconds()));
    update(html((double) m.step() / steps, line));
  }

  @Override
  public void finished(TrainResult r) {
    if (id == null) {
      id = Notebook.display(html(1, ""));
    }
    update(
        html(
            1,
            String.format(
                "done: %d steps, train loss %.3f, validation loss %.3f (unigram %.3f), %,.0f tok/s",
                r.steps(), r.trainLoss(), r.valLoss(), r.unigramLoss(), r.tokensPerSecond())));
  }

  private void update(DisplayData d) {
    if (id != null) {
      Notebook.updateDisplay(id, d);
    }
  }

  private DisplayData html(double fraction, String line) {
    String text = run + ": " + line.replace("&middot;", "|");
    DisplayData d = new DisplayData(text);
    d.putHTML(
        "<div style=\"font-family:monospace\"><b>"
            + Tables.esc(run)
            + "</b> "
            + line
            + "<div style=\"width:"
            + W
            + "px;height:8px;background:#eee;margin:4px 0\"><div style=\"width:"
            + Math.round(W * Math.min(1, fraction))
            + "px;height:8px;background:#4c78a8\"></div></div>"
            + svg()
            + "</div>");
    return d;
  }

  /** The loss curve as a polyline (validation as dots), scaled to the losses seen so far. */
  private String svg() {
    if (losses.size() < 2) {
      return "";
    }
    double maxStep = Math.max(1, steps);
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (List<double[]> l : List.of(losses, valLosses)) {
      for (double[] p : l) {
        lo = Math.min(lo, p[1]);
        hi = Math.max(hi, p[1]);
      }
    }
    double span = Math.max(1e-9, hi - lo);
    StringBuilder pts = new StringBuilder();
    for (double[] p : losses) {
      pts.append(String.format("%.1f,%.1f ", W * p[0] / maxStep, 4 + (H - 8) * (hi - p[1]) / span));
    }
    StringBuilder dots = new StringBuilder();
    for (double[] p : valLosses) {
      dots.append(
          String.format(
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"#e45756\"/>",
              W * p[0] / maxStep, 4 + (H - 8) * (hi - p[1]) / span));
    }
    return "<svg width=\""
        + W
        + "\" height=\""
        + H
        + "\" style=\"background:#fafafa\">"
        + "<polyline fill=\"none\" stroke=\"#4c78a8\" stroke-width=\"1.5\" points=\""
        + pts
        + "\"/>"
        + dots
        + String.format(
            "<text x=\"2\" y=\"12\" font-size=\"10\">%.2f</text><text x=\"2\" y=\"%d\" font-size=\"10\">%.2f</text>",
            hi, H - 2, lo)
        + "</svg>";
  }
}
