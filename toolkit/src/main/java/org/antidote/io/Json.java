package org.antidote.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one Jackson setup for every file Antidote writes: records in, records out, stable key order
 * (so the same result always gives the same bytes), pretty-printed sidecars.
 */
public final class Json {

  /** Shared, thread-safe mapper. Compact output; use {@link #PRETTY} for files people read. */
  public static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
          .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  /** The same mapper, pretty-printing. */
  public static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private Json() {}

  /** Writes {@code value} as pretty JSON to {@code target}, atomically. */
  public static void write(Path target, Object value) {
    AtomicFiles.write(
        target,
        out -> {
          PRETTY.writeValue(new NonClosing(out), value);
          out.write('\n');
        });
  }

  /**
   * Reads a JSON file into {@code type}. A file that is missing, a folder, or not JSON of that
   * shape (truncated, corrupt, a field of the wrong type) is bad input, and the message names the
   * file, the line and column, and what was wrong; only a failing disk is an I/O error.
   */
  public static <T> T read(Path file, Class<T> type) {
    if (Files.isDirectory(file)) {
      throw BadInputException.in(
          file, "is a folder; expected a JSON file (" + type.getSimpleName() + ")");
    }
    if (!Files.isRegularFile(file)) {
      throw BadInputException.in(
          file, "no such file; expected a JSON file (" + type.getSimpleName() + ")");
    }
    try {
      T value = MAPPER.readValue(file.toFile(), type);
      if (value == null) {
        throw BadInputException.in(file, "is empty; expected a JSON " + type.getSimpleName());
      }
      return value;
    } catch (JsonProcessingException e) {
      throw BadInputException.in(
          file,
          "not a valid " + type.getSimpleName() + ": " + e.getOriginalMessage() + locationOf(e));
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e, e);
    }
  }

  private static String locationOf(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }

  /** One compact line of JSON (for JSONL files). */
  public static String line(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      // The toolkit writes its own records: one Jackson cannot write is a bug, not bad input.
      throw new IllegalStateException("not serialisable as JSON: " + value, e);
    }
  }

  private static final class NonClosing extends FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
