package org.antidote.train;

import java.io.PrintStream;
import org.antidote.math.Numerics;

/**
 * A one-line progress bar (step, loss, tokens/s, ETA) redrawn in place, or plain lines when piped.
 */
final class ConsoleProgress implements TrainListener {

  private static final int WIDTH = 24;
  private final PrintStream out;
  private final boolean inPlace;
  private String run = "";
  private int steps;

  ConsoleProgress(PrintStream out, boolean inPlace) {
    this.out = out;
    this.inPlace = inPlace;
  }

  @Override
  public void started(String run, TrainConfig config, int startStep) {
    this.run = run;
    this.steps = config.steps();
    out.printf(
        "%s: %,d parameters, %d steps of %,d tokens%s%n",
        run,
        config.model().parameters(),
        config.steps(),
        config.tokensPerStep(),
        startStep > 0 ? ", resuming at step " + startStep : "");
  }

  @Override
  public void logged(Metrics m) {
    int filled = (int) Math.round(WIDTH * (double) m.step() / steps);
    String bar = "#".repeat(filled) + ".".repeat(WIDTH - filled);
    String line =
        String.format(
            "%s [%s] %d/%d loss %.3f%s %,.0f tok/s ETA %s",
            run,
            bar,
            m.step(),
            steps,
            m.loss(),
            m.valLoss() == null ? "" : String.format(" val %.3f", m.valLoss()),
            m.tokensPerSecond(),
            Numerics.clock(m.etaSeconds()));
    if (inPlace) {
      out.print("\r" + line + "   ");
      if (m.step() == steps) {
        out.println();
      }
    } else {
      out.println(line);
    }
    out.flush();
  }

  @Override
  public void finished(TrainResult r) {
    out.printf(
        "%s: done, train loss %.3f, validation loss %.3f (unigram %.3f), %,.0f tok/s%n",
        r.run(), r.trainLoss(), r.valLoss(), r.unigramLoss(), r.tokensPerSecond());
  }
}
