#!/usr/bin/env bash
# Scale-out benchmark: ResNet18 embedding throughput with 1, 2 and 3 silo processes on loopback.
#
# Usage: bench/scale.sh [--n N] [--shard-size S] [--silos "1 2 3"] [--no-build]
#   --n N          images per run (default 512; the same plasma JPEGs as bench/embed.sh)
#   --shard-size S images per shard (default 32); keep N/S at several shards per silo, or the
#                  extra silos get no work
#   --silos LIST   silo counts to measure, in order (default "1 2 3")
#   --no-build     reuse the existing Release builds of FreeBind.Silo and FreeBind.Client
#
# For each silo count K the script starts K `FreeBind.Silo` processes with Orleans' localhost
# clustering (the first is the primary silo, the others join it) and waits until each logs
# "Application started". It then runs `freebind embed --cluster` on a JSONL manifest of the N
# images (--modalities image --space resnet18 --shard-size S), and stops the silos it started
# by their process ids.
# It reports the job's items/s from the CLI summary and, from the shard markers, the sum of
# shard seconds, the sum of ONNX Runtime seconds, and the share of shard time spent outside
# ONNX Runtime (decoding, preprocessing, storage, coordination inside the shard). Time between
# shards (planning, placement, grain calls) is the gap between the job time and shard time per
# silo, which the summary also prints, with the number of shards each silo embedded.
# Results go to bench/results/scale-<UTC time>-n<N>/; summary.txt there has the numbers.
# FreeBind__Encoders__* variables (for example IntraOpThreads) reach every silo. All silos share
# one machine's cores, so K silos on one host measure coordination overhead, not K machines.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

n=512
shard_size=32
silo_counts="1 2 3"
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --n) n="${2:?--n needs a number of images}"; shift 2 ;;
        --shard-size) shard_size="${2:?--shard-size needs a number of images}"; shift 2 ;;
        --silos) silo_counts="${2:?--silos needs a list such as \"1 2 3\"}"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown argument '$1'; run bench/scale.sh --help" >&2; exit 2 ;;
    esac
done
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --n '$n' is not a positive whole number" >&2
    exit 2
fi
if ! [[ "$shard_size" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --shard-size '$shard_size' is not a positive whole number" >&2
    exit 2
fi

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/bench/results"
images="$results/images"
run="$results/scale-$(date -u +%Y%m%d-%H%M%S)-n$n"
silo_dll="$root/FreeBind.Silo/bin/Release/net10.0/linux-x64/FreeBind.Silo.dll"
freebind="$root/FreeBind.Client/bin/Release/net10.0/linux-x64/freebind"
spaces="$root/samples/spaces.json"
convert=/usr/bin/convert

if [[ ! -x "$convert" ]]; then
    echo "error: $convert not found: install ImageMagick (imagemagick) with apt-get" >&2
    exit 2
fi

mkdir -p "$images" "$run"
summary="$run/summary.txt"
say() { echo "$*" | tee -a "$summary"; }

# --- images (not measured), named as bench/embed.sh names them -------------------------------
for ((i = 0; i < n; i++)); do
    f=$(printf '%s/img-%05d.jpg' "$images" "$i")
    if [[ ! -s "$f" ]]; then
        "$convert" -size 640x480 -seed "$i" plasma: -quality 90 "jpg:$f.part" && mv "$f.part" "$f"
    fi
done
manifest="$images/manifest-$n.jsonl"
: >"$manifest"
for ((i = 0; i < n; i++)); do
    printf '{"id": "img-%05d", "image": "img-%05d.jpg"}\n' "$i" "$i" >>"$manifest"
done

if [[ $build -eq 1 ]]; then
    echo "building Release (FreeBind.Silo, FreeBind.Client)..." >&2
    dotnet build "$root/FreeBind.Silo" -c Release -v q -nologo >"$run/build.log" 2>&1
    dotnet build "$root/FreeBind.Client" -c Release -v q -nologo >>"$run/build.log" 2>&1
fi
for binary in "$silo_dll" "$freebind"; do
    if [[ ! -e "$binary" ]]; then
        echo "error: $binary not found: run without --no-build" >&2
        exit 2
    fi
done

pids=()
stop_silos() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
    pids=()
}
trap stop_silos EXIT

# Sums a numeric field over the shard markers under $1/shards/.
sum_marker_field() {
    cat "$1"/shards/*.json | awk -v key="\"$2\"" '
        index($0, key ":") { v = $0; sub(/.*: */, "", v); sub(/,.*/, "", v); s += v }
        END { printf "%.2f", s }'
}

# A random base port, so a run does not collide with a silo left on the default ports.
base=$((20000 + RANDOM % 20000))
say "bench/scale.sh: $n images in shards of $shard_size, ResNet18, silo counts: $silo_counts, $(nproc) cores, base port $base"
for k in $silo_counts; do
    primary=$base
    for ((s = 0; s < k; s++)); do
        log="$run/silos$k-silo$s.log"
        # Created before the silo starts, so the wait below never greps a missing file.
        : >"$log"
        FreeBind__Cluster__SiloPort=$((base + s)) \
        FreeBind__Cluster__GatewayPort=$((base + 100 + s)) \
        FreeBind__Cluster__PrimarySiloPort=$primary \
        FreeBind__Silo__Gpus= \
        FreeBind__Silo__JobKeeperInterval=0 \
        Logging__Console__FormatterName=simple \
        Logging__Console__FormatterOptions__SingleLine=true \
            dotnet "$silo_dll" >"$log" 2>&1 &
        pids+=($!)

        # Each silo joins after the primary is up; wait for its host to finish starting.
        deadline=$((SECONDS + 120))
        until grep -q "Application started" "$log"; do
            if ((SECONDS > deadline)) || ! kill -0 "${pids[-1]}" 2>/dev/null; then
                echo "error: silo $s of $k did not start within 120 s; see $log" >&2
                exit 1
            fi
            sleep 0.5
        done
    done

    out="$run/out-silos$k"
    started=$SECONDS
    if ! "$freebind" embed --cluster --gateway $((base + 100)) --spaces "$spaces" --input "$manifest" \
        --output "$out" --modalities image --space resnet18 --shard-size "$shard_size" >"$run/silos$k.log" 2>&1; then
        say "$(printf '%d silo(s): FAILED after %d s; see %s' "$k" "$((SECONDS - started))" "$run/silos$k.log")"
        stop_silos
        base=$((base + 10))
        continue
    fi

    rate=$(sed -n 's|^ *time *[0-9.]* s, \([0-9.]*\) entries/s.*|\1|p' "$run/silos$k.log")
    job_seconds=$(sed -n 's|^ *time *\([0-9.]*\) s, .*|\1|p' "$run/silos$k.log")
    shard_seconds=$(sum_marker_field "$out" seconds)
    inference_seconds=$(sum_marker_field "$out" inferenceSeconds)
    outside=$(awk -v s="$shard_seconds" -v i="$inference_seconds" 'BEGIN { if (s > 0) printf "%.1f", 100 * (s - i) / s; else print "n/a" }')
    between=$(awk -v j="$job_seconds" -v s="$shard_seconds" -v k="$k" 'BEGIN { printf "%.1f", j - s / k }')
    # ShardEmbedder's event 200 is its "Shard N embedded" line, one per shard a silo ran.
    per_silo=""
    for ((s = 0; s < k; s++)); do
        per_silo+="${per_silo:+/}$(grep -c 'ShardEmbedder\[200\]' "$run/silos$k-silo$s.log" || true)"
    done
    say "$(printf '%d silo(s): %8s items/s  job %6.1f s  shards %6.1f s  inference %6.1f s  outside ONNX Runtime %5s %%  job minus shard time per silo %6s s  shards per silo %s' \
        "$k" "${rate:-n/a}" "${job_seconds:-0}" "$shard_seconds" "$inference_seconds" "$outside" "$between" "$per_silo")"
    stop_silos
    base=$((base + 10))
done
say "results: $run"
