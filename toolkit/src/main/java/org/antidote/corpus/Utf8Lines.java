package org.antidote.corpus;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads lines of strict UTF-8 from a byte stream. Unlike a {@code BufferedReader}, which decodes
 * ahead of the line it returns, a decoding error here is raised for exactly the line that holds the
 * bad bytes, so the message can name it.
 */
final class Utf8Lines implements AutoCloseable {

  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

  Utf8Lines(InputStream in) {
    this.in = in;
  }

  /** Up to {@code n} bytes from the current position, without consuming them (n at most 64 KiB). */
  byte[] peek(int n) throws IOException {
    if (pos > 0) {
      System.arraycopy(buf, pos, buf, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    int want = Math.min(n, buf.length);
    for (int r; limit < want && (r = in.read(buf, limit, want - limit)) > 0; ) {
      limit += r;
    }
    return Arrays.copyOf(buf, limit);
  }

  /** The next line without its terminator ({@code \n} or {@code \r\n}), or null at the end. */
  String readLine() throws IOException {
    line.reset();
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buf);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? decode() : null;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buf[pos] != '\n') {
        pos++;
      }
      line.write(buf, start, pos - start);
      if (pos < limit) {
        pos++; // the newline
        return decode();
      }
    }
  }

  private String decode() throws CharacterCodingException {
    byte[] bytes = line.toByteArray();
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] == '\r') {
      n--;
    }
    boolean ascii = true;
    for (int i = 0; i < n && ascii; i++) {
      ascii = bytes[i] >= 0;
    }
    if (ascii) {
      return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }
    return decoder.decode(ByteBuffer.wrap(bytes, 0, n)).toString();
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
