#!/usr/bin/env bash
# Instructions per operation for every generator variant of
# benches/instructions.rs, counted by callgrind: unlike time, the count does
# not move with the load of a shared machine, so a difference of a few
# percent between two variants is real.
#
#   scripts/instructions.sh            # N = 20000
#   N=100000 scripts/instructions.sh
#
# Each variant runs twice under `valgrind --tool=callgrind`, with N and
# 11*N operations; (Ir(11N) - Ir(N)) / 10N is its instructions per op, with
# start-up and set-up cancelled out. Prints a Markdown table with each
# variant's ratio to the hand-written baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "valgrind is needed: apt-get install valgrind" >&2; exit 1; }
N=${N:-20000}

bin=$(cargo bench --bench instructions --no-run 2>&1 |
    sed -n 's/.*Executable .*(\(.*instructions-[0-9a-f]*\)).*/\1/p' | tail -1)
[ -x "$bin" ] || { echo "could not build benches/instructions.rs" >&2; exit 1; }

ir() { # op variant n -> total instructions
    local out
    out=$(mktemp)
    valgrind --tool=callgrind --callgrind-out-file="$out" "$bin" "$1" "$2" "$3" 2>&1 |
        sed -n 's/.*Collected : *\([0-9]*\).*/\1/p'
    rm -f "$out"
}

echo "instructions per operation, callgrind, N=$N ($(date -u +%F), $(rustc --version))"
echo
echo "| operation | variant | instructions per op | × hand-written |"
echo "|---|---|---:|---:|"
"$bin" list | while read -r op variant; do
    small=$(ir "$op" "$variant" "$N")
    large=$(ir "$op" "$variant" $((11 * N)))
    per=$(python3 -c "print(($large - $small) / (10 * $N))")
    if [ "$variant" = baseline ]; then base=$per; fi
    ratio=$(python3 -c "print(f'{$per / $base:.2f}')")
    name=$([ "$op" = send ] && echo "running_sum per send" || echo "fibonacci_u64 per item")
    printf '| %s | %s | %.1f | %s× |\n' "$name" "$variant" "$per" "$ratio"
done
