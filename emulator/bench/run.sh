#!/usr/bin/env bash
# The emulator's benchmarks, side by side in one run (see BENCHMARKS.md, section "Emulator"):
#
# - signed state-changing requests (examples/loadgen.rs: every request RPC-signed, a user
#   created with a new name each time) at 16 and 64 connections against
#     the floor (examples/floor.rs: the same HTTP stack answering a canned 200),
#     the emulator in memory with 10 users and with 1M users preloaded (fixtures),
#     the emulator with --state (every 200 synced to disk) with 10 users and with 1M users;
# - wrk where signing is not needed: the floor, the emulator's health endpoint, and moto's
#   server doing IAM CreateUser (a new user per request, bench/moto_create_user.lua).
#
# Needs: wrk (apt-get install -y wrk) and moto (python3 -m venv /tmp/motovenv &&
# /tmp/motovenv/bin/pip install 'moto[server]'); MOTO_SERVER overrides the path. Set
# DURATION (seconds per run, default 5), USERS (default 1000000), CONNECTIONS (default "16 64").
#
# With taskset and at least two CPUs, every server (the floor, the emulator, moto) runs pinned to
# SERVER_CPUS (default 0) and every load generator (loadgen, wrk) to CLIENT_CPUS (default 1), so
# that the two never compete for a core; PIN=0 runs them unpinned.
set -euo pipefail
cd "$(dirname "$0")/../.."

DURATION="${DURATION:-5}"
USERS="${USERS:-1000000}"
CONNECTIONS="${CONNECTIONS:-16 64}"
MOTO_SERVER="${MOTO_SERVER:-/tmp/motovenv/bin/moto_server}"
SERVER_CPUS="${SERVER_CPUS:-0}"
CLIENT_CPUS="${CLIENT_CPUS:-1}"
if [ "${PIN:-1}" != 0 ] && command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    # Arrays, not functions: `taskset` execs the program, so `$!` is the server's own PID.
    on_server=(taskset -c "$SERVER_CPUS")
    on_client=(taskset -c "$CLIENT_CPUS")
    PINNING="servers on CPU $SERVER_CPUS, load generators on CPU $CLIENT_CPUS"
else
    on_server=()
    on_client=()
    PINNING="none"
fi

cargo build --release -p smartag-emulator --bin smartag-emulator \
    --example loadgen --example floor --example preload
BIN=target/release/smartag-emulator
EX=target/release/examples

work="$(mktemp -d)"
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# start NAME COMMAND...: runs it, waits for its "listening on http://..." line, sets URL.
start() {
    local name="$1"
    shift
    "${on_server[@]}" "$@" >"$work/$name.out" 2>"$work/$name.err" &
    pids+=("$!")
    PID="$!"
    for _ in $(seq 1 1200); do
        if grep -q '^listening on http://' "$work/$name.out" 2>/dev/null; then
            URL="$(sed -n 's/^listening on //p' "$work/$name.out" | head -n1)"
            return
        fi
        sleep 0.1
    done
    echo "$name did not start:" >&2
    cat "$work/$name.err" >&2
    exit 1
}

stop() {
    kill "$PID" 2>/dev/null || true
    wait "$PID" 2>/dev/null || true
}

rss() { awk '/VmRSS/ {print $2 " KiB"}' "/proc/$PID/status"; }

# timed TEXT NAME COMMAND...: start NAME, then print TEXT, how long it took to listen, its VmRSS.
timed() {
    local text="$1" t0
    shift
    t0=$(date +%s.%N)
    start "$@"
    echo "$text in $(echo "$(date +%s.%N) - $t0" | bc) s, VmRSS $(rss)"
}

signed() { # LABEL: loadgen at each connection count against $URL
    for c in $CONNECTIONS; do
        "${on_client[@]}" "$EX/loadgen" --url "$URL" --connections "$c" --duration "$DURATION" --warmup 1 \
            --label "$1"
    done
}

wrk_get() { # LABEL PATH
    for c in $CONNECTIONS; do
        printf '%s wrk GET %s connections=%s: ' "$1" "$2" "$c"
        "${on_client[@]}" wrk -t2 -c"$c" -d"${DURATION}s" --latency "$URL$2" |
            awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
                 END {printf "rps=%s p50=%s p99=%s non2xx=%s\n", rps, p50, p99, bad+0}'
    done
}

echo "== machine"
nproc
grep -m1 'model name' /proc/cpuinfo || true
uptime
echo "pinning: $PINNING"
echo "== versions"
rustc --version
wrk --version 2>&1 | head -n1 || true
"$MOTO_SERVER" --version 2>/dev/null || /tmp/motovenv/bin/pip show moto 2>/dev/null | grep -i '^version' || true

echo "== preload: $USERS users (fixtures for memory, a state directory for --state)"
printf '%s\n' "instance sag-bench region=cn-shanghai users=4000000 cidr=10.0.0.0/8" >"$work/fixtures-10"
for i in $(seq 0 9); do
    printf 'Action=CreateSmartAccessGatewayClientUser&RegionId=cn-shanghai&SmartAGId=sag-bench&UserName=ten%06d&Password=duuf1234&UserMail=t%%40example.com\n' "$i" >>"$work/fixtures-10"
done
"$EX/preload" --users "$USERS" --state "$work/state-big" --fixtures-out "$work/fixtures-big"

echo "== floor (canned 200, same HTTP stack)"
start floor "$EX/floor" 127.0.0.1:0
signed "floor"
wrk_get "floor" "/"
stop

echo "== emulator in memory, 10 users"
start mem10 "$BIN" --listen 127.0.0.1:0 --fixtures "$work/fixtures-10"
signed "memory-10"
wrk_get "memory-10" "/_emulator/health"
echo "memory-10 VmRSS after: $(rss)"
stop

echo "== emulator in memory, $USERS users (fixtures)"
timed "memory-big started" membig "$BIN" --listen 127.0.0.1:0 --fixtures "$work/fixtures-big"
signed "memory-big"
stop

echo "== emulator --state, 10 users"
start state10 "$BIN" --listen 127.0.0.1:0 --fixtures "$work/fixtures-10" --state "$work/state-10"
signed "state-10"
stop

echo "== emulator --state, $USERS users (preloaded directory)"
timed "state-big started" statebig "$BIN" --listen 127.0.0.1:0 --state "$work/state-big"
signed "state-big"
stop
timed "state-big restarted (replay of this run's log; compacted only if it outgrew the snapshot)" \
    statebig2 "$BIN" --listen 127.0.0.1:0 --state "$work/state-big"
stop

echo "== moto_server, IAM CreateUser"
if [ -x "$MOTO_SERVER" ]; then
    port=$((20000 + RANDOM % 20000))
    "${on_server[@]}" "$MOTO_SERVER" -p "$port" >"$work/moto.out" 2>&1 &
    pids+=("$!")
    PID="$!"
    for _ in $(seq 1 100); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.2
    done
    for c in $CONNECTIONS; do
        printf 'moto wrk POST CreateUser connections=%s: ' "$c"
        "${on_client[@]}" wrk -t2 -c"$c" -d"${DURATION}s" --latency -s emulator/bench/moto_create_user.lua \
            "http://127.0.0.1:$port/" |
            awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /non-2xx answers/ {bad=$3}
                 END {printf "rps=%s p50=%s p99=%s non2xx=%s\n", rps, p50, p99, bad+0}'
    done
    stop
else
    echo "moto_server not found at $MOTO_SERVER: skipped"
fi
