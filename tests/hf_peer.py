"""The Hugging Face peer of HfModelsTest: transformers makes, saves and checks small models.

  hf_peer.py make ROOT      one random model per variant under ROOT/<variant>/, saved with
                            save_pretrained, and ROOT/<variant>/ref.safetensors holding the ids,
                            float32 logits, a greedy 20-token continuation (no cache, argmax each
                            step) and each layer's o_proj input (a forward pre-hook).
  hf_peer.py check DIR...   loads each exported DIR with AutoModelForCausalLM in float32 and
                            writes DIR/peer.safetensors: logits of the ids in DIR/ids.safetensors.

Run with ANTIDOTE_PYTHON (torch 2.13 CPU, transformers 5.x, safetensors).
"""
import os
import sys

import torch
from safetensors.torch import load_file, save_file
from transformers import (AutoModelForCausalLM, GPT2Config, GPTNeoXConfig, LlamaConfig, Olmo2Config,
                          OlmoConfig)

torch.set_num_threads(1)
SHAPE = dict(hidden_size=64, num_attention_heads=4, num_hidden_layers=2, intermediate_size=96,
             vocab_size=128, max_position_embeddings=64)


def variants():
    """name -> (config, save dtype, max shard size or None)."""
    neox = {k: v for k, v in SHAPE.items()}
    return {
        "gpt2": (GPT2Config(n_embd=64, n_head=4, n_layer=2, n_inner=96, vocab_size=128, n_positions=64), None, None),
        "gpt_neox": (GPTNeoXConfig(**neox, rotary_pct=0.25), None, None),
        "gpt_neox_serial": (GPTNeoXConfig(**neox, rotary_pct=0.5, use_parallel_residual=False,
                                          attention_bias=False), None, None),
        "olmo": (OlmoConfig(**SHAPE, clip_qkv=0.5, pad_token_id=0, eos_token_id=1), None, None),
        "olmo2": (Olmo2Config(**SHAPE, num_key_value_heads=2, pad_token_id=0, eos_token_id=1), None, None),
        "llama_gqa": (LlamaConfig(**SHAPE, num_key_value_heads=2, attention_bias=True, rope_theta=500.0,
                                  tie_word_embeddings=False), None, None),
        "llama_bf16_tied": (LlamaConfig(**SHAPE, tie_word_embeddings=True), torch.bfloat16, None),
        "llama_f16_sharded": (LlamaConfig(**SHAPE, mlp_bias=True), torch.float16, "40KB"),
    }


def o_proj(model, layer):
    t = model.config.model_type
    if t == "gpt2":
        return model.transformer.h[layer].attn.c_proj
    if t == "gpt_neox":
        return model.gpt_neox.layers[layer].attention.dense
    return model.model.layers[layer].self_attn.o_proj


def make(root):
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(1)
    ids = torch.randint(0, 128, (2, 12), generator=g)
    for name, (config, dtype, shard) in variants().items():
        out = os.path.join(root, name)
        model = AutoModelForCausalLM.from_config(config).eval()
        with torch.no_grad():
            # Norm scales away from one and biases away from zero, so a misplaced one shows.
            for p in model.parameters():
                p.add_(torch.randn(p.shape, generator=g) * 0.05)
        if dtype is not None:
            model = model.to(dtype)
        kwargs = {"max_shard_size": shard} if shard else {}
        model.save_pretrained(out, **kwargs)
        # The reference is what the saved weights compute in float32.
        model = AutoModelForCausalLM.from_pretrained(out, dtype=torch.float32).eval()
        zs = {}
        hooks = [o_proj(model, l).register_forward_pre_hook(
            lambda m, args, l=l: zs.__setitem__(l, args[0].detach().clone())) for l in range(2)]
        with torch.no_grad():
            logits = model(ids).logits
            for h in hooks:
                h.remove()
            seq = ids[:1, :6]
            for _ in range(20):
                nxt = model(seq).logits[:, -1].argmax(-1, keepdim=True)
                seq = torch.cat([seq, nxt], 1)
        ref = {"ids": ids.float(), "logits": logits.float().contiguous(), "greedy": seq[0, 6:].float()}
        for l, z in zs.items():
            ref["z.%d" % l] = z.float().contiguous()
        save_file(ref, os.path.join(out, "ref.safetensors"))
        print(name, "saved", sorted(os.listdir(out)))


def check(dirs):
    for d in dirs:
        model = AutoModelForCausalLM.from_pretrained(d, dtype=torch.float32).eval()
        ids = load_file(os.path.join(d, "ids.safetensors"))["ids"].long()
        with torch.no_grad():
            logits = model(ids).logits
        save_file({"logits": logits.contiguous()}, os.path.join(d, "peer.safetensors"))
        print(d, type(model).__name__)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) >= 3 and sys.argv[1] == "check":
        check(sys.argv[2:])
    else:
        sys.exit(__doc__)
