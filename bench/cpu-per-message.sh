#!/usr/bin/env bash
# Server CPU time per message (issues 10 and 12): utime + stime of the server process over an
# smtp-source run, per message, for several server variants measured in turns (A/B/A/B...), so
# that other load on a shared machine hits every variant alike. smtp-source is not counted.
#
# Usage: bench/cpu-per-message.sh [variant ...]          (default: smtp-sink mailsink)
#        bench/cpu-per-message.sh --snapshot NAME        (freeze the current build as NAME)
#
# A variant is a word; what it runs comes from the environment, with defaults:
#   <V>_KIND  BenchServer kind: mailsink | mailsink-platform | mailsink-untraced | greenmail,
#             or smtp-sink (postfix)                     default: mailsink (smtp-sink for "smtp-sink")
#   <V>_JAVA  the java binary                            default: java
#   <V>_OPTS  JVM options                                default: $BENCH_JAVA_OPTS (-Xmx2g, see run.sh)
#   <V>_CP    a snapshot name (see --snapshot) or a classpath   default: the current build
# (variant names with '-' use '_' in these variables: smtp-sink -> smtp_sink_KIND).
# Example: compare the last commit's build with the work tree's, and Serial GC:
#   bench/cpu-per-message.sh --snapshot before      # (on the old build)
#   before_CP=before serial_OPTS="-Xmx2g -XX:+UseSerialGC" \
#     bench/cpu-per-message.sh before mailsink serial
#
# Knobs: ROUNDS=5  MESSAGES=15000  SESSIONS=8  BYTES=1024  WARMUP=20000 (messages per variant,
#   in two runs, before the first round)  BREAKDOWN=1 (CPU by thread group: sessions, GC, JIT...)
#   PERF=1 (also count page faults, context switches and migrations per message with perf stat)
#   BENCH_NICE  BENCH_MVN_ARGS  NO_BUILD=1 (use the build as it is)
# Prints one line per run and a table (median, min, max µs/msg, msgs/s) to stdout.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
ROUNDS=${ROUNDS:-5}
MESSAGES=${MESSAGES:-15000}
SESSIONS=${SESSIONS:-8}
BYTES=${BYTES:-1024}
WARMUP=${WARMUP:-20000}
BREAKDOWN=${BREAKDOWN:-0}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx2g"}
BENCH_MVN_ARGS=${BENCH_MVN_ARGS:-}
NICE=()
[[ -n "${BENCH_NICE:-}" ]] && NICE=(nice -n "$BENCH_NICE")
LOG_DIR="$BENCH_DIR/target/cpu-logs"
SNAPSHOTS="$BENCH_DIR/target/snapshots"
PATH="$PATH:/usr/sbin:/usr/bin"
CLK_TCK=$(getconf CLK_TCK)
mkdir -p "$LOG_DIR" "$SNAPSHOTS"

log() { printf '%s\n' "$*" >&2; }
die() { log "cpu-per-message: $*"; exit 1; }

build() {
  [[ -n "${NO_BUILD:-}" ]] && return 0
  rm -rf "$BENCH_DIR/target/lib"
  # shellcheck disable=SC2086
  (cd "$ROOT" && mvn -q -B -o $BENCH_MVN_ARGS -Pbench -pl bench -am package -DskipTests) \
    >"$LOG_DIR/build.log" 2>&1 || { cat "$LOG_DIR/build.log" >&2; die "build failed"; }
}

if [[ ${1:-} == --snapshot ]]; then
  [[ -n ${2:-} ]] || die "--snapshot needs a name"
  build
  rm -rf "${SNAPSHOTS:?}/$2"
  mkdir -p "$SNAPSHOTS/$2"
  cp -r "$BENCH_DIR/target/classes" "$BENCH_DIR/target/lib" "$SNAPSHOTS/$2/"
  log "cpu-per-message: snapshot $2 of $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- core || echo '+changes')"
  git -C "$ROOT" rev-parse --short HEAD >"$SNAPSHOTS/$2/commit"
  exit 0
fi

VARIANTS=("$@")
[[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=(smtp-sink mailsink)
build

setting() { # variant, key, default
  local name="${1//-/_}_$2"
  printf '%s' "${!name:-$3}"
}

declare -A PID PORT IN OUT
cleanup() {
  local v
  for v in "${!PID[@]}"; do kill "${PID[$v]}" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_for_port() {
  for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$1"
}

start() { # variant, port
  local v=$1 port=$2 kind java opts cp fd_in fd_out line fd
  kind=$(setting "$v" KIND "$([[ $v == smtp-sink ]] && echo smtp-sink || echo mailsink)")
  [[ -z "$(ss -Hltn "( sport = :$port )")" ]] || die "port $port is in use"
  PORT[$v]=$port
  if [[ $kind == smtp-sink ]]; then
    local user=()
    [[ $EUID -eq 0 ]] && user=(-u nobody)
    "${NICE[@]}" smtp-sink "${user[@]}" "127.0.0.1:$port" 1024 >"$LOG_DIR/$v.log" 2>&1 &
    PID[$v]=$!
    wait_for_port "$port"
    return
  fi
  java=$(setting "$v" JAVA java)
  opts=$(setting "$v" OPTS "$BENCH_JAVA_OPTS")
  cp=$(setting "$v" CP "")
  if [[ -z $cp ]]; then
    cp="$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*"
  elif [[ -d "$SNAPSHOTS/$cp" ]]; then
    cp="$SNAPSHOTS/$cp/classes:$SNAPSHOTS/$cp/lib/*"
  fi
  rm -f "$LOG_DIR/$v.in" "$LOG_DIR/$v.out"
  mkfifo "$LOG_DIR/$v.in" "$LOG_DIR/$v.out"
  # shellcheck disable=SC2086
  (
    for fd in "${IN[@]}" "${OUT[@]}"; do exec {fd}>&-; done
    exec "${NICE[@]}" "$java" $opts -cp "$cp" dev.mailsink.bench.BenchServer "$kind" "$port"
  ) <"$LOG_DIR/$v.in" >"$LOG_DIR/$v.out" 2>"$LOG_DIR/$v.err" &
  PID[$v]=$!
  exec {fd_in}>"$LOG_DIR/$v.in" {fd_out}<"$LOG_DIR/$v.out"
  IN[$v]=$fd_in
  OUT[$v]=$fd_out
  read -r -t 60 line <&"$fd_out" || die "$v did not start; see $LOG_DIR/$v.err"
  [[ $line == READY* ]] || die "$v said '$line'"
}

ticks() { awk '{ print $14 + $15, $15 }' "/proc/$1/stat"; } # total, system

# CPU ticks per thread group of a process: "group ticks" lines (digits dropped from thread names)
thread_ticks() {
  local f
  for f in /proc/"$1"/task/*/stat; do
    cat "$f" 2>/dev/null || true
  done | sed -E 's/^[0-9]+ \((.*)\) /\1\t/' |
    awk -F'\t' '{ split($2, a, " "); n = $1; gsub(/[0-9]+/, "", n); t[n] += a[12] + a[13] }
      END { for (n in t) printf "%s\t%d\n", n, t[n] }'
}

# runs smtp-source; prints "µs/msg msgs/s system-µs/msg"
run() { # variant, messages
  local v=$1 n=$2 before after sys_before sys_after start end line
  [[ $BREAKDOWN == 1 ]] && thread_ticks "${PID[$v]}" >"$LOG_DIR/$v.threads.before"
  local perf_pid=""
  if [[ ${PERF:-0} == 1 ]]; then
    perf stat -x, -e page-faults,context-switches,cpu-migrations -p "${PID[$v]}" \
      -o "$LOG_DIR/$v.perf" 2>/dev/null &
    perf_pid=$!
    sleep 0.2
  fi
  read -r before sys_before <<<"$(ticks "${PID[$v]}")"
  start=$(date +%s%N)
  "${NICE[@]}" smtp-source -m "$n" -s "$SESSIONS" -l "$BYTES" -M bench.test \
    -f source@bench.test -t sink@mailsink.test "127.0.0.1:${PORT[$v]}" \
    >"$LOG_DIR/smtp-source.log" 2>&1 || die "smtp-source failed on $v: $(head -c 300 "$LOG_DIR/smtp-source.log")"
  end=$(date +%s%N)
  read -r after sys_after <<<"$(ticks "${PID[$v]}")"
  [[ $BREAKDOWN == 1 ]] && thread_ticks "${PID[$v]}" >"$LOG_DIR/$v.threads.after"
  if [[ -n $perf_pid ]]; then
    kill -INT "$perf_pid"
    wait "$perf_pid" || true
  fi
  if [[ -n "${IN[$v]:-}" ]]; then
    echo take >&"${IN[$v]}"
    read -r -t 120 line <&"${OUT[$v]}" || die "$v did not answer take"
    [[ $line == "TAKEN $n "* ]] || die "$v stored '$line', sent $n"
  fi
  awk -v t=$((after - before)) -v s=$((sys_after - sys_before)) -v hz="$CLK_TCK" -v n="$n" \
    -v ns=$((end - start)) \
    'BEGIN { printf "%.0f %.0f %.0f\n", t / hz * 1e6 / n, n / (ns / 1e9), s / hz * 1e6 / n }'
}

breakdown() { # variant, messages: µs/msg per thread group, this run
  join -t $'\t' -a 2 -e 0 -o 0,1.2,2.2 <(sort "$LOG_DIR/$1.threads.before") \
    <(sort "$LOG_DIR/$1.threads.after") |
    awk -F'\t' -v hz="$CLK_TCK" -v n="$2" '{ d = ($3 - $2) / hz * 1e6 / n; if (d >= 1) printf " %s=%.0f", $1, d }'
}

port=25300
for v in "${VARIANTS[@]}"; do
  start "$v" $port
  port=$((port + 1))
done
log "cpu-per-message: load average $(cut -d' ' -f1-3 /proc/loadavg); ${SESSIONS} sessions x ${BYTES} B, ${MESSAGES} messages per run, ${ROUNDS} rounds"
for v in "${VARIANTS[@]}"; do
  run "$v" $((WARMUP / 2)) >/dev/null
  run "$v" $((WARMUP / 2)) >/dev/null
done
declare -A CPUS RATES
for ((r = 1; r <= ROUNDS; r++)); do
  for v in "${VARIANTS[@]}"; do
    read -r cpu rate sys <<<"$(run "$v" "$MESSAGES")"
    CPUS[$v]+="$cpu "
    RATES[$v]+="$rate "
    extra=""
    [[ $BREAKDOWN == 1 ]] && extra=$(breakdown "$v" "$MESSAGES")
    [[ ${PERF:-0} == 1 ]] && extra+=$(awk -F, -v n="$MESSAGES" \
      '$3 ~ /[a-z]/ { printf " %s/msg=%.2f", $3, $1 / n }' "$LOG_DIR/$v.perf")
    echo "round $r $v: $cpu µs/msg (system $sys), $rate msgs/s;$extra"
  done
done
log "cpu-per-message: load average after $(cut -d' ' -f1-3 /proc/loadavg)"
stats() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { printf "%s | %s | %s", a[int((NR + 1) / 2)], a[1], a[NR] }'; }
echo
echo "| variant | µs/msg median | min | max | msgs/s median | min | max |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for v in "${VARIANTS[@]}"; do
  # shellcheck disable=SC2086
  echo "| $v | $(stats ${CPUS[$v]}) | $(stats ${RATES[$v]}) |"
done
