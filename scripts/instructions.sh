#!/usr/bin/env bash
# Instructions per operation for every generator variant of
# benches/instructions.rs, counted by callgrind: unlike time, the count does
# not move with the load of a shared machine, so a difference of a few
# percent between two variants is real.
#
#   scripts/instructions.sh                 # every variant, N = 20000
#   N=100000 scripts/instructions.sh
#   scripts/instructions.sh 'send async'    # only the lines of `list` that match
#
# Each variant runs twice under `valgrind --tool=callgrind` and the
# difference is divided by the number of extra operations, so that
# start-up, set-up, creation and drop cancel out:
#
# * per send: one primed running_sum, N and 11*N sends;
# * per item: N/8 fibonacci_u64 generators, each built, drained of 8 and
#   then 88 items, and dropped;
# * per anext: one async generator ticker, N and 11*N awaited anexts, each
#   an await of asyncio.sleep(0) (pending once) and a yield.
#
# Prints a Markdown table: instructions per op, the ratio to the
# hand-written baseline, the ratio of each pygen backend to the same
# library used raw, and whether the targets are met (pygen's variants
# only; see TARGETS below).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
N=${N:-20000}
FILTER=${1:-}

bin=$(cargo bench --bench instructions --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*instructions-[0-9a-f]*\)).*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build benches/instructions.rs" >&2; exit 1; }

ir() { # args for the binary -> total instructions
    local out
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$@" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
    rm -f "$out"
}

runs=$((N / 8))
results=$(mktemp)
trap 'rm -f "$results"' EXIT
"$bin" list | grep -e "$FILTER" | while read -r op variant; do
    if [ "$op" = send ] || [ "$op" = anext ]; then
        small=$(ir "$op" "$variant" "$N")
        large=$(ir "$op" "$variant" $((11 * N)))
        ops=$((10 * N))
    else
        small=$(ir item "$variant" "$runs" 8)
        large=$(ir item "$variant" "$runs" 88)
        ops=$((80 * runs))
    fi
    echo "$op $variant $small $large $ops" >>"$results"
done

echo "instructions per operation, callgrind, N=$N ($(date -u +%F), $(rustc --version))"
echo
python3 - "$results" <<'EOF'
import sys

# The targets, for pygen's backends: instructions per op as a multiple of
# the hand-written baseline, and at most 10% over the same library used raw.
TARGETS = {
    ("item", "nightly"): 1.3, ("send", "nightly"): 1.3,
    ("item", "async-stream"): 4.5, ("send", "async-stream"): 3.5,
    ("item", "genawaiter"): 5.5, ("send", "genawaiter"): 6.0,
}
OVER_RAW = 1.10
NAMES = {"item": "fibonacci_u64 per item", "send": "running_sum per send",
         "anext": "ticker per awaited anext"}

per = {}
order = []
for line in open(sys.argv[1]):
    op, variant, small, large, ops = line.split()
    per[op, variant] = (int(large) - int(small)) / int(ops)
    order.append((op, variant))

print("| operation | variant | instructions per op | × hand-written | pygen ÷ raw | target | met |")
print("|---|---|---:|---:|---:|---|---|")
for op, variant in order:
    value = per[op, variant]
    base = per.get((op, "baseline"))
    ratio = f"{value / base:.2f}×" if base else ""
    library, _, kind = variant.partition("/")
    over_raw, target, met = "", "", ""
    if kind == "pygen" and (op, library) in TARGETS:
        raw = per.get((op, library + "/raw"))
        limit = TARGETS[op, library]
        target = f"≤ {limit}× hand-written, ≤ {OVER_RAW:.2f}× raw"
        if raw:
            over_raw = f"{value / raw:.2f}×"
        if base and raw:
            misses = []
            if value / base > limit:
                misses.append("× hand-written")
            if value / raw > OVER_RAW:
                misses.append("÷ raw")
            met = "met" if not misses else "not met (" + ", ".join(misses) + ")"
        else:
            met = "not measured (needs the baseline and raw rows)"
    print(f"| {NAMES[op]} | {variant} | {value:.1f} | {ratio} | {over_raw} | {target} | {met} |")
EOF
