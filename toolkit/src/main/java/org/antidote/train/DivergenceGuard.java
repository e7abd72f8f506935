package org.antidote.train;

import java.nio.file.Path;
import java.util.List;

/**
 * Ends a run whose loss, or (without an fp16 loss scale) gradient norm, is NaN or infinite, with a
 * {@link Trainer.DivergedException} that names the last good checkpoint and a lower learning rate
 * to try. It throws before that step is logged or checkpointed.
 */
final class DivergenceGuard implements TrainLoop.Listener {

  private final Path runDir;

  DivergenceGuard(Path runDir) {
    this.runDir = runDir;
  }

  @Override
  public void lossComputed(TrainLoop loop, int step, double loss) {
    if (!Double.isFinite(loss)) {
      throw diverged(step, loss, loop.config());
    }
  }

  @Override
  public void afterStep(TrainLoop loop, TrainLoop.Step s) {
    if (!loop.lossScaled() && !Double.isFinite(s.gradNorm())) {
      throw diverged(s.step(), s.gradNorm(), loop.config());
    }
  }

  private Trainer.DivergedException diverged(int step, double value, TrainConfig config) {
    List<Path> cps = Checkpoints.list(runDir);
    String keep =
        cps.isEmpty()
            ? "no checkpoint was written yet"
            : "the last good checkpoint is "
                + cps.get(0)
                + " (step "
                + Checkpoints.stepOf(cps.get(0))
                + ")";
    return new Trainer.DivergedException(
        "training diverged at step "
            + step
            + ": the loss or gradient became "
            + value
            + "; "
            + keep
            + ". Try a lower learning rate (now "
            + config.lr()
            + ", e.g. "
            + config.lr() / 3
            + ") in a new run folder.");
  }
}
