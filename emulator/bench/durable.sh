#!/usr/bin/env bash
# Durable writes/s with --state, this build beside another one (BEFORE=path/to/smartag-emulator,
# say a release build of the previous commit), in the same run: signed creates (examples/loadgen)
# at 16 and 64 connections, each binary on a fresh state directory, alternated ROUNDS times so
# that both meet the same machine. See BENCHMARKS.md, "Durable writes before and after".
#
#   git worktree add /tmp/before HEAD~1 && cargo build --release --manifest-path /tmp/before/Cargo.toml -p smartag-emulator
#   BEFORE=/tmp/before/target/release/smartag-emulator emulator/bench/durable.sh
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-5}"
ROUNDS="${ROUNDS:-3}"
CONNECTIONS="${CONNECTIONS:-16 64}"
: "${BEFORE:?set BEFORE to the binary to compare with}"

cargo build --release -p smartag-emulator --bin smartag-emulator --example loadgen
AFTER=target/release/smartag-emulator
EX=target/release/examples
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    on_server=(taskset -c 0)
    on_client=(taskset -c 1)
else
    on_server=()
    on_client=()
fi

work="$(mktemp -d)"
pid=""
cleanup() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

printf '%s\n' "instance sag-bench region=cn-shanghai users=4000000 cidr=10.0.0.0/8" >"$work/fixtures"
start() { # BINARY: starts it on a fresh state directory; sets pid and url (empty if it failed)
    rm -rf "$work/state"
    "${on_server[@]}" "$1" --listen 127.0.0.1:0 --fixtures "$work/fixtures" --state "$work/state" \
        >"$work/out" 2>"$work/err" &
    pid=$!
    url=""
    for _ in $(seq 1 300); do
        url="$(sed -n 's/^listening on //p' "$work/out" 2>/dev/null | head -n1)"
        [ -n "$url" ] && return
        kill -0 "$pid" 2>/dev/null || return
        sleep 0.1
    done
}

run() { # LABEL BINARY CONNECTIONS
    for _ in 1 2 3; do
        start "$2"
        [ -n "$url" ] && break
        echo "$1: the emulator did not start (trying again):" >&2
        cat "$work/out" "$work/err" >&2
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    [ -n "$url" ] || exit 1
    "${on_client[@]}" "$EX/loadgen" --url "$url" --connections "$3" --duration "$DURATION" \
        --warmup 1 --label "$1"
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    pid=""
}

uptime
for round in $(seq 1 "$ROUNDS"); do
    for c in $CONNECTIONS; do
        run "before round=$round" "$BEFORE" "$c"
        run "after  round=$round" "$AFTER" "$c"
    done
done
