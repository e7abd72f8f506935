/**
 * The decoder-only transformer, OLMo style (rotary positions, SwiGLU MLP, no biases,
 * non-parametric LayerNorm or RMSNorm, optional tied embeddings), written on DJL's NDArray API so
 * the same code runs on CPU and CUDA. Every intermediate tensor worth reading passes a named hook
 * point ({@link org.antidote.model.HookName}: {@code blocks.{l}.attn.hook_z} and friends), which a
 * single call can cache or replace. Generation (greedy, temperature, top-p) uses a KV cache.
 * {@link org.antidote.model.Numerics} holds the scalar formulas (normal draws, sigmoid, softmax)
 * every package computes in plain Java. {@link org.antidote.model.Devices} is the one device rule
 * ({@code --device auto|cpu|gpu[:N]}); {@link org.antidote.model.Precision} and
 * {@link org.antidote.model.DtypeSupport} choose and probe half-precision matrix products.
 */
package org.antidote.model;
