package org.antidote.kernel;

import java.util.List;
import org.antidote.mix.MixManifest;
import org.antidote.train.Sweep;
import org.antidote.train.TrainResult;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/** The toolkit's records as Tablesaw tables, and tables as HTML. */
final class Tables {

  private Tables() {}

  static Table of(MixManifest m) {
    Table t = Table.create("mixture: " + m.config().protocol() + ", target "
        + String.format("%.1f%%", 100 * m.config().toxicShare()) + ", achieved "
        + String.format("%.2f%%", 100 * m.train().achievedShare()),
        StringColumn.create("source"), StringColumn.create("role"), LongColumn.create("documents"),
        LongColumn.create("tokens"), LongColumn.create("selected tokens"), DoubleColumn.create("repetition"));
    for (MixManifest.Source s : m.sources()) {
      t.stringColumn(0).append(s.name());
      t.stringColumn(1).append(s.role());
      t.longColumn(2).append(s.selectedDocuments());
      t.longColumn(3).append(s.tokens());
      t.longColumn(4).append(s.selectedTokens());
      t.doubleColumn(5).append(Math.round(s.repetition() * 100) / 100.0);
    }
    return t;
  }

  static Table of(List<TrainResult> results) {
    Table t = Table.create("training runs", StringColumn.create("run"), IntColumn.create("steps"),
        LongColumn.create("tokens"), DoubleColumn.create("train loss"), DoubleColumn.create("val loss"),
        DoubleColumn.create("unigram loss"), DoubleColumn.create("tokens/s"));
    for (TrainResult r : results) {
      t.stringColumn(0).append(r.run());
      t.intColumn(1).append(r.steps());
      t.longColumn(2).append(r.tokens());
      t.doubleColumn(3).append(round(r.trainLoss()));
      t.doubleColumn(4).append(round(r.valLoss()));
      t.doubleColumn(5).append(round(r.unigramLoss()));
      t.doubleColumn(6).append(Math.round(r.tokensPerSecond()));
    }
    return t;
  }

  static Table ofSweep(List<Sweep.Row> rows) {
    Table t = of(rows.stream().map(Sweep.Row::result).toList());
    DoubleColumn share = DoubleColumn.create("toxic share %");
    StringColumn status = StringColumn.create("status");
    rows.forEach(r -> {
      share.append(Math.round(r.share() * 1000) / 10.0);
      status.append(r.status());
    });
    t.insertColumn(1, share);
    t.insertColumn(2, status);
    return t.setName("sweep");
  }

  /** A table as HTML (the report's rendering): the first {@code maxRows} rows. */
  static String html(Table t, int maxRows) {
    return org.antidote.eval.Report.html(t, maxRows);
  }

  private static double round(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  static String esc(String s) {
    return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }
}
