package org.antidote.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.eval.Report;
import org.antidote.eval.ResultsTable;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./antidote report DIR}: an HTML report of an evaluation folder, figures embedded. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description =
        "Write DIR/report.html from DIR/results.json: the results table, the trade-off and the smile.")
final class ReportCommand implements Callable<Integer> {

  @Parameters(
      paramLabel = "DIR",
      description = "A folder holding results.json (from ./antidote eval or demo).")
  Path dir;

  @Override
  public Integer call() {
    Path file = write(dir, readRows(dir));
    System.out.println("wrote " + file);
    return 0;
  }

  static List<ResultsTable.Row> readRows(Path dir) {
    Path f = dir.resolve("results.json");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(
          dir + ": no results.json; run ./antidote eval --out " + dir + " first");
    }
    return List.of(Json.read(f, ResultsTable.Row[].class));
  }

  static Path write(Path dir, List<ResultsTable.Row> rows) {
    List<Report.Section> sections = ResultsTable.reportSections(rows);
    Report.savePngs(sections, dir.resolve("figures"));
    return Report.write(dir.resolve("report.html"), "Antidote: toxicity and capability", sections);
  }
}
