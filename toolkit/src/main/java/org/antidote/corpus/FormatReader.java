package org.antidote.corpus;

/** One corpus format's reading of a {@link CorpusInput}: {@link DocumentReader} picks one. */
interface FormatReader {

  /** The next document, or null at the end of the file. */
  Document read();

  /** What a file of this format holds, for the message about a file that holds no documents. */
  String expected();
}
