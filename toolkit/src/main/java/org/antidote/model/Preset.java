package org.antidote.model;

import java.util.Arrays;
import java.util.Locale;
import org.antidote.io.BadInputException;

/**
 * Named model shapes. {@code tiny} trains in seconds (tests); {@code mini} and {@code compact} are
 * the CPU studies' ({@code cpu}, {@code cpu-full}); {@code small} is the training benchmark's;
 * {@code gpt2-124m} and {@code olmo-1b} are the paper's scale, for GPUs. The vocabulary is a
 * placeholder until fitted to a tokenizer with {@link #config(int)}.
 */
public enum Preset {
  /** 2 layers, 4 heads, width 64: ~100K parameters at vocabulary 512. */
  TINY("tiny", ModelConfig.builder().build()),
  /**
   * 4 layers, 4 heads, width 48, SwiGLU 128, context 128: 160K parameters at vocabulary 1024, the
   * CPU demo's shape (small enough to see 10 tokens per parameter in minutes).
   */
  MINI(
      "mini",
      ModelConfig.builder().layers(4).dModel(48).dMlp(128).context(128).vocab(1024).build()),
  /**
   * 4 layers, 4 heads, width 64, SwiGLU 192, context 128: 344K parameters at vocabulary 2048, the
   * {@code cpu-full} study's shape.
   */
  COMPACT(
      "compact",
      ModelConfig.builder().layers(4).dModel(64).dMlp(192).context(128).vocab(2048).build()),
  /** 4 layers, 4 heads, width 128: ~1.3M parameters at vocabulary 4096. */
  SMALL(
      "small",
      ModelConfig.builder().layers(4).dModel(128).dMlp(384).context(128).vocab(4096).build()),
  /** GPT-2 small's shape (12 x 12 x 768) with OLMo's recipe: GPU only. */
  GPT2_124M(
      "gpt2-124m",
      ModelConfig.builder()
          .layers(12)
          .heads(12)
          .dModel(768)
          .dMlp(3072)
          .context(1024)
          .vocab(50304)
          .build()),
  /** OLMo-1B's shape (16 x 16 x 2048, SwiGLU 8192, context 2048): GPU only. */
  OLMO_1B(
      "olmo-1b",
      ModelConfig.builder()
          .layers(16)
          .heads(16)
          .dModel(2048)
          .dMlp(8192)
          .context(2048)
          .vocab(50304)
          .build());

  private final String id;
  private final ModelConfig config;

  Preset(String id, ModelConfig config) {
    this.id = id;
    this.config = config;
  }

  /** The name used on the command line. */
  public String id() {
    return id;
  }

  /** The preset's shape with its placeholder vocabulary. */
  public ModelConfig config() {
    return config;
  }

  /** The preset's shape fitted to a vocabulary. */
  public ModelConfig config(int vocab) {
    return config.withVocab(vocab);
  }

  /** True for shapes meant for a GPU (refused for training on a CPU unless forced). */
  public boolean gpuOnly() {
    return this == GPT2_124M || this == OLMO_1B;
  }

  /** Parses a preset name ("tiny", "small", "gpt2-124m", "olmo-1b"). */
  public static Preset parse(String s) {
    String v = s.strip().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(p -> p.id.equals(v))
        .findFirst()
        .orElseThrow(
            () ->
                new BadInputException(
                    "preset '"
                        + s
                        + "' is not one of "
                        + Arrays.stream(values()).map(Preset::id).toList()));
  }
}
