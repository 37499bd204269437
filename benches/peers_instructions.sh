#!/bin/sh
# Instructions per call of every case of benches/peers.rs, under callgrind, from one build:
#
#   cargo bench --bench peers --no-run      # prints the binary, target/release/deps/peers-*
#   benches/peers_instructions.sh target/release/deps/peers-HASH > peers.tsv
#
# Each case runs alone (`--profile-time 1`) with only the validating function counted
# (`--collect-atstart=no --toggle-collect=FUNCTION`); the figure is what it cost when called
# from `Bencher::iter`, divided by those calls (the one check before the timing is left out).
# Prints one line per case: validator, input, instructions per call.
set -eu
bin=${1:?usage: benches/peers_instructions.sh PEERS_BENCH_BINARY}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
inputs="valid invalid_region invalid_id invalid_name invalid_password invalid_mail invalid_bandwidth invalid_ip"
for input in $inputs; do
    for who in smartag_rules garde_borrowed validator_borrowed garde_owned validator_owned; do
        case $who in
        smartag_rules) fn='smartag_rules::ops::create::CreateClientUserRaw::validate' ;;
        garde_*) fn='garde::validate::Validate::validate' ;;
        validator_borrowed) fn='<peers::PeerBorrowed as validator::traits::Validate>::validate' ;;
        validator_owned) fn='<peers::PeerOwned as validator::traits::Validate>::validate' ;;
        esac
        valgrind --tool=callgrind --callgrind-out-file="$out/cg" --collect-atstart=no \
            --toggle-collect="$fn" "$bin" --bench --profile-time 1 \
            "create_request/$who/$input\$" >/dev/null 2>"$out/log" || {
            cat "$out/log" >&2
            exit 1
        }
        # "  385,348,740 (99.31%)  < ???:criterion::bencher::Bencher<M>::iter (131,071x) [...]"
        callgrind_annotate --tree=caller --inclusive=yes "$out/cg" 2>/dev/null |
            grep -m1 '< ???:criterion::bencher::Bencher<M>::iter (' |
            tr -d ',' |
            awk -v who="$who" -v input="$input" '{
                calls = $0; sub(/.*iter \(/, "", calls); sub(/x\).*/, "", calls)
                printf "%s\t%s\t%.1f\n", who, input, $1 / calls
            }'
    done
done
