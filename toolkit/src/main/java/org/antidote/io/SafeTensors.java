package org.antidote.io;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The safetensors format (a little-endian u64 header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian bytes), so other tools can read what
 * Antidote writes. We add a SHA-256 of the data section to the header's {@code __metadata__} and
 * check it on reading, so a truncated or corrupted file is refused rather than loaded.
 */
public final class SafeTensors {

  /** Metadata key holding the SHA-256 of the data section. */
  public static final String CHECKSUM_KEY = "antidote.sha256";

  private static final long MAX_HEADER = 100L << 20;

  private SafeTensors() {}

  /**
   * One tensor: dtype name as safetensors spells it ({@code F32}, {@code I64}, ...), shape, and
   * little-endian bytes.
   */
  public record Tensor(String dtype, long[] shape, byte[] data) {

    public Tensor {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      if (n * bytesPer(dtype) != data.length) {
        throw new BadInputException(
            "tensor of shape "
                + Arrays.toString(shape)
                + " and dtype "
                + dtype
                + " needs "
                + n * bytesPer(dtype)
                + " bytes, got "
                + data.length);
      }
    }

    /** A float32 tensor from Java floats. */
    public static Tensor f32(long[] shape, float[] values) {
      ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(values);
      return new Tensor("F32", shape, b.array());
    }

    /** The values of a float32 tensor. */
    public float[] floats() {
      if (!dtype.equals("F32")) {
        throw new IllegalStateException("tensor is " + dtype + ", not F32");
      }
      float[] out = new float[data.length / 4];
      ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
      return out;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Tensor t
          && t.dtype.equals(dtype)
          && Arrays.equals(t.shape, shape)
          && Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(data);
    }
  }

  /** A file's tensors (in file order) and metadata. */
  public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {}

  /** Bytes per element of a safetensors dtype. */
  public static int bytesPer(String dtype) {
    return switch (dtype) {
      case "F64", "I64", "U64" -> 8;
      case "F32", "I32", "U32" -> 4;
      case "F16", "BF16", "I16", "U16" -> 2;
      case "I8", "U8", "BOOL" -> 1;
      default -> throw new BadInputException("unknown safetensors dtype " + dtype);
    };
  }

  /** Writes tensors and string metadata to {@code file}, atomically. */
  public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
    MessageDigest md = Checksums.sha256();
    ObjectNode header = Json.MAPPER.createObjectNode();
    long offset = 0;
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      Tensor t = e.getValue();
      ObjectNode entry = header.putObject(e.getKey());
      entry.put("dtype", t.dtype());
      var shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      var range = entry.putArray("data_offsets");
      range.add(offset);
      range.add(offset + t.data().length);
      offset += t.data().length;
      md.update(t.data());
    }
    Map<String, String> meta = new TreeMap<>(metadata);
    meta.put(CHECKSUM_KEY, Checksums.hex(md.digest()));
    header.set("__metadata__", Json.MAPPER.valueToTree(meta));
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    // Pad the header with spaces to a multiple of 8 bytes, as the reference writer does.
    int padded = (json.length + 7) / 8 * 8;
    byte[] head = Arrays.copyOf(json, padded);
    Arrays.fill(head, json.length, padded, (byte) ' ');
    AtomicFiles.write(
        file,
        out -> {
          out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
          out.write(head);
          for (Tensor t : tensors.values()) {
            out.write(t.data());
          }
        });
  }

  /** Reads a whole file, verifying its checksum when it has one. */
  public static Contents read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      long size = Files.size(file);
      byte[] lenBytes = in.readNBytes(8);
      if (lenBytes.length < 8) {
        throw BadInputException.in(file, "is truncated (no safetensors header)");
      }
      long headerLen = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw BadInputException.in(
            file,
            "is not a safetensors file or is truncated (header length "
                + headerLen
                + ", file size "
                + size
                + ")");
      }
      JsonNode header = Json.MAPPER.readTree(in.readNBytes((int) headerLen));
      Map<String, String> metadata =
          header.has("__metadata__")
              ? Json.MAPPER.convertValue(
                  header.get("__metadata__"), new TypeReference<TreeMap<String, String>>() {})
              : new TreeMap<>();
      long dataLen = size - 8 - headerLen;
      Map<String, Tensor> tensors = new LinkedHashMap<>();
      MessageDigest md = Checksums.sha256();
      // Tensors are stored in offset order; read them in that order.
      TreeMap<Long, String> byOffset = new TreeMap<>();
      for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (!name.equals("__metadata__")) {
          byOffset.put(header.get(name).get("data_offsets").get(0).asLong(), name);
        }
      }
      long pos = 0;
      for (String name : byOffset.values()) {
        JsonNode e = header.get(name);
        long start = e.get("data_offsets").get(0).asLong();
        long end = e.get("data_offsets").get(1).asLong();
        if (start != pos || end < start || end > dataLen) {
          throw BadInputException.in(
              file,
              "is truncated or corrupt: tensor "
                  + name
                  + " at bytes "
                  + start
                  + ".."
                  + end
                  + " but the data section has "
                  + dataLen
                  + " bytes");
        }
        byte[] data = in.readNBytes((int) (end - start));
        md.update(data);
        long[] shape = new long[e.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.get("shape").get(i).asLong();
        }
        try {
          tensors.put(name, new Tensor(e.get("dtype").asText(), shape, data));
        } catch (BadInputException bad) {
          throw BadInputException.in(file, "is corrupt: tensor " + name + ": " + bad.getMessage());
        }
        pos = end;
      }
      String expected = metadata.get(CHECKSUM_KEY);
      if (expected != null && !expected.equals(Checksums.hex(md.digest()))) {
        throw BadInputException.in(
            file, "is corrupt: its data does not match the checksum in its header");
      }
      return new Contents(tensors, metadata);
    } catch (IOException e) {
      throw new BadInputException(
          file + ": could not be read as safetensors: " + e.getMessage(), e);
    }
  }

  /** Where one tensor lies in a file: dtype, shape and byte range within the data section. */
  public record Entry(String dtype, long[] shape, long start, long end) {

    /** Number of elements. */
    public long size() {
      long n = 1;
      for (long d : shape) {
        n *= d;
      }
      return n;
    }
  }

  /**
   * A safetensors file opened for reading tensor by tensor: the header is parsed and checked, and
   * each tensor's bytes are memory-mapped only while {@link #floats} converts them, so a large
   * checkpoint is neither read whole into the heap nor kept mapped. No checksum is checked (files
   * from other tools have none).
   */
  public static final class Mapped implements AutoCloseable {
    private final Path file;
    private final FileChannel channel;
    private final long dataStart;
    private final Map<String, Entry> entries = new LinkedHashMap<>();

    private Mapped(Path file) throws IOException {
      this.file = file;
      this.channel = FileChannel.open(file);
      long size = channel.size();
      ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      if (channel.read(len, 0) < 8) {
        throw BadInputException.in(file, "is truncated (no safetensors header)");
      }
      long headerLen = len.getLong(0);
      if (headerLen <= 0 || headerLen > MAX_HEADER || 8 + headerLen > size) {
        throw BadInputException.in(
            file,
            "is not a safetensors file or is truncated (header length "
                + headerLen
                + ", file size "
                + size
                + ")");
      }
      ByteBuffer head = ByteBuffer.allocate((int) headerLen);
      channel.read(head, 8);
      JsonNode header = Json.MAPPER.readTree(head.array());
      dataStart = 8 + headerLen;
      long dataLen = size - dataStart;
      for (Iterator<String> it = header.fieldNames(); it.hasNext(); ) {
        String name = it.next();
        if (name.equals("__metadata__")) {
          continue;
        }
        JsonNode e = header.get(name);
        long[] shape = new long[e.path("shape").size()];
        for (int i = 0; i < shape.length; i++) {
          shape[i] = e.get("shape").get(i).asLong();
        }
        String dtype = e.path("dtype").asText();
        long start = e.path("data_offsets").path(0).asLong(-1);
        long end = e.path("data_offsets").path(1).asLong(-1);
        if (start < 0 || end > dataLen) {
          throw BadInputException.in(
              file,
              "is truncated or corrupt: tensor "
                  + name
                  + " at bytes "
                  + start
                  + ".."
                  + end
                  + " but the data section has "
                  + dataLen
                  + " bytes");
        }
        Entry entry = new Entry(dtype, shape, start, end);
        if (dtype.equals("F32") || dtype.equals("F16") || dtype.equals("BF16")) {
          if (entry.size() * bytesPer(dtype) != end - start) {
            throw BadInputException.in(
                file,
                "is corrupt: tensor "
                    + name
                    + " of shape "
                    + Arrays.toString(shape)
                    + " and dtype "
                    + dtype
                    + " should have "
                    + entry.size() * bytesPer(dtype)
                    + " bytes, not "
                    + (end - start));
          }
        }
        entries.put(name, entry);
      }
    }

    /** Opens {@code file}; a file that is not safetensors is refused naming it. */
    public static Mapped open(Path file) {
      try {
        return new Mapped(file);
      } catch (IOException e) {
        throw new BadInputException(
            file + ": could not be read as safetensors: " + e.getMessage(), e);
      }
    }

    /** The file. */
    public Path file() {
      return file;
    }

    /** Names of the tensors it holds. */
    public Set<String> names() {
      return entries.keySet();
    }

    /** Where tensor {@code name} lies, or null. */
    public Entry entry(String name) {
      return entries.get(name);
    }

    /**
     * Tensor {@code name}'s values as float32, converting float16 and bfloat16 from their bits (DJL
     * 0.33 cannot hold bfloat16 arrays); any other dtype is refused naming the tensor.
     */
    public float[] floats(String name) {
      return withFloats(
          name,
          fb -> {
            float[] out = new float[fb.remaining()];
            fb.get(out);
            return out;
          });
    }

    /**
     * Calls {@code use} with tensor {@code name}'s values as float32: a view of the mapping for F32
     * (no copy on the heap), converted values for F16 and BF16. The buffer is valid only during the
     * call.
     */
    public <T> T withFloats(String name, Function<FloatBuffer, T> use) {
      Entry e = entries.get(name);
      if (e == null) {
        throw BadInputException.in(file, "has no tensor " + name);
      }
      if (!(e.dtype().equals("F32") || e.dtype().equals("F16") || e.dtype().equals("BF16"))) {
        throw BadInputException.in(
            file, "tensor " + name + " has dtype " + e.dtype() + "; expected F32, F16 or BF16");
      }
      if (e.size() > Integer.MAX_VALUE) {
        throw BadInputException.in(file, "tensor " + name + " has more than 2^31 elements");
      }
      int n = (int) e.size();
      MappedByteBuffer map;
      try {
        map =
            channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.start(), e.end() - e.start());
      } catch (IOException ex) {
        throw new BadInputException(
            file + ": could not map tensor " + name + ": " + ex.getMessage(), ex);
      }
      map.order(ByteOrder.LITTLE_ENDIAN);
      try {
        if (e.dtype().equals("F32")) {
          return use.apply(map.asFloatBuffer());
        }
        FloatBuffer converted =
            ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
        boolean bf16 = e.dtype().equals("BF16");
        for (int i = 0; i < n; i++) {
          short bits = map.getShort(2 * i);
          converted.put(i, bf16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits));
        }
        return use.apply(converted);
      } finally {
        unmap(map);
      }
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // Read-only: nothing is lost if closing fails.
      }
    }
  }

  /** IEEE 754 half precision to float (JDK 17 lacks Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      if (mant == 0) {
        return Float.intBitsToFloat(sign);
      }
      float v = mant * 0x1p-24f; // subnormal: mant x 2^-24
      return sign == 0 ? v : -v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  /** Releases a mapping now rather than at some later GC, so resident memory stays one copy. */
  private static void unmap(MappedByteBuffer map) {
    try {
      Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
      Field f = unsafeClass.getDeclaredField("theUnsafe");
      f.setAccessible(true);
      unsafeClass.getMethod("invokeCleaner", ByteBuffer.class).invoke(f.get(null), map);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // Without jdk.unsupported the mapping is released by the GC instead.
    }
  }
}
