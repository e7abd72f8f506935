/**
 * The decoder-only transformer, written on DJL's NDArray API so the same code runs on CPU and CUDA.
 * Its shape is a {@link org.antidote.model.ModelConfig}, its wiring an {@link
 * org.antidote.model.Architecture}: the toolkit trains OLMo's recipe (rotary positions, SwiGLU MLP,
 * no biases, non-parametric LayerNorm or RMSNorm, optional tied embeddings), and {@link
 * org.antidote.model.Models}, the one loader, reads run folders and local Hugging Face checkpoints
 * ({@code gpt2}, {@code gpt_neox}, {@code llama}, {@code olmo}, {@code olmo2}) into the same model,
 * and exports runs as {@code olmo} or {@code llama} folders. Every intermediate tensor worth
 * reading passes a named hook point ({@link org.antidote.model.HookName}: {@code
 * blocks.{l}.attn.hook_z} and friends), which a single call can cache or replace. Generation
 * (greedy, temperature, top-p) uses a KV cache. {@link org.antidote.model.Devices} is the one
 * device rule ({@code --device auto|cpu|gpu[:N]}); {@link org.antidote.model.Precision} and {@link
 * org.antidote.model.DtypeSupport} choose and probe half-precision matrix products.
 *
 * <p>Uses: io, math, tokenize.
 *
 * <p>Used by: bench, cli, eval, iti, lens, probe, study, toy, train.
 */
package org.antidote.model;
