package org.antidote.corpus;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Objects;
import org.antidote.io.BadInputException;

/**
 * One document: its text, the source it came from, and optionally a label (1 = toxic, 0 = clean)
 * and a category (for the fortunes: the file it came from, such as {@code sex} or {@code
 * politics}). Serialised as one JSONL line {@code {"text", "source", "label"?, "category"?}}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"text", "source", "label", "category"})
public record Document(String text, String source, Integer label, String category) {

  /** Label value of toxic documents. */
  public static final int TOXIC = 1;

  /** Label value of clean documents. */
  public static final int CLEAN = 0;

  public Document {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(source, "source");
    // An if, not Check.input: a Document is made for every line read, and Check builds its message
    // before it knows whether it will be needed.
    if (label != null && label != TOXIC && label != CLEAN) {
      throw new BadInputException("label must be 0 (clean) or 1 (toxic), got " + label);
    }
  }

  /** An unlabelled document. */
  public static Document of(String text, String source) {
    return new Document(text, source, null, null);
  }

  /** True when labelled toxic. */
  public boolean isToxic() {
    return label != null && label == TOXIC;
  }
}
