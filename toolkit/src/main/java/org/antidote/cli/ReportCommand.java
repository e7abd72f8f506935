package org.antidote.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.antidote.eval.Report;
import org.antidote.eval.StudyResults;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code ./antidote report DIR}: an HTML report of an evaluation folder, figures embedded. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = "Write DIR/report.html from DIR/results.json: the results table, the trade-off and the smile.")
final class ReportCommand implements Callable<Integer> {

  @Parameters(paramLabel = "DIR", description = "A folder holding results.json (from ./antidote eval or demo).")
  Path dir;

  @Override
  public Integer call() {
    Path file = write(dir, readRows(dir));
    System.out.println("wrote " + file);
    return 0;
  }

  static List<StudyResults.Row> readRows(Path dir) {
    Path f = dir.resolve("results.json");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(dir + ": no results.json; run ./antidote eval --out " + dir + " first");
    }
    try {
      return Json.MAPPER.readValue(f.toFile(), new TypeReference<List<StudyResults.Row>>() {});
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + f, e);
    }
  }

  static Path write(Path dir, List<StudyResults.Row> rows) {
    List<Report.Section> sections = sections(rows);
    savePngs(sections, dir.resolve("figures"));
    return Report.write(dir.resolve("report.html"), "Antidote: toxicity and capability", sections);
  }

  /** Every chart of the sections as a PNG in {@code dir} (HTML where Chromium is missing). */
  static void savePngs(List<Report.Section> sections, Path dir) {
    for (Report.Section s : sections) {
      if (s.chart() != null) {
        try {
          s.chart().savePng(dir.resolve(s.chart().title() + ".png"));
        } catch (IllegalStateException noChromium) {
          s.chart().saveHtml(dir.resolve(s.chart().title() + ".html"));
        }
      }
    }
  }

  /** The report's standard sections for evaluation rows. */
  static List<Report.Section> sections(List<StudyResults.Row> rows) {
    List<Report.Section> sections = new ArrayList<>();
    sections.add(new Report.Section("Results", "Toxicity of sampled continuations (x100) and cross-entropy on held-out"
        + " clean text, averaged over seeds; Pareto marks configurations no other beats on both.",
        StudyResults.table(rows), null));
    sections.add(new Report.Section("Toxicity vs capability", "Each share's configurations and its non-dominated front.",
        null, StudyResults.tradeOff(rows)));
    sections.add(new Report.Section("Toxicity vs toxic share", "One line per method: under ITI, the paper finds a"
        + " smile with its minimum at 10%.", null, StudyResults.smile(rows)));
    return sections;
  }
}
