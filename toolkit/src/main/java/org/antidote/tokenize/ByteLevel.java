package org.antidote.tokenize;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's reversible byte-to-character mapping. Byte-level BPE works on UTF-8 bytes, but {@code
 * tokenizer.json} stores tokens as strings, so each byte is shown as one printable character: bytes
 * that are already visible (and not a space) stand for themselves, and the rest (controls, space, a
 * few Latin-1 ones) are moved to U+0100 and up in byte order. That is why a leading space shows as
 * {@code Ġ} (U+0120) in GPT-2 vocabularies.
 */
final class ByteLevel {

  private static final char[] BYTE_TO_CHAR = new char[256];

  /** Indexed by character; -1 where a character stands for no byte. */
  private static final int[] CHAR_TO_BYTE = new int[512];

  static {
    Arrays.fill(CHAR_TO_BYTE, -1);
    int shifted = 0;
    for (int b = 0; b < 256; b++) {
      char c = isVisible(b) ? (char) b : (char) (256 + shifted++);
      BYTE_TO_CHAR[b] = c;
      CHAR_TO_BYTE[c] = b;
    }
  }

  private ByteLevel() {}

  private static boolean isVisible(int b) {
    return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
  }

  /** The character that stands for byte {@code b} (0..255). */
  static char charOf(int b) {
    return BYTE_TO_CHAR[b & 0xFF];
  }

  /** The byte a character stands for, or -1 if it is not one of the 256 byte characters. */
  static int byteOf(char c) {
    return c < CHAR_TO_BYTE.length ? CHAR_TO_BYTE[c] : -1;
  }

  /** The byte-level string of some bytes, e.g. the vocabulary key of a merged token. */
  static String toTokenString(byte[] bytes) {
    char[] chars = new char[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      chars[i] = BYTE_TO_CHAR[bytes[i] & 0xFF];
    }
    return new String(chars);
  }

  /**
   * The bytes behind a vocabulary string. A character outside the byte alphabet (which only
   * hand-made vocabularies contain) contributes its own UTF-8 bytes, as the Hugging Face ByteLevel
   * decoder does.
   */
  static byte[] toBytes(String token) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(token.length());
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      int b = byteOf(c);
      if (b >= 0) {
        out.write(b);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < token.length() ? i + 2 : i + 1;
        out.writeBytes(token.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end - 1;
      }
    }
    return out.toByteArray();
  }
}
