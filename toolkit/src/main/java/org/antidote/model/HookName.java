package org.antidote.model;

import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antidote.io.BadInputException;
import org.antidote.io.Check;

/**
 * A hook point's name, in TransformerLens's grammar: {@code blocks.{layer}.{point}}. This class is
 * the one place names are built and parsed.
 *
 * <table>
 *   <caption>Hook points and the shapes they see (B batch, T positions, S key positions)</caption>
 *   <tr><td>{@code blocks.{l}.hook_resid_pre}</td><td>[B, T, d_model] residual stream into block l</td></tr>
 *   <tr><td>{@code blocks.{l}.attn.hook_pattern}</td><td>[B, heads, T, S] attention weights</td></tr>
 *   <tr><td>{@code blocks.{l}.attn.hook_z}</td><td>[B, T, heads, d_head] each head's output, before the output projection</td></tr>
 *   <tr><td>{@code blocks.{l}.hook_attn_out}</td><td>[B, T, d_model] attention output</td></tr>
 *   <tr><td>{@code blocks.{l}.hook_resid_mid}</td><td>[B, T, d_model] residual after attention</td></tr>
 *   <tr><td>{@code blocks.{l}.mlp.hook_post}</td><td>[B, T, d_mlp] the MLP's activation (SwiGLU or GELU)</td></tr>
 *   <tr><td>{@code blocks.{l}.hook_mlp_out}</td><td>[B, T, d_model] MLP output</td></tr>
 *   <tr><td>{@code blocks.{l}.hook_resid_post}</td><td>[B, T, d_model] residual out of block l</td></tr>
 * </table>
 *
 * @param layer block index
 * @param point which point in the block
 */
public record HookName(int layer, Point point) {

  private static final Pattern GRAMMAR = Pattern.compile("blocks\\.(\\d+)\\.(.+)");

  /** The points inside one block, in the order the forward pass reaches them. */
  public enum Point {
    RESID_PRE("hook_resid_pre"),
    ATTN_PATTERN("attn.hook_pattern"),
    ATTN_Z("attn.hook_z"),
    ATTN_OUT("hook_attn_out"),
    RESID_MID("hook_resid_mid"),
    MLP_POST("mlp.hook_post"),
    MLP_OUT("hook_mlp_out"),
    RESID_POST("hook_resid_post");

    private final String suffix;

    Point(String suffix) {
      this.suffix = suffix;
    }

    /** The part after {@code blocks.{l}.}. */
    public String suffix() {
      return suffix;
    }
  }

  public HookName {
    checkLayer(layer);
  }

  private static void checkLayer(int layer) {
    Check.input(layer >= 0, "hook layer must be >= 0, got " + layer);
  }

  /** Parses {@code blocks.3.attn.hook_z}; the error lists the valid points. */
  public static HookName parse(String name) {
    Matcher m = GRAMMAR.matcher(name.strip());
    if (m.matches()) {
      for (Point p : Point.values()) {
        if (p.suffix.equals(m.group(2))) {
          return new HookName(Integer.parseInt(m.group(1)), p);
        }
      }
    }
    throw new BadInputException(
        "'"
            + name
            + "' is not a hook name; expected blocks.{layer}.{point} with point one of "
            + Arrays.stream(Point.values()).map(Point::suffix).toList());
  }

  /** The name string, e.g. {@code blocks.3.attn.hook_z}. */
  public static String of(int layer, Point point) {
    return layer(layer).name(point);
  }

  /** Every hook name of block {@code layer}, built once (see {@link Layer}). */
  public static Layer layer(int layer) {
    return new Layer(layer);
  }

  /**
   * The hook names of one block, built when a model is made so that a forward pass names its hook
   * points without building a string per call.
   */
  public static final class Layer {
    private final String prefix;
    private final String[] names;

    private Layer(int layer) {
      checkLayer(layer);
      prefix = "blocks." + layer + ".";
      Point[] points = Point.values();
      names = new String[points.length];
      for (Point p : points) {
        names[p.ordinal()] = prefix + p.suffix;
      }
    }

    /**
     * {@code blocks.{layer}.}, the prefix the block's parameter names share with its hook names
     * (state-dict keys such as {@code blocks.3.attn.W_O}).
     */
    public String prefix() {
      return prefix;
    }

    /** This block's name for {@code point}, e.g. {@code blocks.3.attn.hook_z}. */
    public String name(Point point) {
      return names[point.ordinal()];
    }
  }

  /** {@code blocks.{layer}.attn.hook_z}: per-head outputs before the output projection. */
  public static String z(int layer) {
    return of(layer, Point.ATTN_Z);
  }

  /** {@code blocks.{layer}.hook_resid_post}. */
  public static String residPost(int layer) {
    return of(layer, Point.RESID_POST);
  }

  @Override
  public String toString() {
    return of(layer, point);
  }
}
