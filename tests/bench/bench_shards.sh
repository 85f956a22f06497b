#!/usr/bin/env bash
# How long the sample sweep takes as 1, 2 and 4 shards run side by side (one thread each, as
# array tasks with --cpus-per-task=1 would), then merged; and that each merge gives the bytes
# of the single process. Usage: bench_shards.sh ROUTERLAB_CLI SAMPLE_DIR
set -euo pipefail
cli="$1"
sample="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"

# The workbench's ready-made experiment: five routers, 11 preferences, 3 seeds.
"$cli" sweep --dataset "$sample/sample.csv" --pool "$sample/sample.pool.json" \
    --router pickllm-ga --router pickllm-q --router thompson --router linucb --router barp \
    --seeds 3 --sessions length:100 --split random:0.5 --save-experiment experiment.json > /dev/null 2>&1
"$cli" sweep --experiment experiment.json --threads 1 --out single.json > /dev/null 2>&1

now() { date +%s.%N; }
echo "RouterLab shard benchmark: the sample sweep on $(nproc) core(s)"
printf '%-8s %10s %10s %10s\n' shards "shards s" "merge s" "total s"
for n in 1 2 4; do
    rm -rf "shards-$n"
    start=$(now)
    pids=()
    for ((i = 0; i < n; i++)); do
        "$cli" sweep --experiment experiment.json --threads 1 --shard "$i/$n" \
            --out "shards-$n" > /dev/null 2>&1 &
        pids+=($!)
    done
    for pid in "${pids[@]}"; do wait "$pid"; done
    merged=$(now)
    "$cli" merge "shards-$n" --out "result-$n.json" > /dev/null 2>&1
    done_at=$(now)
    cmp -s "result-$n.json" single.json || { echo "merge of $n shards differs" >&2; exit 1; }
    awk -v n="$n" -v a="$start" -v b="$merged" -v c="$done_at" \
        'BEGIN { printf "%-8d %10.2f %10.2f %10.2f\n", n, b - a, c - b, c - a }'
done
