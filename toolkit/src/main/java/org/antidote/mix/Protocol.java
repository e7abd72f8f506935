package org.antidote.mix;

import java.util.Locale;
import org.antidote.io.BadInputException;

/** How a toxic share is reached. */
public enum Protocol {
  /** The paper's protocol: every clean token kept, toxic documents added until they are share r. */
  ADD_TOXIC("add-toxic"),
  /** A fixed token budget split r : (1 - r) between toxic and clean documents. */
  FIXED_TOTAL("fixed-total");

  private final String flag;

  Protocol(String flag) {
    this.flag = flag;
  }

  /** The name used on the command line and in manifests. */
  public String flag() {
    return flag;
  }

  /** Parses "add-toxic" or "fixed-total". */
  public static Protocol parse(String s) {
    for (Protocol p : values()) {
      if (p.flag.equals(s.strip().toLowerCase(Locale.ROOT))) {
        return p;
      }
    }
    throw new BadInputException("protocol '" + s + "' is not add-toxic or fixed-total");
  }

  @Override
  public String toString() {
    return flag;
  }
}
