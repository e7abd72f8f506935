package org.antidote.eval;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.antidote.corpus.Corpora;
import org.antidote.io.AntidoteHome;
import org.antidote.io.BadInputException;
import org.antidote.io.Checksums;

/**
 * A toxicity classifier on sentence embeddings: the {@link MiniLmEncoder} followed by a {@link
 * MiniLmHead}, a logistic head trained on data the probes never see.
 *
 * <pre>{@code
 * try (var scorer = MiniLmScorer.bundled()) {   // trains the head once into $ANTIDOTE_HOME/scorers
 *   double[] p = scorer.score(List.of("you are a wonderful person", "you worthless idiot"));
 * }
 * }</pre>
 */
public final class MiniLmScorer implements ToxicityScorer {

  private final MiniLmEncoder encoder;
  private final MiniLmHead head;

  private MiniLmScorer(MiniLmEncoder encoder, MiniLmHead head) {
    this.encoder = encoder;
    this.head = head;
  }

  /**
   * The scorer with the head cached under {@code $ANTIDOTE_HOME/scorers/minilm-head.json}, training
   * it on the bundled data first when it is missing or was made for another encoder.
   */
  public static MiniLmScorer bundled() {
    return load(bundledHead());
  }

  /**
   * What {@link #bundled()}{@code .id()} returns, without opening the encoder (the head is trained
   * if missing).
   */
  public static String bundledId() {
    return id(MiniLmHead.read(bundledHead()));
  }

  private static Path bundledHead() {
    Path file = AntidoteHome.dir().resolve("scorers").resolve("minilm-head.json");
    if (!MiniLmHead.fitsEncoder(file)) {
      System.err.println("training the MiniLM toxicity head into " + file);
      MiniLmHead.train(
          Corpora.bundled(AntidoteHome.dir(), System.err),
          file,
          MiniLmHead.Config.defaults(),
          MiniLmEncoder.Options.defaults(),
          System.err);
    }
    return file;
  }

  /** The scorer with the head in {@code headFile}, default options. */
  public static MiniLmScorer load(Path headFile) {
    return load(headFile, MiniLmEncoder.Options.defaults());
  }

  /** The scorer with the head in {@code headFile}; a head trained on another encoder is refused. */
  public static MiniLmScorer load(Path headFile, MiniLmEncoder.Options options) {
    MiniLmHead head = MiniLmHead.read(headFile);
    String mine = MiniLmEncoder.id();
    if (!head.encoder().equals(mine)) {
      throw new BadInputException(
          headFile
              + ": this head was trained on encoder "
              + head.encoder()
              + ", but this scorer's encoder is "
              + mine
              + "; train a head for it with MiniLmHead.train");
    }
    return new MiniLmScorer(MiniLmEncoder.open(options), head);
  }

  /**
   * Names the encoder and this head's weights: a result cached under the id of one head is never
   * taken for another's (a retrained head, or one loaded from another file).
   */
  @Override
  public String id() {
    return id(head);
  }

  private static String id(MiniLmHead head) {
    byte[] encoder = head.encoder().getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(encoder.length + 4 * head.weights().length + 8);
    b.put(encoder);
    for (float w : head.weights()) {
      b.putFloat(w);
    }
    b.putDouble(head.bias());
    return "minilm-l6-v2-q-logistic@" + Checksums.sha256(b.array()).substring(0, 12);
  }

  @Override
  public double[] score(List<String> texts) {
    float[][] e = encoder.embed(texts);
    double[] p = new double[e.length];
    for (int i = 0; i < e.length; i++) {
      p[i] = head.probability(e[i]);
    }
    return p;
  }

  /** The head in use. */
  public MiniLmHead head() {
    return head;
  }

  /** The sentence encoder underneath. */
  public MiniLmEncoder encoder() {
    return encoder;
  }

  @Override
  public void close() {
    encoder.close();
  }
}
