#!/usr/bin/env bash
# Projector ensemble throughput: FusionRunner (C#, ONNX Runtime CPU) against PyTorch on the same CPU.
#
# Usage: bench/projector.sh [--count N] [--batch B] [--threads T] [--no-build]
#   --count N   embeddings per run (default 100000)
#   --batch B   rows per call (default 4096)
#   --threads T threads on both sides (default 2)
#   --no-build  reuse the existing Release build of bench/FreeBind.ProjectorBench
#
# The ensemble has the ImageBind++ shape: 14 projectors 512 -> 2048 -> 1024 (two experts' seven
# data modes), all reading one 512-d input, ReLU, BatchNorm. The C# side folds BatchNorm into the
# Linear layers; the PyTorch side runs eval-mode BatchNorm1d unfolded under torch.no_grad().
# The C# side runs twice per round, once per graph layout (ProjectorLayout PerMember, the
# default, and Batched), so the summary also compares the two layouts.
# PyTorch needs /usr/bin/python3 with python3-torch and OpenBLAS as the system BLAS
# (apt-get install libopenblas0-pthread); the script prints PyTorch's measured GEMM GFLOP/s for a
# 4096x512 @ 512x2048 float32 matmul, and a value near 7 means the reference BLAS is still in use.
# The sides alternate (torch, C# per member, C# batched, twice); the summary takes the best run of each.
# Output goes to bench/results/projector-<UTC time>/; summary.txt there has the numbers.
set -euo pipefail

count=100000
batch=4096
threads=2
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --count) count="${2:?--count needs a number}"; shift 2 ;;
        --batch) batch="${2:?--batch needs a number}"; shift 2 ;;
        --threads) threads="${2:?--threads needs a number}"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "error: unknown argument '$1'; run bench/projector.sh --help" >&2; exit 2 ;;
    esac
done

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/bench/results/projector-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"
bench="$root/bench/FreeBind.ProjectorBench/bin/Release/net10.0/linux-x64/freebind-projector-bench"
if [[ $build -eq 1 ]]; then
    dotnet build -c Release "$root/bench/FreeBind.ProjectorBench" > "$out/build.log"
fi

common=(--count "$count" --batch "$batch" --threads "$threads")
for round in 1 2; do
    /usr/bin/python3 "$root/bench/projector_torch.py" "${common[@]}" | tee -a "$out/torch.log"
    "$bench" "${common[@]}" --layout PerMember | tee -a "$out/csharp.log"
    "$bench" "${common[@]}" --layout Batched | tee -a "$out/csharp-batched.log"
done

value() { grep -o "$1=[0-9.]*" "$2" | cut -d= -f2 | sort -g | tail -1; }
gemm=$(value gemm_gflops "$out/torch.log")
torch_rate=$(value embeddings_per_s "$out/torch.log")
csharp_rate=$(value embeddings_per_s "$out/csharp.log")
csharp_gflops=$(value gflops "$out/csharp.log")
batched_rate=$(value embeddings_per_s "$out/csharp-batched.log")
{
    echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "machine: nproc $(nproc), $(lscpu | sed -n 's/^Model name:[[:space:]]*//p')"
    echo "command: bench/projector.sh ${common[*]}"
    echo "pytorch gemm peak (best): $gemm GFLOP/s"
    echo "pytorch embeddings/s (best of 2): $torch_rate"
    echo "csharp embeddings/s (best of 2): $csharp_rate"
    echo "csharp GFLOP/s (best of 2): $csharp_gflops"
    echo "csharp batched layout embeddings/s (best of 2): $batched_rate"
    awk -v c="$csharp_rate" -v t="$torch_rate" 'BEGIN { printf "ratio csharp/pytorch: %.2f\n", c / t }'
    awk -v c="$csharp_gflops" -v g="$gemm" 'BEGIN { printf "csharp GFLOP/s / gemm peak: %.0f%%\n", 100 * c / g }'
    awk -v c="$csharp_rate" -v b="$batched_rate" 'BEGIN { printf "ratio per-member/batched layout: %.2f\n", c / b }'
} | tee "$out/summary.txt"
