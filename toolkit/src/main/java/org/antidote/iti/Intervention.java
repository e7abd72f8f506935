package org.antidote.iti;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.io.BadInputException;
import org.antidote.io.Json;
import org.antidote.io.SafeTensors;
import org.antidote.model.HookName;
import org.antidote.model.Hooks;
import org.antidote.model.ModelConfig;
import org.antidote.model.Transformer;
import org.antidote.probe.Directions;
import org.antidote.probe.ProbeResult;

/**
 * A set of head shifts fitted on one model: at head (layer, head), add {@code alpha * sigma *
 * direction} to its output before the output projection, at every position. Apply it with
 * {@link #hooks()} for one call, or {@link #bake(Transformer)} it into the model's weights.
 *
 * @param model the model it was fitted on (a run folder, say)
 * @param layers that model's layers
 * @param heads its heads per layer
 * @param dHead its head width
 * @param alpha strength, in units of sigma
 * @param shifts the shifted heads
 */
public record Intervention(String model, int layers, int heads, int dHead, double alpha, List<Shift> shifts) {

  /**
   * One head's shift.
   *
   * @param layer layer
   * @param head head
   * @param direction unit direction, pointing away from toxic
   * @param sigma spread of activations along it
   */
  public record Shift(int layer, int head, float[] direction, double sigma) {}

  public Intervention {
    if (!(alpha >= 0) || Double.isInfinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a finite number >= 0, got " + alpha);
    }
    shifts = List.copyOf(shifts);
  }

  /** The {@code k} heads with the best validation accuracy, shifted by {@code alpha} sigmas. */
  public static Intervention topHeads(String model, ProbeResult probes, List<Directions.HeadDirection> directions, int k,
      double alpha, int dHead) {
    List<Shift> shifts = new ArrayList<>();
    for (Directions.HeadDirection d : Directions.topK(directions, probes, k)) {
      shifts.add(new Shift(d.layer(), d.head(), d.direction(), d.sigma()));
    }
    return new Intervention(model, probes.layers(), probes.heads(), dHead, alpha, shifts);
  }

  /** The same heads at another strength. */
  public Intervention withAlpha(double a) {
    return new Intervention(model, layers, heads, dHead, a, shifts);
  }

  /** The shift of every head of {@code layer}, [heads * dHead] (zero where a head is not shifted). */
  float[] delta(int layer) {
    float[] d = new float[heads * dHead];
    for (Shift s : shifts) {
      if (s.layer() == layer) {
        for (int k = 0; k < dHead; k++) {
          d[s.head() * dHead + k] += (float) (alpha * s.sigma() * s.direction()[k]);
        }
      }
    }
    return d;
  }

  /** Hooks for one call that add the shifts at {@code blocks.{l}.attn.hook_z}. */
  public Hooks hooks() {
    Map<String, float[]> perLayer = new LinkedHashMap<>();
    for (Shift s : shifts) {
      perLayer.computeIfAbsent(HookName.z(s.layer()), n -> delta(s.layer()));
    }
    Hooks h = Hooks.none();
    for (Map.Entry<String, float[]> e : perLayer.entrySet()) {
      float[] d = e.getValue();
      h = h.with(e.getKey(), (name, z) -> {
        NDArray shift = z.getManager().create(d, new Shape(heads, dHead));
        return z.add(shift);
      });
    }
    return h;
  }

  /**
   * Folds the shifts into {@code model}'s attention output biases: adding {@code delta} to z adds
   * {@code delta x W_O} after the projection, at every position, exactly as the hook does.
   */
  public void bake(Transformer model) {
    checkFits(model.config());
    for (int l = 0; l < layers; l++) {
      float[] delta = delta(l);
      boolean any = false;
      for (float v : delta) {
        any |= v != 0;
      }
      if (!any) {
        continue;
      }
      float[] wo = model.parameters().get("blocks." + l + ".attn.W_O").toFloatArray(); // [d, d]
      int d = model.config().dModel();
      float[] bias = new float[d];
      for (int i = 0; i < d; i++) {
        if (delta[i] != 0) {
          for (int j = 0; j < d; j++) {
            bias[j] += delta[i] * wo[i * d + j];
          }
        }
      }
      model.setAttentionOutputBias(l, bias);
    }
  }

  /** Removes baked-in shifts from {@code model}. */
  public static void unbake(Transformer model) {
    for (int l = 0; l < model.config().layers(); l++) {
      model.setAttentionOutputBias(l, null);
    }
  }

  /** Refuses a model of another shape than the one this was fitted on. */
  public void checkFits(ModelConfig config) {
    if (config.layers() != layers || config.heads() != heads || config.dHead() != dHead) {
      throw new BadInputException("this intervention was fitted on a model of " + layers + " layers x " + heads
          + " heads x d_head " + dHead + " (" + model + "), not " + config.layers() + " x " + config.heads() + " x "
          + config.dHead());
    }
  }

  /** Saves as {@code intervention.json} (what and where) plus {@code directions.safetensors}. */
  public void save(Path dir) {
    Map<String, SafeTensors.Tensor> tensors = new LinkedHashMap<>();
    List<Map<String, Object>> heads = new ArrayList<>();
    for (Shift s : shifts) {
      String key = "L" + s.layer() + "H" + s.head();
      tensors.put(key, SafeTensors.Tensor.f32(new long[] {s.direction().length}, s.direction()));
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("layer", s.layer());
      m.put("head", s.head());
      m.put("sigma", s.sigma());
      m.put("tensor", key);
      heads.add(m);
    }
    SafeTensors.write(dir.resolve("directions.safetensors"), tensors, Map.of("antidote.model", model));
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("format", "antidote-intervention/1");
    meta.put("model", model);
    meta.put("layers", layers);
    meta.put("heads", this.heads);
    meta.put("dHead", dHead);
    meta.put("alpha", alpha);
    meta.put("shifts", heads);
    Json.write(dir.resolve("intervention.json"), meta);
  }

  /** Loads what {@link #save} wrote. */
  @SuppressWarnings("unchecked")
  public static Intervention load(Path dir) {
    Path f = dir.resolve("intervention.json");
    if (!Files.isRegularFile(f)) {
      throw new BadInputException(dir + ": no intervention.json");
    }
    Map<String, Object> meta = Json.read(f, Map.class);
    Map<String, SafeTensors.Tensor> tensors = SafeTensors.read(dir.resolve("directions.safetensors")).tensors();
    List<Shift> shifts = new ArrayList<>();
    for (Map<String, Object> h : (List<Map<String, Object>>) meta.get("shifts")) {
      shifts.add(new Shift(((Number) h.get("layer")).intValue(), ((Number) h.get("head")).intValue(),
          tensors.get((String) h.get("tensor")).floats(), ((Number) h.get("sigma")).doubleValue()));
    }
    return new Intervention((String) meta.get("model"), ((Number) meta.get("layers")).intValue(),
        ((Number) meta.get("heads")).intValue(), ((Number) meta.get("dHead")).intValue(),
        ((Number) meta.get("alpha")).doubleValue(), shifts);
  }
}
