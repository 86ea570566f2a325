#!/usr/bin/env bash
# Projector training throughput: TrainingStepCoordinator (C#, ONNX Runtime CPU) against PyTorch.
#
# Usage: bench/train.sh [--batch B] [--steps N] [--threads T] [--no-build]
#   --batch B   pairs per step (default 4096)
#   --steps N   timed steps per run, after one warm-up step (default 10)
#   --threads T threads on both sides (default 2)
#   --no-build  reuse the existing Release build of bench/FreeBind.TrainBench
#
# One projector 512 -> 2048 -> 1024 (ReLU, BatchNorm in train mode), symmetric InfoNCE at
# temperature 0.07, AdamW lr 1e-4 and clipping at norm 1.0. The C# side runs with 1 in-process
# shard and with 2 (same global batch), which shows the cost of splitting and merging. PyTorch needs
# /usr/bin/python3 with python3-torch and OpenBLAS as the system BLAS (apt-get install
# libopenblas0-pthread). A measured GEMM rate near 7 GFLOP/s means the reference BLAS is in use.
# Output goes to bench/results/train-<UTC time>/; summary.txt there has the numbers.
set -euo pipefail

batch=4096
steps=10
threads=2
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --batch) batch="${2:?--batch needs a number}"; shift 2 ;;
        --steps) steps="${2:?--steps needs a number}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument '$1'; run bench/train.sh --help" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/results/train-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
bench="$root/bench/FreeBind.TrainBench/bin/Release/net10.0/linux-x64/freebind-train-bench"
if [[ $build -eq 1 ]]; then
    dotnet build -c Release "$root/bench/FreeBind.TrainBench" > "$out/build.log"
fi

common=(--batch "$batch" --steps "$steps" --threads "$threads")
/usr/bin/python3 "$root/bench/train_torch.py" "${common[@]}" | tee "$out/torch.log"
"$bench" "${common[@]}" --workers 1 | tee "$out/csharp1.log"
"$bench" "${common[@]}" --workers 2 | tee "$out/csharp2.log"

value() { grep -o "$1=[0-9.]*" "$2" | cut -d= -f2 | tail -1; }
gemm=$(value gemm_gflops "$out/torch.log")
torch_rate=$(value pairs_per_s "$out/torch.log")
one=$(value pairs_per_s "$out/csharp1.log")
two=$(value pairs_per_s "$out/csharp2.log")
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
    echo "command: bench/train.sh ${common[*]}"
    echo "pytorch gemm: $gemm GFLOP/s"
    echo "pytorch pairs/s: $torch_rate"
    echo "csharp pairs/s, 1 shard: $one"
    echo "csharp pairs/s, 2 in-process shards: $two"
    awk -v c="$one" -v t="$torch_rate" 'BEGIN { printf "ratio csharp (1 shard) / pytorch: %.2f\n", c / t }'
    awk -v a="$two" -v b="$one" 'BEGIN { printf "ratio 2 shards / 1 shard: %.2f\n", a / b }'
} | tee "$out/summary.txt"
