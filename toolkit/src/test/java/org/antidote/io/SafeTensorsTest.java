package org.antidote.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {

  @TempDir Path dir;

  @Test
  void aTensorThatDoesNotFitItsShapeIsBadInputNamingTheFile() throws IOException {
    // Three floats need 12 bytes; the header gives the tensor 8.
    Path file = handWritten("short.safetensors", "F32", "[3]", 8);
    var e = assertThrows(BadInputException.class, () -> SafeTensors.read(file));
    assertEquals(
        file + ": is corrupt: tensor t: tensor of shape [3] and dtype F32 needs 12 bytes, got 8",
        e.getMessage());
  }

  @Test
  void anUnknownDtypeIsBadInputNamingTheFile() throws IOException {
    Path file = handWritten("q8.safetensors", "Q8", "[2]", 2);
    var e = assertThrows(BadInputException.class, () -> SafeTensors.read(file));
    assertEquals(file + ": is corrupt: tensor t: unknown safetensors dtype Q8", e.getMessage());
  }

  @Test
  void aTensorBuiltFromBadValuesIsBadInput() {
    var e =
        assertThrows(
            BadInputException.class,
            () -> new SafeTensors.Tensor("F32", new long[] {2}, new byte[4]));
    assertTrue(e.getMessage().contains("needs 8 bytes, got 4"), e.getMessage());
  }

  @Test
  void whatIsWrittenReadsBack() {
    Path file = dir.resolve("ok.safetensors");
    var t = SafeTensors.Tensor.f32(new long[] {2}, new float[] {1.5f, -2f});
    SafeTensors.write(file, Map.of("t", t), Map.of());
    assertArrayEquals(
        new float[] {1.5f, -2f}, SafeTensors.read(file).tensors().get("t").floats(), 0f);
  }

  /** A safetensors file with one tensor {@code t} whose header says {@code dtype} and shape. */
  private Path handWritten(String name, String dtype, String shape, int dataBytes)
      throws IOException {
    String header =
        "{\"t\":{\"dtype\":\""
            + dtype
            + "\",\"shape\":"
            + shape
            + ",\"data_offsets\":[0,"
            + dataBytes
            + "]}}";
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(h.length).put(h);
    Path file = dir.resolve(name);
    Files.write(file, b.array());
    return file;
  }
}
