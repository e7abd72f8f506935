#!/usr/bin/env bash
# The check a CUDA machine must pass before the paper's presets are trained on it.
#
#   bench/gpu-check.sh [--steps 200] [--compare-steps 20] [--device gpu:0] ...   (flags go to ./antidote bench gpu)
#
# It builds Antidote against DJL's CUDA 12.4 build of libtorch 2.5.1, then trains gpt2-124m in the
# fastest half precision the engine computes (bfloat16 where DJL's dtype probe passes, else
# float16 with loss scaling) for 200 steps, printing tokens/s, MFU against the GPU's dense
# half-precision peak and the peak GPU memory (nvidia-smi, sampled every 200 ms); then 20 steps of
# the same seed and data on the GPU and in float32 on the CPU, loss by loss. Exits non-zero unless
# MFU is at least 40 %.
#
# What it assumes (read from DJL 0.33's LibUtils, Platform and CudaUtils):
#   - Linux x86_64, an NVIDIA driver for CUDA 12.4 or newer (R550+), a GPU of compute capability
#     5.0 to 9.0 (the cu124 wheels' architectures; H100/H200 are 9.0).
#   - Maven can fetch ai.djl.pytorch:pytorch-native-cu124:2.5.1:linux-x86_64 (about 2.3 GB) once;
#     the JNI glue for cu124 is already in pytorch-jni 2.5.1-0.33.0. The run itself is offline
#     (-Dai.djl.offline=true): libtorch comes from that jar, extracted to ~/.djl.ai/pytorch/.
#   - DJL counts GPUs through JNA's libcudart.so (CudaUtils), not through libtorch: the CUDA
#     runtime must be findable (ldconfig or LD_LIBRARY_PATH), or DJL reports no GPU even though
#     libtorch could use one. Checked below.
#   - Environment: ANTIDOTE_MAVEN_OPTS=-Dpytorch.native=pytorch-native-cu124 (set here),
#     CUDA_VISIBLE_DEVICES as usual, ANTIDOTE_PEAK_TFLOPS for a GPU other than H100/H200/A100.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

die() { echo "gpu-check: $*" >&2; exit 2; }

command -v nvidia-smi >/dev/null || die "nvidia-smi not found: this is not a CUDA machine (no NVIDIA driver)"
GPU_NAME="$(nvidia-smi --query-gpu=name --format=csv,noheader | head -1)"
DRIVER_CUDA="$(nvidia-smi | sed -n 's/.*CUDA Version: *\([0-9.]*\).*/\1/p' | head -1)"
echo "gpu-check: $GPU_NAME, driver CUDA $DRIVER_CUDA"
if [ -n "$DRIVER_CUDA" ] && [ "$(printf '%s\n12.4\n' "$DRIVER_CUDA" | sort -V | head -1)" != "12.4" ]; then
  die "the driver supports CUDA $DRIVER_CUDA, libtorch 2.5.1 cu124 needs 12.4 or newer"
fi
if ! ldconfig -p 2>/dev/null | grep -q 'libcudart\.so' \
    && ! tr ':' '\n' <<<"${LD_LIBRARY_PATH:-}" | while read -r d; do ls "$d"/libcudart.so* 2>/dev/null; done | grep -q .; then
  die "libcudart.so not found (ldconfig, LD_LIBRARY_PATH): DJL's GPU count needs the CUDA runtime, e.g. apt-get install cuda-cudart-12-4 or export LD_LIBRARY_PATH=/usr/local/cuda/lib64"
fi

case "$GPU_NAME" in
  *H100*|*H200*) PEAK="${ANTIDOTE_PEAK_TFLOPS:-989.4}" ;;   # SXM dense bf16/fp16 tensor cores
  *A100*)        PEAK="${ANTIDOTE_PEAK_TFLOPS:-312}" ;;
  *)             PEAK="${ANTIDOTE_PEAK_TFLOPS:?set ANTIDOTE_PEAK_TFLOPS to $GPU_NAME dense half-precision TFLOP/s}" ;;
esac

export ANTIDOTE_MAVEN_OPTS="${ANTIDOTE_MAVEN_OPTS:--Dpytorch.native=pytorch-native-cu124}"
export ANTIDOTE_HEAP="${ANTIDOTE_HEAP:-16g}" ANTIDOTE_THREADS="${ANTIDOTE_THREADS:-$(nproc)}"
./antidote build

MEMLOG="$(mktemp)"
nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits -lms 200 >"$MEMLOG" &
SMI=$!
trap 'kill "$SMI" 2>/dev/null || true; rm -f "$MEMLOG"' EXIT

set +e
./antidote bench gpu --peak-tflops "$PEAK" "$@"
STATUS=$?
set -e
kill "$SMI" 2>/dev/null || true
PEAK_MB="$(sort -n "$MEMLOG" | tail -1)"
echo "peak GPU memory (nvidia-smi, all processes on GPU 0): ${PEAK_MB:-?} MiB"
exit "$STATUS"
