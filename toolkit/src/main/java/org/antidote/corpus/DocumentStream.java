package org.antidote.corpus;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * A stream of documents read lazily from somewhere that must be closed (a file, an archive). Never
 * holds the whole corpus in memory.
 */
public interface DocumentStream extends Iterator<Document>, AutoCloseable {

  @Override
  void close();

  /** This stream, keeping only the documents that pass {@code keep}. */
  default DocumentStream filter(Predicate<Document> keep) {
    DocumentStream inner = this;
    return new DocumentStream() {
      private Document next;

      @Override
      public boolean hasNext() {
        while (next == null && inner.hasNext()) {
          Document d = inner.next();
          if (keep.test(d)) {
            next = d;
          }
        }
        return next != null;
      }

      @Override
      public Document next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        Document d = next;
        next = null;
        return d;
      }

      @Override
      public void close() {
        inner.close();
      }
    };
  }

  /** A stream over documents already in memory (tests, small lists). */
  static DocumentStream of(Iterable<Document> documents) {
    Iterator<Document> it = documents.iterator();
    return new DocumentStream() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Document next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }
}
