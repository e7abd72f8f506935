package org.antidote.corpus;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.antidote.io.Checksums;

/**
 * A named corpus that can be read as many times as needed: a file, how to read it, and an optional
 * filter (the bundled sources use one to hide their held-out texts from pre-training). Cheap to
 * create; nothing is read until {@link #open()}.
 *
 * @param name short name used in manifests and tables
 * @param file the file holding it
 * @param options how to read the file
 * @param filter which documents belong to this view (all, for a user's file)
 * @param view a word saying which view this is ("all", "pretraining", "held-out")
 */
public record Corpus(
    String name, Path file, ReadOptions options, Predicate<Document> filter, String view) {

  public Corpus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(view, "view");
  }

  /** Every document of a file, read with default options, named after the file. */
  public static Corpus file(Path file) {
    return file(file, ReadOptions.defaults());
  }

  /** Every document of a file, read with {@code options}. */
  public static Corpus file(Path file, ReadOptions options) {
    String name = options.source() != null ? options.source() : file.getFileName().toString();
    return new Corpus(name, file, options, d -> true, "all");
  }

  /** Streams the documents; close the stream when done. */
  public DocumentStream open() {
    DocumentReader reader = DocumentReader.open(file, options);
    return view.equals("all") ? reader : reader.filter(filter);
  }

  /** SHA-256 of the underlying file. */
  public String sha256() {
    return Checksums.sha256(file);
  }

  /** The pre-training view: the held-out texts removed. */
  public Corpus pretraining() {
    return new Corpus(name, file, options, d -> !HeldOut.isHeldOut(d.text()), "pretraining");
  }

  /** The held-out view: only texts never pre-trained on. */
  public Corpus heldOut() {
    return new Corpus(name, file, options, d -> HeldOut.isHeldOut(d.text()), "held-out");
  }

  /**
   * This view without the documents whose text is in {@code texts} ({@code why} names the reason).
   */
  public Corpus excluding(Set<String> texts, String why) {
    Predicate<Document> keep = filter;
    return new Corpus(
        name, file, options, d -> keep.test(d) && !texts.contains(d.text()), view + ", " + why);
  }

  @Override
  public String toString() {
    return name + " (" + view + ", " + file + ")";
  }
}
