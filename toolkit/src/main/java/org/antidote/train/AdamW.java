package org.antidote.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.antidote.io.Check;
import org.antidote.io.SafeTensors.Tensor;
import org.antidote.model.Transformer;

/**
 * AdamW (Loshchilov and Hutter) with decoupled weight decay on matrices only, global-norm gradient
 * clipping, and the moments kept as tensors beside the weights so a checkpoint can hold them.
 * Updates run outside any gradient collector, in place.
 */
final class AdamW implements AutoCloseable {

  private final TrainConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> params;
  private final Map<String, NDArray> m = new LinkedHashMap<>();
  private final Map<String, NDArray> v = new LinkedHashMap<>();
  private long t;

  AdamW(Transformer model, TrainConfig config) {
    this.config = config;
    this.params = model.parameters();
    this.manager = model.manager().newSubManager();
    params.forEach(
        (name, p) -> {
          m.put(name, manager.zeros(p.getShape()));
          v.put(name, manager.zeros(p.getShape()));
        });
  }

  /** Steps taken so far. */
  long steps() {
    return t;
  }

  /**
   * Applies one update with learning rate {@code lr} and clears the gradients. Returns the global
   * gradient norm before clipping; if it is not finite the weights are left untouched.
   */
  double step(double lr) {
    return step(lr, 1f);
  }

  /**
   * The same, after multiplying the gradients by {@code unscale} (one over an fp16 run's loss
   * scale), so the norm, the clipping and the moments see the true gradients.
   */
  double step(double lr, float unscale) {
    try (NDManager s = manager.newSubManager()) {
      List<NDArray> grads = new ArrayList<>();
      double sumSquares = 0;
      for (NDArray p : params.values()) {
        NDArray g = p.getGradient();
        g.attach(s); // the handle, not the gradient storage, is freed with s
        grads.add(g);
        if (unscale != 1f) {
          g.muli(unscale);
        }
        sumSquares += g.square().sum().getFloat();
      }
      double norm = Math.sqrt(sumSquares);
      if (!Double.isFinite(norm)) {
        grads.forEach(g -> g.muli(0));
        return norm;
      }
      float scale =
          config.gradClip() > 0 && norm > config.gradClip()
              ? (float) (config.gradClip() / norm)
              : 1f;
      t++;
      float b1 = (float) config.beta1();
      float b2 = (float) config.beta2();
      // StrictMath: the same bits interpreted or JIT-compiled, so a resumed process (which starts
      // interpreted) cannot compute other bias corrections than an uninterrupted one.
      float bc1 = (float) (1 - StrictMath.pow(config.beta1(), t));
      float bc2 = (float) (1 - StrictMath.pow(config.beta2(), t));
      float decay = (float) (1 - lr * config.weightDecay());
      int i = 0;
      for (Map.Entry<String, NDArray> e : params.entrySet()) {
        NDArray p = e.getValue();
        NDArray g = grads.get(i++);
        if (scale != 1f) {
          g.muli(scale);
        }
        NDArray mi = m.get(e.getKey());
        NDArray vi = v.get(e.getKey());
        mi.muli(b1).addi(g.mul(1 - b1));
        vi.muli(b2).addi(g.square().muli(1 - b2));
        // Results of ops on the moments land in the optimiser's manager: move them to the step's.
        NDArray vHat = vi.div(bc2);
        vHat.attach(s);
        NDArray denominator = vHat.sqrt().addi((float) config.eps());
        NDArray update = mi.div(bc1);
        update.attach(s);
        update.divi(denominator);
        if (p.getShape().dimension() == 2 && config.weightDecay() > 0) {
          p.muli(decay);
        }
        p.subi(update.muli((float) lr));
        g.muli(0);
      }
      return norm;
    }
  }

  /** Clears gradients without updating (after a skipped step). */
  void zeroGradients() {
    for (NDArray p : params.values()) {
      try (NDArray g = p.getGradient()) {
        g.muli(0);
      }
    }
  }

  /** The moments and step count, for a checkpoint. */
  Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    m.forEach(
        (name, a) ->
            out.put("adam.m." + name, Tensor.f32(a.getShape().getShape(), a.toFloatArray())));
    v.forEach(
        (name, a) ->
            out.put("adam.v." + name, Tensor.f32(a.getShape().getShape(), a.toFloatArray())));
    return out;
  }

  /**
   * Restores moments and the count of updates applied (fewer than the steps when fp16 skipped
   * some).
   */
  void load(Map<String, Tensor> state, long step) {
    for (String name : params.keySet()) {
      Tensor tm = state.get("adam.m." + name);
      Tensor tv = state.get("adam.v." + name);
      Check.input(tm != null && tv != null, "checkpoint lacks optimiser moments for " + name);
      m.get(name).set(FloatBuffer.wrap(tm.floats()));
      v.get(name).set(FloatBuffer.wrap(tv.floats()));
    }
    t = step;
  }

  @Override
  public void close() {
    manager.close();
  }
}
