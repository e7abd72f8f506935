package org.antidote.kernel;

import java.util.Optional;
import org.antidote.train.TrainListener;

/**
 * The kernel as a {@link TrainListener.Environment}: while a kernel runs in this process, a run
 * started without a listener ({@code Trainer.train(config, data, dir)}, a {@code Study}) draws its
 * progress in the notebook. Declared in {@code META-INF/services}.
 */
public final class NotebookEnvironment implements TrainListener.Environment {

  /** Made by {@link java.util.ServiceLoader}. */
  public NotebookEnvironment() {}

  @Override
  public Optional<TrainListener> progress() {
    return Notebook.attached() ? Optional.of(new NotebookProgress()) : Optional.empty();
  }
}
