#!/usr/bin/env bash
# Embedding throughput benchmark: the freebind pipeline against bare ONNX Runtime.
#
# Usage: bench/embed.sh [--quick] [--n N] [--rounds R] [--sampling S] [--no-build]
#   --n N       images per run (default 512)
#   --rounds R  pipeline/bare pairs to run (default 2)
#   --sampling S  chroma subsampling of the generated JPEGs: 4:4:4 (default, ImageMagick's
#               choice at quality 90) or 4:2:0 (the default of libjpeg and Pillow)
#   --quick     N=64, for a check that the script works
#   --no-build  reuse the existing Release builds of FreeBind.Client and bench/FreeBind.Bench
#
# What it does, from the repository root it lives in:
#   1. Generates N 640x480 JPEGs with ImageMagick (plasma:, one seed per image, quality 90) into
#      bench/results/images/ (4:2:0: images-420/) and reuses them on later runs. Generation is
#      not measured.
#   2. (a) pipeline: `freebind embed --modalities image --space resnet18` (in-process silo,
#      ResNet18 with its preprocessing model, batch size 16 from samples/spaces.json) on a JSONL
#      manifest of the N images, under /usr/bin/time -v. Reports the job's entries/s from the
#      CLI summary, the whole-process wall time, max RSS, and the shard markers' seconds and
#      inferenceSeconds (summed over the inference streams, so up to streams × seconds).
#   3. (b) bare: bench/FreeBind.Bench loads the same encoder through EncoderCatalog and reports
#      the steady preprocessing time per image on one thread. It preprocesses the N images once
#      without timing it, then times only OnnxEncoder.Encode, run by as many concurrent streams
#      as the encoder's inference plan gives the pipeline.
#   4. Runs a b a b (R pairs) and reports the best of each and the ratio of the bests. It also
#      reports the ratio within each pair and their median, because a pair runs back to back and
#      so shares the machine's load at that moment.
#   5. Runs (a) once more on a manifest that lists the N images 10 times, for max RSS at 10N.
# Logs and outputs go to bench/results/run-<UTC time>-n<N>/; summary.txt there has the numbers.
# FreeBind__Encoders__* environment variables (for example FreeBind__Encoders__IntraOpThreads)
# reach both the pipeline and the bare program.
set -euo pipefail

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'
}

n=512
rounds=2
build=1
sampling=4:4:4
while [[ $# -gt 0 ]]; do
    case "$1" in
        --quick) n=64; shift ;;
        --n) n="${2:?--n needs a number of images}"; shift 2 ;;
        --rounds) rounds="${2:?--rounds needs a number of pairs}"; shift 2 ;;
        --sampling) sampling="${2:?--sampling needs 4:4:4 or 4:2:0}"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "error: unknown argument '$1'; run bench/embed.sh --help" >&2; exit 2 ;;
    esac
done
if ! [[ "$n" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --n '$n' is not a positive whole number" >&2
    exit 2
fi
if ! [[ "$rounds" =~ ^[1-9][0-9]*$ ]]; then
    echo "error: --rounds '$rounds' is not a positive whole number" >&2
    exit 2
fi
case "$sampling" in
    4:4:4) image_folder=images ;;
    4:2:0) image_folder=images-420 ;;
    *) echo "error: --sampling '$sampling' is not 4:4:4 or 4:2:0" >&2; exit 2 ;;
esac

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results="$root/bench/results"
images="$results/$image_folder"
run="$results/run-$(date -u +%Y%m%d-%H%M%S)-n$n${image_folder#images}"
freebind="$root/FreeBind.Client/bin/Release/net10.0/linux-x64/freebind"
bare="$root/bench/FreeBind.Bench/bin/Release/net10.0/linux-x64/freebind-bench"
spaces="$root/samples/spaces.json"
convert=/usr/bin/convert

for tool in "$convert" /usr/bin/time awk nproc; do
    if ! command -v "$tool" >/dev/null; then
        echo "error: $tool not found: install ImageMagick (imagemagick) and GNU time (time) with apt-get" >&2
        exit 2
    fi
done

mkdir -p "$images" "$run"
summary="$run/summary.txt"
say() { echo "$*" | tee -a "$summary"; }

# --- 1. images (not measured) --------------------------------------------------------------
missing=()
for ((i = 0; i < n; i++)); do
    [[ -s "$(printf '%s/img-%05d.jpg' "$images" "$i")" ]] || missing+=("$i")
done
if [[ ${#missing[@]} -gt 0 ]]; then
    echo "generating ${#missing[@]} $sampling images of 640x480 into $images (not measured)..." >&2
    # Each image goes to a .part file first, so an interrupted run leaves no truncated JPEG.
    printf '%s\n' "${missing[@]}" | xargs -P "$(nproc)" -n 1 bash -c '
        f=$(printf "%s/img-%05d.jpg" "$1" "$3")
        "$0" -size 640x480 -seed "$3" plasma: -quality 90 -sampling-factor "$2" "jpg:$f.part" && mv "$f.part" "$f"
    ' "$convert" "$images" "$sampling"
fi

write_manifest() { # copies ids
    local copies=$1 path=$2 copy i
    : >"$path"
    for ((copy = 0; copy < copies; copy++)); do
        for ((i = 0; i < n; i++)); do
            printf '{"id": "c%d-img-%05d", "image": "img-%05d.jpg"}\n' "$copy" "$i" "$i" >>"$path"
        done
    done
}
manifest="$images/manifest-$n.jsonl"
manifest10="$images/manifest-$((n * 10)).jsonl"
write_manifest 1 "$manifest"
write_manifest 10 "$manifest10"

# --- build ---------------------------------------------------------------------------------
if [[ $build -eq 1 ]]; then
    echo "building Release (FreeBind.Client, bench/FreeBind.Bench)..." >&2
    dotnet build "$root/FreeBind.Client" -c Release -v q -nologo >"$run/build.log" 2>&1
    dotnet build "$root/bench/FreeBind.Bench" -c Release -v q -nologo >>"$run/build.log" 2>&1
fi
for binary in "$freebind" "$bare"; do
    if [[ ! -x "$binary" ]]; then
        echo "error: $binary not found: run without --no-build" >&2
        exit 2
    fi
done

# --- measurements --------------------------------------------------------------------------
# Parses "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:12.34" into seconds.
wall_seconds() {
    awk -F': ' '/Elapsed \(wall clock\)/ {
        k = split($2, p, ":"); s = 0
        for (j = 1; j <= k; j++) s = s * 60 + p[j]
        printf "%.2f", s
    }' "$1"
}

# Sums a numeric field over the shard markers under $1/shards/.
sum_marker_field() {
    cat "$1"/shards/*.json | awk -v key="\"$2\"" '
        index($0, key ":") { v = $0; sub(/.*: */, "", v); sub(/,.*/, "", v); s += v }
        END { printf "%.2f", s }'
}

# Runs the pipeline on manifest $2; sets rate, wall, rss_mb, shard_seconds, inference_seconds.
# Returns 1, after recording how the process ended, when freebind fails.
run_pipeline() {
    local label=$1 input=$2 out="$run/out-$1"
    if ! /usr/bin/time -v -o "$run/$label.time" "$freebind" embed \
        --spaces "$spaces" --input "$input" --output "$out" \
        --modalities image --space resnet18 >"$run/$label.log" 2>"$run/$label.err"; then
        say "$(printf '%-16s FAILED (%s) after %s s; see %s.log and %s.err' "$label" \
            "$(head -n 1 "$run/$label.time")" "$(wall_seconds "$run/$label.time")" "$run/$label" "$run/$label")"
        return 1
    fi
    rate=$(sed -n 's|^ *time *[0-9.]* s, \([0-9.]*\) entries/s.*|\1|p' "$run/$label.log")
    job_seconds=$(sed -n 's|^ *time *\([0-9.]*\) s, .*|\1|p' "$run/$label.log")
    wall=$(wall_seconds "$run/$label.time")
    rss_mb=$(awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$run/$label.time")
    shard_seconds=$(sum_marker_field "$out" seconds)
    inference_seconds=$(sum_marker_field "$out" inferenceSeconds)
    if [[ -z "$rate" ]]; then
        echo "error: no 'time ... entries/s' line in $run/$label.log" >&2
        exit 1
    fi
    say "$(printf '%-16s %8s items/s  job %6.1f s  process %6.1f s  shards %6.1f s  inference %6.1f s  max RSS %5s MB' \
        "$label" "$rate" "$job_seconds" "$wall" "$shard_seconds" "$inference_seconds" "$rss_mb")"
}

# Runs the bare program; sets bare_rate.
run_bare() {
    local label=$1
    if ! "$bare" --spaces "$spaces" --input "$images" --count "$n" --space resnet18 >"$run/$label.log" 2>&1; then
        echo "error: bare run $label failed; see $run/$label.log" >&2
        exit 1
    fi
    bare_rate=$(sed -n 's|^bare: [0-9]* items in [0-9.]* s, \([0-9.]*\) items/s.*|\1|p' "$run/$label.log")
    say "$(printf '%-16s %8s items/s  (%s)' "$label" "$bare_rate" \
        "$(sed -n 's|^bare: [0-9]* items in \([0-9.]* s\), [0-9.]* items/s (\(.*\))|Encode wall \1, \2|p' "$run/$label.log")")"
    if [[ -z "${plan_reported:-}" ]]; then
        plan_reported=1
        say "$(printf '%-16s %s' "plan" "$(sed -n 's|^bare: encoder \(.*\), loaded in [0-9.]* s, \(.*\)|\1, \2|p' "$run/$label.log")")"
        say "$(printf '%-16s %s' "preprocessing" "$(sed -n 's|^bare: preprocessing on one thread takes \(.*\)|\1|p' "$run/$label.log")")"
    fi
}

say "embedding benchmark, N=$n $sampling JPEGs of 640x480, $(date -u '+%Y-%m-%d %H:%M UTC')"
say "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
say "encoder settings: FreeBind__Encoders__InferenceStreams=${FreeBind__Encoders__InferenceStreams:-unset} FreeBind__Encoders__IntraOpThreads=${FreeBind__Encoders__IntraOpThreads:-unset} FreeBind__Encoders__PreprocessParallelism=${FreeBind__Encoders__PreprocessParallelism:-unset}"

best_pipeline=0
best_bare=0
max_rss_n=0
pair_ratios=()
for round in $(seq 1 "$rounds"); do
    run_pipeline "pipeline-$round" "$manifest" || exit 1
    best_pipeline=$(awk -v a="$best_pipeline" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
    max_rss_n=$(awk -v a="$max_rss_n" -v b="$rss_mb" 'BEGIN { print (b > a ? b : a) }')
    run_bare "bare-$round"
    best_bare=$(awk -v a="$best_bare" -v b="$bare_rate" 'BEGIN { print (b > a ? b : a) }')
    pair_ratios+=("$(awk -v p="$rate" -v b="$bare_rate" 'BEGIN { printf "%.3f", p / b }')")
done
median_pair=$(printf '%s\n' "${pair_ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }')

# NOTE: on 2026-12-04 this run (N=256, 2560 images in 3 shards) crashed with SIGSEGV inside
# libonnxruntime.so; the cause is not confirmed, so a failure here is recorded, not fatal.
rss_10n="failed"
if run_pipeline "pipeline-10n" "$manifest10"; then
    rss_10n=$rss_mb
fi

ratio=$(awk -v p="$best_pipeline" -v b="$best_bare" 'BEGIN { printf "%.2f", p / b }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.90 ? "meets" : "MISSES") }')
say ""
say "best pipeline   $best_pipeline items/s"
say "best bare       $best_bare items/s"
say "ratio           $ratio ($verdict the 0.90 target)"
say "pair ratios     ${pair_ratios[*]} (median $median_pair)"
say "max RSS         ${max_rss_n} MB at N=$n, ${rss_10n} MB at 10N=$((n * 10))"
say "logs            $run"
