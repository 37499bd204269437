#!/bin/sh
# Instructions per call of every case of examples/instructions.rs, under callgrind: only what
# runs inside its `measured` function is counted, and the total is divided by the calls.
#
#   cargo build --release --example instructions
#   benches/instructions.sh target/release/examples/instructions [COUNT] > after.tsv
#
# For a side-by-side table, build the same examples/instructions.rs against an older checkout
# (copy the file into its examples/) and run this script on both binaries. Prints one line per
# case: the case, then the instructions per call (two decimals).
set -eu
bin=${1:?usage: benches/instructions.sh BINARY [COUNT]}
count=${2:-2560}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for case in $("$bin" list); do
    valgrind --tool=callgrind --callgrind-out-file="$out/$case" --collect-atstart=no \
        --toggle-collect='instructions::measured*' "$bin" "$case" "$count" \
        >/dev/null 2>"$out/$case.log" || {
        cat "$out/$case.log" >&2
        exit 1
    }
    total=$(sed -n 's/^totals: *//p' "$out/$case")
    awk -v c="$case" -v t="$total" -v n="$count" 'BEGIN { printf "%s\t%.2f\n", c, t / n }'
done
