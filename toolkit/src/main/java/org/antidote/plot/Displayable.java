package org.antidote.plot;

import tech.tablesaw.api.Table;

/**
 * A result that shows itself as a table, with a chart above it when it has one. The notebook kernel
 * renders any such value; {@code toString()} is its plain-text form.
 */
public interface Displayable {

  /** The result as a table. */
  Table table();

  /** A chart to show above the table, or null. */
  default Chart chart() {
    return null;
  }
}
