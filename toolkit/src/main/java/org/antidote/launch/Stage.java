package org.antidote.launch;

import java.util.List;
import org.antidote.io.BadInputException;

/**
 * One stage of a launch: tasks that may run at once, each an {@code ./antidote} command line
 * (without the launcher's own path), all of which must succeed before the next stage starts.
 *
 * @param name short name, used in script and log file names ({@code train}, {@code report})
 * @param what one line saying what the stage computes, written at the top of its script
 * @param tasks its tasks, in array order
 */
public record Stage(String name, String what, List<Task> tasks) {

  /**
   * One task: a run's training, a run's probes, or the report.
   *
   * @param name the run it works on (names its log file), or the stage's name for a single task
   * @param args the {@code ./antidote} arguments, e.g. {@code sweep --data ... --task 0}
   */
  public record Task(String name, List<String> args) {
    public Task {
      args = List.copyOf(args);
      if (!name.matches("[A-Za-z0-9._-]+")) {
        throw new BadInputException("a task name must be a file name, got " + name);
      }
    }
  }

  public Stage {
    tasks = List.copyOf(tasks);
    if (tasks.isEmpty()) {
      throw new BadInputException("stage " + name + " has no tasks");
    }
    // Stage names are the toolkit's own constants ("train", "report"), not a user's.
    if (!name.matches("[a-z0-9-]+")) {
      throw new IllegalStateException(
          "a stage name must be lower-case letters, digits and dashes, got " + name);
    }
  }

  /** A stage of one task named after the stage. */
  public static Stage single(String name, String what, List<String> args) {
    return new Stage(name, what, List.of(new Task(name, args)));
  }

  /** Whether Slurm runs it as a job array: a stage of runs is one even with one run. */
  boolean array() {
    return tasks.size() > 1 || !tasks.get(0).name().equals(name);
  }

  /** The log file of task {@code i}, relative to the launch folder. */
  String log(int i) {
    return "logs/" + (array() ? name + "-" + tasks.get(i).name() : name) + ".log";
  }
}
