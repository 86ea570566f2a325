#!/usr/bin/env bash
# Exact retrieval throughput of FreeBind.Evaluation (queries/s), random 1024-d embeddings.
#
# Usage: bench/eval.sh [--queries Q] [--gallery G] [--dim D] [--partitions P]
#   defaults: 100000 queries × 100000 gallery items at 1024-d, 1 partition
#   --quick   2000 × 2000, for a check that the script works
#
# Runs bench/EvalBench.cs (a .NET 10 file-based program referencing FreeBind.Core) in Release and
# prints one line: seconds, queries/s and the dot-product GFLOP/s. Data generation is not timed.
# The 100k × 100k run is 2·10¹⁰·1024 ≈ 2·10¹³ flops; at the kernel's tens of GFLOP/s on a few
# cores expect minutes, so try --quick first.
set -euo pipefail

queries=100000
gallery=100000
dim=1024
partitions=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --queries) queries="$2"; shift 2 ;;
        --gallery) gallery="$2"; shift 2 ;;
        --dim) dim="$2"; shift 2 ;;
        --partitions) partitions="$2"; shift 2 ;;
        --quick) queries=2000; gallery=2000; shift ;;
        *) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
done

cd "$(dirname "$0")/.."
dotnet run -c Release bench/EvalBench.cs -- "$queries" "$gallery" "$dim" "$partitions"
