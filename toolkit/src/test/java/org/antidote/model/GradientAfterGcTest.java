package org.antidote.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Gradients must not depend on when the garbage collector runs. DJL's {@code mul(Number)}-style
 * overloads wrap the number in a tensor over a direct buffer and free that buffer's owner at once,
 * while autograd keeps the tensor for the backward pass: a collection between forward and backward
 * then let backward read freed memory (the attention scale's gradient came out as whatever lay
 * there). The model passes such scalars as tensors that live until after backward.
 */
class GradientAfterGcTest {

  @Test
  void gradientsAreTheSameWhetherOrNotTheCollectorRunsBeforeBackward() throws Exception {
    for (ModelConfig.Norm norm : ModelConfig.Norm.values()) {
      ModelConfig config = new ModelConfig(2, 4, 32, 48, 32, 97, 10_000, norm, true, 0.05);
      try (Transformer model = Transformer.create(config, 7, Device.cpu())) {
        List<float[]> quiet = gradients(model, false);
        List<float[]> collected = gradients(model, true);
        for (int i = 0; i < quiet.size(); i++) {
          assertArrayEquals(
              quiet.get(i),
              collected.get(i),
              norm + ": gradient " + i + " changed with a GC before backward");
        }
        assertTrue(
            quiet.stream().anyMatch(g -> g.length > 0 && maxAbs(g) > 0), "no gradient at all");
      }
    }
  }

  /**
   * Every parameter's gradient of the loss on a fixed batch, collecting garbage between forward and
   * backward if asked.
   */
  static List<float[]> gradients(Transformer model, boolean collect) throws InterruptedException {
    List<float[]> out = new ArrayList<>();
    try (NDManager m = model.manager().newSubManager()) {
      NDArray x = TransformerTest.tokens(m, 2, 12);
      long[] next = new long[2 * 12];
      for (int i = 0; i < next.length; i++) {
        next[i] = (i * 17L + 3) % model.config().vocab();
      }
      NDArray y = m.create(next, x.getShape());
      try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
        NDArray loss = model.loss(x, y);
        if (collect) {
          for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50); // the Cleaner frees direct buffers on its own thread
          }
        }
        gc.backward(loss);
      }
      for (NDArray p : model.parameters().values()) {
        try (NDArray g = p.getGradient()) {
          out.add(g.toFloatArray());
          g.muli(0);
        }
      }
    }
    return out;
  }

  static double maxAbs(float[] v) {
    double m = 0;
    for (float f : v) {
      m = Math.max(m, Math.abs(f));
    }
    return m;
  }
}
