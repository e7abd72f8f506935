package org.antidote.mix;

import java.util.List;
import java.util.Map;
import org.antidote.plot.Displayable;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The JSON sidecar of a mixture folder ({@code manifest.json}): what went in, what came out.
 *
 * @param format manifest format tag
 * @param config the mixing parameters
 * @param tokenizer the token counter's id (shares are in its tokens)
 * @param sources one entry per input corpus
 * @param train the training part ({@code documents.jsonl})
 * @param validation the validation part ({@code validation.jsonl})
 * @param warnings things a researcher should know (upsampling, say)
 * @param versions toolkit, Java, DJL versions
 */
public record MixManifest(
    String format,
    MixConfig config,
    String tokenizer,
    List<Source> sources,
    Part train,
    Part validation,
    List<String> warnings,
    Map<String, String> versions)
    implements Displayable {

  /** Manifest format tag. */
  public static final String FORMAT = "antidote-mixture/1";

  /**
   * One input corpus.
   *
   * @param name corpus name
   * @param role clean or toxic
   * @param file its file
   * @param view which documents of the file ("all", "pretraining")
   * @param sha256 checksum of the file
   * @param documents documents available (training part)
   * @param tokens tokens available (training part, with end-of-document tokens)
   * @param selectedDocuments documents in the training part, repeats counted
   * @param selectedTokens tokens in the training part, repeats counted
   * @param repetition selected tokens over available tokens (above 1 means upsampled)
   */
  public record Source(
      String name,
      String role,
      String file,
      String view,
      String sha256,
      long documents,
      long tokens,
      long selectedDocuments,
      long selectedTokens,
      double repetition) {}

  /**
   * One output part.
   *
   * @param file file name inside the mixture folder
   * @param sha256 its checksum
   * @param documents documents written
   * @param cleanTokens clean tokens written
   * @param toxicTokens toxic tokens written
   * @param achievedShare toxicTokens / (cleanTokens + toxicTokens)
   */
  public record Part(
      String file,
      String sha256,
      long documents,
      long cleanTokens,
      long toxicTokens,
      double achievedShare) {

    /** All tokens in the part. */
    public long tokens() {
      return cleanTokens + toxicTokens;
    }
  }

  /** The same inputs and settings (ignoring outputs), so re-running can be recognised. */
  public boolean sameRecipe(MixManifest other) {
    return config.equals(other.config)
        && tokenizer.equals(other.tokenizer)
        && inputs(sources).equals(inputs(other.sources));
  }

  private static List<String> inputs(List<Source> s) {
    return s.stream()
        .map(x -> x.role() + ":" + x.name() + ":" + x.view() + ":" + x.sha256())
        .toList();
  }

  /** One row per source: documents and tokens selected, and how often the source repeats. */
  @Override
  public Table table() {
    Table t =
        Table.create(
            "mixture: "
                + config.protocol()
                + ", target "
                + String.format("%.1f%%", 100 * config.toxicShare())
                + ", achieved "
                + String.format("%.2f%%", 100 * train.achievedShare()),
            StringColumn.create("source"),
            StringColumn.create("role"),
            LongColumn.create("documents"),
            LongColumn.create("tokens"),
            LongColumn.create("selected tokens"),
            DoubleColumn.create("repetition"));
    for (Source s : sources) {
      t.stringColumn(0).append(s.name());
      t.stringColumn(1).append(s.role());
      t.longColumn(2).append(s.selectedDocuments());
      t.longColumn(3).append(s.tokens());
      t.longColumn(4).append(s.selectedTokens());
      t.doubleColumn(5).append(Math.round(s.repetition() * 100) / 100.0);
    }
    return t;
  }

  /** Rows of a summary: one line per source with its tokens and repetition. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            "mixture: %s, target toxic share %.1f%%, achieved %.2f%% (train), %.2f%% (validation)%n",
            config.protocol(),
            100 * config.toxicShare(),
            100 * train.achievedShare(),
            100 * validation.achievedShare()));
    b.append(
        String.format(
            "%-22s %-6s %10s %12s %12s %8s%n",
            "source", "role", "docs", "tokens", "selected", "repeat"));
    for (Source s : sources) {
      b.append(
          String.format(
              "%-22s %-6s %10d %12d %12d %8.2f%n",
              s.name(),
              s.role(),
              s.selectedDocuments(),
              s.tokens(),
              s.selectedTokens(),
              s.repetition()));
    }
    b.append(
        String.format(
            "train: %d documents, %d tokens; validation: %d documents, %d tokens (tokenizer %s)%n",
            train.documents(),
            train.tokens(),
            validation.documents(),
            validation.tokens(),
            tokenizer));
    warnings.forEach(w -> b.append("warning: ").append(w).append('\n'));
    return b.toString();
  }
}
