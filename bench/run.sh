#!/usr/bin/env bash
# Mailsink benchmarks (issue 2). Usage: bench/run.sh [all|ingest|memory|latency|quiet|readers]
# (default: all)
#
#   ingest  postfix smtp-source against smtp-sink (the C baseline), Mailsink and GreenMail, one new
#           connection per message; median msgs/s of RUNS runs per cell, Mailsink / smtp-sink, and
#           the servers' CPU time per message (utime + stime from /proc, smtp-source not counted).
#           Servers: smtp-sink, mailsink (on `java`, i.e. Java 17 here: platform threads),
#           mailsink-25 (on JAVA25: virtual threads, the default from Java 21, on as many carrier
#           threads as the standalone server and the Docker image give them: one fewer than the
#           processors, see docker/server CarrierThreads), mailsink-25-jdk-carriers (the same on the
#           JDK's default of one carrier per processor and CPU policy, as in a test JVM),
#           mailsink-25-platform (on JAVA25 with platform threads), mailsink-untraced (on `java`,
#           session transcripts off: recordSessions(false); with mailsink in SERVERS a table gives
#           the cost of recording, target at most 5 % at 1 KB), greenmail. The Mailsink servers run
#           their threads under SCHED_BATCH, as the standalone server does (docker/server
#           BatchScheduling), except mailsink-normal (Java 17) and mailsink-25-normal (Java 25,
#           the standalone's carriers) and mailsink-25-jdk-carriers, which keep the default policy.
#   latency Transport.send round trip to an in-process sink (p50/p99, a new connection per message,
#           as applications send) and Mailsink.start()+close() time, on `java` and on JAVA25.
#   quiet   the added time of a passing receivedExactly(1) (JUnit assertions): its quiet period,
#           against a quiet period of zero (issue 11); not part of `all`.
#   memory  retained heap of 10,000 x 10 KB messages in Mailsink, against their raw bytes.
#   readers reading READER_MESSAGES (10,000) captured messages back, Mailsink against GreenMail in
#           the same run (ReaderBench, one JVM per server and turn, the servers taking turns;
#           median of RUNS turns): IMAP login + open INBOX + FETCH ENVELOPE of all (Angus Mail),
#           POP3 login + LIST + RETR of all (raw-socket client). GreenMail's POP3 stalls ~40 ms
#           on every RETR (its replies go out in several small writes with Nagle on, and the
#           client's delayed ACK holds back all but the first), so an ordinary client RETRs only
#           the first READER_GREENMAIL_RETR (500) there and the total is extrapolated (labelled);
#           a second POP3 row, a client re-arming TCP_QUICKACK after every read, RETRs all
#           10,000 on both. Not part of `all`.
#
# Results go to stdout and bench/results/<mode>-<date>.md. Everything listens on
# 127.0.0.1 high ports only. Knobs (environment):
#   RUNS=3  TARGET_SECONDS=6  SERVERS="smtp-sink mailsink mailsink-25 greenmail"  CELLS="8x1K 64x1K 8x100K 8x1M"
#   JAVA25=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
#   BENCH_JAVA_OPTS="-Xmx2g"  (the JVM servers; no -Xms: a G1 heap fixed at 2 GiB kept touching fresh
#             pages, ~9 page faults and ~60 µs of kernel time per 1 KB message on this VM, for every
#             JVM server alike; a heap that grows as needed reuses its pages)
#   BENCH_MVN_ARGS=""  (e.g. -Dmaven.repo.local=...)
#   BENCH_NICE=""  (e.g. -10: run servers and load generator at that niceness, on a shared machine)
#   READER_MESSAGES=10000  READER_GREENMAIL_RETR=500  (readers)
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$BENCH_DIR")
MODE=${1:-all}
RUNS=${RUNS:-3}
TARGET_SECONDS=${TARGET_SECONDS:-6}
SERVERS=${SERVERS:-"smtp-sink mailsink mailsink-25 greenmail"}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CELLS=${CELLS:-"8x1K 64x1K 8x100K 8x1M"}
BENCH_JAVA_OPTS=${BENCH_JAVA_OPTS:-"-Xmx2g"}
BENCH_MVN_ARGS=${BENCH_MVN_ARGS:-}
BENCH_NICE=${BENCH_NICE:-}
READER_MESSAGES=${READER_MESSAGES:-10000}
READER_GREENMAIL_RETR=${READER_GREENMAIL_RETR:-500}
NICE=()
[[ -n "$BENCH_NICE" ]] && NICE=(nice -n "$BENCH_NICE")
TARGET_RATIO=0.8
TODAY=$(date +%F)
RESULTS_DIR="$BENCH_DIR/results"
LOG_DIR="$BENCH_DIR/target/logs"
PATH="$PATH:/usr/sbin:/usr/bin"

declare -A PORT=([smtp-sink]=25251 [mailsink]=25252 [greenmail]=25253 [mailsink-25]=25254
  [mailsink-25-platform]=25255 [mailsink-untraced]=25256 [mailsink-25-jdk-carriers]=25257
  [mailsink-normal]=25258 [mailsink-25-normal]=25259)
declare -A LABEL=([smtp-sink]="smtp-sink" [mailsink]="Mailsink (Java 17)" [greenmail]="GreenMail"
  [mailsink-25]="Mailsink (Java 25, virtual threads)"
  [mailsink-25-jdk-carriers]="Mailsink (Java 25, virtual threads, JDK default carriers and policy)"
  [mailsink-25-platform]="Mailsink (Java 25, platform threads)"
  [mailsink-untraced]="Mailsink (Java 17, no transcripts)"
  [mailsink-normal]="Mailsink (Java 17, default CPU policy)"
  [mailsink-25-normal]="Mailsink (Java 25, virtual threads, default CPU policy)")
# the BenchServer kind and the java of each JVM server
declare -A KIND=([mailsink]=mailsink [mailsink-25]=mailsink [mailsink-25-platform]=mailsink-platform
  [mailsink-untraced]=mailsink-untraced [greenmail]=greenmail [mailsink-25-jdk-carriers]=mailsink
  [mailsink-normal]=mailsink [mailsink-25-normal]=mailsink)
declare -A JAVA_OF=([mailsink]=java [mailsink-25]="$JAVA25" [mailsink-25-platform]="$JAVA25"
  [mailsink-untraced]=java [greenmail]=java [mailsink-25-jdk-carriers]="$JAVA25"
  [mailsink-normal]=java [mailsink-25-normal]="$JAVA25")
# the standalone server's carrier threads for virtual threads (docker/server CarrierThreads)
PROCESSORS=$(nproc)
STANDALONE_CARRIERS=$((PROCESSORS > 1 ? PROCESSORS - 1 : 1))
# and its CPU policy, SCHED_BATCH (docker/server BatchScheduling; BenchServer -Dbench.cpuScheduling)
BATCH="-Dbench.cpuScheduling=batch"
CARRIERS="-Djdk.virtualThreadScheduler.parallelism=$STANDALONE_CARRIERS"
declare -A OPTS_OF=([mailsink]="$BATCH" [mailsink-25]="$CARRIERS $BATCH" [mailsink-untraced]="$BATCH"
  [mailsink-25-platform]="$BATCH" [mailsink-25-normal]="$CARRIERS")
# cell -> "sessions bytes warm-up-messages"
declare -A CELL=(
  [8x1K]="8 1024 6000"
  [64x1K]="64 1024 6000"
  [8x100K]="8 102400 400"
  [8x1M]="8 1048576 80"
)

case "$MODE" in
  all | ingest | memory | latency | quiet | readers) ;;
  *) echo "usage: bench/run.sh [all|ingest|memory|latency|quiet|readers]" >&2; exit 2 ;;
esac

log() { printf '%s\n' "$*" >&2; }
die() { log "bench: $*"; exit 1; }

declare -A SRV_PID SRV_IN SRV_OUT
cleanup() {
  # only the processes this script started
  local pid
  for pid in "${SRV_PID[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "need root to run: $*"
  fi
}

port_25_listeners() { ss -Hltn '( sport = :25 )' 2>/dev/null || true; }

install_postfix() {
  command -v smtp-source >/dev/null && command -v smtp-sink >/dev/null && return 0
  log "bench: installing postfix for smtp-source/smtp-sink (its daemon is not started)"
  local backup=""
  if [[ -e /usr/sbin/policy-rc.d ]]; then
    backup=$(mktemp)
    as_root cp -p /usr/sbin/policy-rc.d "$backup"
  fi
  # policy-rc.d exiting 101 tells invoke-rc.d that no service may be started
  printf '#!/bin/sh\nexit 101\n' | as_root tee /usr/sbin/policy-rc.d >/dev/null
  as_root chmod 755 /usr/sbin/policy-rc.d
  echo "postfix postfix/main_mailer_type select No configuration" | as_root debconf-set-selections
  apt-cache show postfix >/dev/null 2>&1 || as_root apt-get update -q
  local rc=0
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends postfix || rc=$?
  if [[ -n "$backup" ]]; then
    as_root mv "$backup" /usr/sbin/policy-rc.d
  else
    as_root rm -f /usr/sbin/policy-rc.d
  fi
  [[ $rc -eq 0 ]] || die "apt-get install postfix failed ($rc)"
  if postfix status >/dev/null 2>&1; then
    as_root postfix stop || true
  fi
  if [[ -n "$(port_25_listeners)" ]]; then
    die "something listens on port 25 after installing postfix: $(port_25_listeners)"
  fi
}

build_bench() {
  # a stale jar of another core version would sit beside the new one on the classpath
  rm -rf "$BENCH_DIR/target/lib"
  # the reactor builds core (and whatever else bench needs) from this work tree: nothing installed
  # shellcheck disable=SC2086
  if ! (cd "$ROOT" && mvn -q -B $BENCH_MVN_ARGS -Pbench -pl bench -am package -DskipTests) \
    >"$LOG_DIR/build.log" 2>&1; then
    cat "$LOG_DIR/build.log" >&2
    die "building the bench module failed (mvn -Pbench -pl bench -am package)"
  fi
  CLASSPATH_BENCH="$BENCH_DIR/target/classes:$BENCH_DIR/target/lib/*"
}

wait_for_port() {
  local port=$1
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      return 0
    fi
    sleep 0.1
  done
  die "nothing listens on 127.0.0.1:$port"
}

# --- server control ----------------------------------------------------------------------------
# All servers run at once and the runs of one cell alternate between them, so that a burst of
# other load on the machine hits every server alike rather than one of them.

start_server() {
  local server=$1 port=${PORT[$1]}
  if [[ -n "$(ss -Hltn "( sport = :$port )")" ]]; then
    die "port $port is already in use"
  fi
  if [[ $server == smtp-sink ]]; then
    # -u: smtp-sink refuses to run as root without dropping privileges; backlog as Mailsink's
    local user=()
    [[ $EUID -eq 0 ]] && user=(-u nobody)
    "${NICE[@]}" smtp-sink "${user[@]}" "127.0.0.1:$port" 1024 >"$LOG_DIR/smtp-sink.log" 2>&1 &
    SRV_PID[$server]=$!
    wait_for_port "$port"
    return
  fi
  # a JVM server talks over two fifos: commands in, answers out (see BenchServer)
  local fifo_in="$LOG_DIR/$server.in" fifo_out="$LOG_DIR/$server.out" fd fd_in fd_out line
  rm -f "$fifo_in" "$fifo_out"
  mkfifo "$fifo_in" "$fifo_out"
  # shellcheck disable=SC2086
  (
    # the other servers' fifo ends must not leak into this one, or they never see end of input
    for fd in "${SRV_IN[@]}" "${SRV_OUT[@]}"; do
      exec {fd}>&-
    done
    exec "${NICE[@]}" "${JAVA_OF[$server]}" $BENCH_JAVA_OPTS ${OPTS_OF[$server]:-} -cp "$CLASSPATH_BENCH" \
      dev.mailsink.bench.BenchServer "${KIND[$server]}" "$port"
  ) <"$fifo_in" >"$fifo_out" 2>"$LOG_DIR/$server.err" &
  SRV_PID[$server]=$!
  exec {fd_in}>"$fifo_in" {fd_out}<"$fifo_out"
  SRV_IN[$server]=$fd_in
  SRV_OUT[$server]=$fd_out
  read -r -t 60 line <&"$fd_out" || die "$server did not start; see $LOG_DIR/$server.err"
  [[ $line == READY* ]] || die "$server said '$line' instead of READY"
}

# Prints the number of messages the JVM server stored since the last call (and drops them).
take_stored() {
  local server=$1 line
  echo take >&"${SRV_IN[$server]}"
  read -r -t 120 line <&"${SRV_OUT[$server]}" || die "$server did not answer take"
  # shellcheck disable=SC2086
  set -- $line
  [[ $1 == TAKEN ]] || die "unexpected answer to take from $server: $line"
  [[ $3 == 0 ]] || log "bench: $server evicted $3 of $2 messages (retention limit), counted as stored"
  echo "$2"
}

stop_server() {
  local server=$1 line fd
  if [[ $server != smtp-sink ]]; then
    fd=${SRV_IN[$server]}
    exec {fd}>&-
    read -r -t 60 line <&"${SRV_OUT[$server]}" || line="(no answer)"
    fd=${SRV_OUT[$server]}
    exec {fd}<&-
    log "bench: $server stopped: $line"
  else
    kill "${SRV_PID[$server]}"
  fi
  wait "${SRV_PID[$server]}" 2>/dev/null || true
  unset "SRV_PID[$server]"
}

# --- one run -----------------------------------------------------------------------------------

# CPU time (user + system) of a server process so far, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
CLK_TCK=$(getconf CLK_TCK)

# Runs smtp-source once; prints msgs/s, or FAIL:<reason>. Leaves the server's CPU time per message
# (µs) in $LOG_DIR/last-cpu.
one_run() {
  local server=$1 sessions=$2 bytes=$3 messages=$4 port=${PORT[$1]}
  local start end rc=0 cpu_before cpu_after
  cpu_before=$(cpu_ticks "${SRV_PID[$server]}")
  start=$(date +%s%N)
  "${NICE[@]}" smtp-source -m "$messages" -s "$sessions" -l "$bytes" -M bench.test \
    -f source@bench.test -t sink@mailsink.test "127.0.0.1:$port" \
    >"$LOG_DIR/smtp-source.log" 2>&1 || rc=$?
  end=$(date +%s%N)
  cpu_after=$(cpu_ticks "${SRV_PID[$server]}")
  awk -v t=$((cpu_after - cpu_before)) -v hz="$CLK_TCK" -v n="$messages" \
    'BEGIN { printf "%.0f\n", t / hz * 1e6 / n }' >"$LOG_DIR/last-cpu"
  if [[ $rc -ne 0 ]]; then
    echo "FAIL:smtp-source exited $rc: $(head -c 200 "$LOG_DIR/smtp-source.log" | tr '\n' ' ')"
    return
  fi
  if [[ $server != smtp-sink ]]; then
    local stored
    stored=$(take_stored "$server")
    if [[ $stored != "$messages" ]]; then
      echo "FAIL:stored $stored of $messages"
      return
    fi
  fi
  awk -v n="$messages" -v ns=$((end - start)) 'BEGIN { printf "%.0f\n", n / (ns / 1e9) }'
}

# A message count that makes one run last about TARGET_SECONDS at the warm-up's rate, rounded to
# two significant digits, and at least 20 messages per session.
messages_for() {
  local rate=$1 sessions=$2
  awk -v r="$rate" -v t="$TARGET_SECONDS" -v s="$sessions" 'BEGIN {
    n = r * t; if (n < 20 * s) n = 20 * s; if (n > 200000) n = 200000
    m = 1; while (n >= 100) { n /= 10; m *= 10 }
    printf "%d\n", int(n + 0.5) * m }'
}

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

fmt() { sed ':a;s/\B[0-9]\{3\}\>/,&/;ta' <<<"$1" | tr -d '\n'; }

declare -A MEDIAN COUNT DETAIL CPU
FAILED=0

bench_cell() {
  local cell=$1 sessions bytes warmup server rate r i
  [[ -n "${CELL[$cell]:-}" ]] || die "unknown cell $cell (known: ${!CELL[*]})"
  read -r sessions bytes warmup <<<"${CELL[$cell]}"
  declare -A rates=() failures=() cpus=()
  local active=()
  for server in $SERVERS; do
    local n_warm=$warmup
    # GreenMail manages ~80 msgs/s; a full warm-up would take over a minute per cell
    [[ $server == greenmail ]] && n_warm=$((warmup / 20 > 4 * sessions ? warmup / 20 : 4 * sessions))
    rate=$(one_run "$server" "$sessions" "$bytes" "$n_warm")
    [[ $rate =~ ^[0-9]+$ || $rate == FAIL:* ]] || rate="FAIL:$rate"
    # the first warm-up runs partly interpreted; size the runs on a second one
    if [[ $server == mailsink* && $rate != FAIL:* ]]; then
      rate=$(one_run "$server" "$sessions" "$bytes" "$n_warm")
      [[ $rate =~ ^[0-9]+$ || $rate == FAIL:* ]] || rate="FAIL:$rate"
    fi
    if [[ $rate == FAIL:* ]]; then
      log "bench: $server $cell warm-up: ${rate#FAIL:}"
      MEDIAN[$server,$cell]="failed"
      DETAIL[$server,$cell]="warm-up: ${rate#FAIL:}"
      FAILED=1
      continue
    fi
    COUNT[$server,$cell]=$(messages_for "$rate" "$sessions")
    log "bench: $server $cell warm-up: $n_warm messages -> $rate msgs/s"
    active+=("$server")
  done
  for ((i = 1; i <= RUNS; i++)); do
    for server in "${active[@]}"; do
      r=$(one_run "$server" "$sessions" "$bytes" "${COUNT[$server,$cell]}")
      [[ $r =~ ^[0-9]+$ || $r == FAIL:* ]] || r="FAIL:$r"
      [[ $r == FAIL:* ]] || cpus[$server]+="$(cat "$LOG_DIR/last-cpu") "
      log "bench: $server $cell run $i/$RUNS: ${COUNT[$server,$cell]} messages -> $r"
      if [[ $r == FAIL:* ]]; then
        failures[$server]+="${r#FAIL:}; "
      else
        rates[$server]+="$r "
      fi
    done
  done
  for server in "${active[@]}"; do
    if [[ -n "${failures[$server]:-}" ]]; then
      MEDIAN[$server,$cell]="failed"
      DETAIL[$server,$cell]="${failures[$server]}"
      FAILED=1
    else
      # shellcheck disable=SC2086
      MEDIAN[$server,$cell]=$(median ${rates[$server]})
      # shellcheck disable=SC2086
      CPU[$server,$cell]=$(median ${cpus[$server]})
      DETAIL[$server,$cell]=$(for r in ${rates[$server]}; do fmt "$r"; echo; done | paste -sd/ | sed 's#/# / #g')
    fi
  done
}

# How much slower a is than b, in percent (negative: faster).
cost() {
  local a=$1 b=$2
  [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ && $b -gt 0 ]] || { echo "n/a"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f %%\n", (1 - a / b) * 100 }'
}

# How much more a is than b, in percent.
extra() {
  local a=$1 b=$2
  [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ && $b -gt 0 ]] || { echo "n/a"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.1f %%\n", (a / b - 1) * 100 }'
}

ratio() {
  local a=$1 b=$2
  [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ && $b -gt 0 ]] || { echo "n/a"; return; }
  awk -v a="$a" -v b="$b" 'BEGIN { printf "%.2f×\n", a / b }'
}

# Which core was measured: the jar copied at build time may lag the sources in the work tree.
core_identity() {
  local jar
  jar=$(ls "$BENCH_DIR"/target/lib/mailsink-core-*.jar)
  printf '%s (sha256 %.12s, built %s), work tree at %s' "$(basename "$jar")" \
    "$(sha256sum "$jar" | cut -d' ' -f1)" "$(date -r "$jar" '+%F %H:%M')" \
    "$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD -- core 2>/dev/null || echo ' with uncommitted changes to core')"
}

environment_line() {
  printf '%s, %s cores, %s and %s, load average before: %s' \
    "$(uname -sr)" "$(nproc)" \
    "$(java -version 2>&1 | head -1 | tr -d '"')" \
    "$("$JAVA25" -version 2>&1 | head -1 | tr -d '"')" "$1"
}

ingest() {
  install_postfix
  local load_before server cell out
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  for server in $SERVERS; do
    [[ -n "${PORT[$server]:-}" ]] || die "unknown server $server"
    start_server "$server"
  done
  for cell in $CELLS; do
    log "bench: --- $cell ---"
    bench_cell "$cell"
  done
  for server in $SERVERS; do
    stop_server "$server"
  done
  out="$RESULTS_DIR/ingest-$TODAY.md"
  {
    echo "# Ingest benchmark, $(date '+%F %H:%M %Z')"
    echo
    echo "postfix \`smtp-source\` on the same machine, one new connection per message (HELO, MAIL,"
    echo "RCPT, DATA, QUIT), payload \`-l\` bytes plus headers; msgs/s, median of $RUNS runs of"
    echo "about ${TARGET_SECONDS} s each after a discarded warm-up run, the servers taking turns. Every message sent to a JVM"
    echo "server was checked to be stored (Mailsink runs with its default retention, 10,000 messages /"
    echo "512 MiB; messages it evicted under that limit count as stored). $(environment_line "$load_before");"
    echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg). JVM servers: \`$BENCH_JAVA_OPTS\`${BENCH_NICE:+; servers and smtp-source at niceness $BENCH_NICE}."
    [[ " $SERVERS " == *" mailsink-25 "* ]] &&
      echo "Java 25 with virtual threads runs on $STANDALONE_CARRIERS carrier thread(s) of $PROCESSORS processors, as the standalone server and the image set it (\`$CARRIERS\`)."
    echo "Mailsink's threads run under SCHED_BATCH as the standalone server and the image run them (\`$BATCH\`), except the rows labelled with the default CPU policy."
    echo "Core measured: $(core_identity)."
    echo
    printf '| sessions × size |'
    for server in $SERVERS; do printf ' %s msgs/s |' "${LABEL[$server]}"; done
    [[ " $SERVERS " == *" smtp-sink "* ]] && for server in $SERVERS; do
      [[ $server == smtp-sink ]] || printf ' %s / smtp-sink |' "${LABEL[$server]}"
    done
    echo
    printf '|---|'
    for server in $SERVERS; do printf -- '---:|'; done
    [[ " $SERVERS " == *" smtp-sink "* ]] && for server in $SERVERS; do
      [[ $server == smtp-sink ]] || printf -- '---:|'
    done
    echo
    for cell in $CELLS; do
      printf '| %s |' "${cell/x/ × }"
      for server in $SERVERS; do printf ' %s |' "$(fmt "${MEDIAN[$server,$cell]:-n/a}")"; done
      [[ " $SERVERS " == *" smtp-sink "* ]] && for server in $SERVERS; do
        [[ $server == smtp-sink ]] ||
          printf ' %s |' "$(ratio "${MEDIAN[$server,$cell]:-}" "${MEDIAN[smtp-sink,$cell]:-}")"
      done
      echo
    done
    echo
    echo "Target: Mailsink ≥ ${TARGET_RATIO}× smtp-sink at 1 KB in every run, no regression at 100 KB / 1 MB, every message stored."
    echo
    echo "Server CPU time per message (user + system, µs, median of the runs; smtp-source not counted):"
    echo
    printf '| sessions × size |'
    for server in $SERVERS; do printf ' %s |' "${LABEL[$server]}"; done
    echo
    printf '|---|'
    for server in $SERVERS; do printf -- '---:|'; done
    echo
    for cell in $CELLS; do
      printf '| %s |' "${cell/x/ × }"
      for server in $SERVERS; do printf ' %s |' "$(fmt "${CPU[$server,$cell]:-n/a}")"; done
      echo
    done
    echo
    if [[ " $SERVERS " == *" mailsink "* && " $SERVERS " == *" mailsink-untraced "* ]]; then
      echo "Cost of recording session transcripts (Mailsink's default) against Mailsink with"
      echo "\`recordSessions(false)\`, both on \`java\`, same run. Target: at most 5 % at 1 KB."
      echo
      echo "| sessions × size | msgs/s with | without | throughput cost | CPU µs/msg with | without | CPU cost |"
      echo "|---|---:|---:|---:|---:|---:|---:|"
      for cell in $CELLS; do
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "${cell/x/ × }" \
          "$(fmt "${MEDIAN[mailsink,$cell]:-n/a}")" "$(fmt "${MEDIAN[mailsink-untraced,$cell]:-n/a}")" \
          "$(cost "${MEDIAN[mailsink,$cell]:-}" "${MEDIAN[mailsink-untraced,$cell]:-}")" \
          "${CPU[mailsink,$cell]:-n/a}" "${CPU[mailsink-untraced,$cell]:-n/a}" \
          "$(extra "${CPU[mailsink,$cell]:-}" "${CPU[mailsink-untraced,$cell]:-}")"
      done
      echo
    fi
    echo "| server | cell | messages per run | msgs/s per run |"
    echo "|---|---|---:|---|"
    for server in $SERVERS; do
      for cell in $CELLS; do
        echo "| ${LABEL[$server]} | ${cell/x/ × } | $(fmt "${COUNT[$server,$cell]:-}") | ${DETAIL[$server,$cell]:-} |"
      done
    done
  } >"$out.tmp"
  mv "$out.tmp" "$out"
  cat "$out"
  log "bench: written $out"
}

memory() {
  local out="$RESULTS_DIR/memory-$TODAY.md" table
  log "bench: --- retained heap ---"
  table=$(java -Xms3g -Xmx3g -cp "$CLASSPATH_BENCH" dev.mailsink.bench.RetainedHeap 10000 10240) ||
    die "RetainedHeap failed: $table"
  {
    echo "# Retained heap, $(date '+%F %H:%M %Z')"
    echo
    echo "Mailsink in one JVM (\`-Xms3g -Xmx3g\`, default GC), messages sent over SMTP from a"
    echo "raw-socket client in the same JVM; used heap after repeated System.gc(), minus a baseline"
    echo "taken after a warm-up and before sending. Target: retained / raw ≤ 1.3×."
    echo "Core measured: $(core_identity)."
    echo
    echo "$table"
  } >"$out"
  cat "$out"
  log "bench: written $out"
}

latency() {
  local out="$RESULTS_DIR/latency-$TODAY.md" rows="" java
  log "bench: --- Transport.send latency, start+close ---"
  for java in java "$JAVA25"; do
    # shellcheck disable=SC2086
    rows+=$("$java" $BENCH_JAVA_OPTS -cp "$CLASSPATH_BENCH" dev.mailsink.bench.SendLatency 5000 50) ||
      die "SendLatency on $java failed: $rows"
    rows+=$'\n'
  done
  {
    echo "# Send latency and start+close time, $(date '+%F %H:%M %Z')"
    echo
    echo "One JVM (\`$BENCH_JAVA_OPTS\`) holding an in-process sink (defaults: a free port on 127.0.0.1)"
    echo "and a Jakarta Mail client that calls \`Transport.send\` once per message (a new connection,"
    echo "EHLO, MAIL, RCPT, DATA, QUIT), one after another, after 2,000 warm-up sends; every message"
    echo "checked stored when the last send returned. Then \`Mailsink.start()\` + \`close()\` 50 times"
    echo "after 10 warm-up cycles. Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Core measured: $(core_identity)."
    echo
    echo "| Java | sends | send p50 µs | send p99 µs | send max µs | start+close p50 ms | start+close p90 ms |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s' "$rows"
  } >"$out"
  cat "$out"
  log "bench: written $out"
}

quiet() {
  local out="$RESULTS_DIR/quiet-$TODAY.md" rows
  log "bench: --- receivedExactly quiet period ---"
  # shellcheck disable=SC2086
  rows=$(java $BENCH_JAVA_OPTS -cp "$CLASSPATH_BENCH" dev.mailsink.bench.QuietPeriod "${QUIET_ROUNDS:-40}") ||
    die "QuietPeriod failed: $rows"
  {
    echo "# receivedExactly quiet period, $(date '+%F %H:%M %Z')"
    echo
    echo "One JVM (\`$BENCH_JAVA_OPTS\`, \`java\`: $(java -version 2>&1 | head -1 | tr -d '"')) holding an in-process sink;"
    echo "each round sends one message (\`Transport.send\`) and times a passing"
    echo "\`assertThat(sink).quietFor(q).receivedExactly(1).withSubject(..)\`, then clears the mailbox."
    echo "The quiet periods take turns within each round, after 20 warm-up rounds. \"added\" is the"
    echo "p50 minus the p50 of a quiet period of zero (the count check alone): the cost per passing"
    echo "assertion. Load average before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Core measured: $(core_identity)."
    echo
    echo "| quiet period | rounds | p50 ms | p90 ms | max ms | added p50 ms |"
    echo "|---|---:|---:|---:|---:|---:|"
    printf '%s\n' "$rows"
  } >"$out"
  cat "$out"
  log "bench: written $out"
}

# One ReaderBench JVM per server and turn; `java` for both. Rows: imap, pop3 (an ordinary client;
# GreenMail RETRs a subset), pop3q (the TCP_QUICKACK client, all messages on both).
readers() {
  local out="$RESULTS_DIR/readers-$TODAY.md" load_before turn server parts line row
  local n=$READER_MESSAGES n_gm=$READER_GREENMAIL_RETR
  [[ $n =~ ^[0-9]+$ && $n_gm =~ ^[0-9]+$ && $n_gm -ge 1 && $n_gm -le $n ]] ||
    die "READER_MESSAGES ($n) and READER_GREENMAIL_RETR ($n_gm) must be numbers, 1 <= RETR <= MESSAGES"
  declare -A parts_of=([mailsink]="imap,pop3,pop3-quickack" [greenmail]="imap,pop3:$n_gm,pop3-quickack")
  declare -A times=() read_of=() part_of=() loads=()
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)
  for ((turn = 1; turn <= RUNS; turn++)); do
    for server in mailsink greenmail; do
      log "bench: readers turn $turn/$RUNS: $server ($n messages, ${parts_of[$server]})"
      # shellcheck disable=SC2086
      "${NICE[@]}" java $BENCH_JAVA_OPTS -cp "$CLASSPATH_BENCH" dev.mailsink.bench.ReaderBench \
        "$server" "$n" 1 "${parts_of[$server]}" >"$LOG_DIR/readers-$server.out" \
        2>"$LOG_DIR/readers-$server.err" ||
        die "ReaderBench $server failed: $(tail -c 600 "$LOG_DIR/readers-$server.err")"
      while IFS=$'\t' read -r -a line; do
        case "${line[0]}" in
          LOAD) loads[$server]+="${line[1]} " ;;
          RESULT)
            case "${line[1]}" in
              imap) row=imap ;;
              pop3-quickack*) row=pop3q ;;
              pop3*) row=pop3 ;;
              *) die "unexpected ReaderBench part ${line[1]}" ;;
            esac
            part_of[$server,$row]=${line[1]}
            read_of[$server,$row]=${line[2]}
            times[$server,$row]+="${line[3]} "
            log "bench: $server ${line[1]}: ${line[2]} messages in ${line[3]} ms"
            ;;
          *) die "unexpected ReaderBench line from $server: ${line[*]}" ;;
        esac
      done <"$LOG_DIR/readers-$server.out"
    done
  done
  declare -A med=() total=() each=()
  for server in mailsink greenmail; do
    for row in imap pop3 pop3q; do
      [[ -n "${times[$server,$row]:-}" ]] || die "$server gave no $row result"
      # shellcheck disable=SC2086
      med[$server,$row]=$(median ${times[$server,$row]})
      # a RETR subset: scaled linearly to all messages (LIST of all is in the measured part)
      total[$server,$row]=$(awk -v t="${med[$server,$row]}" -v r="${read_of[$server,$row]}" -v n="$n" \
        'BEGIN { printf "%.0f\n", t * n / r }')
      each[$server,$row]=$(awk -v t="${med[$server,$row]}" -v r="${read_of[$server,$row]}" \
        'BEGIN { printf "%.0f\n", t * 1000 / r }')
    done
  done
  cell() {
    local server=$1 row=$2
    if [[ ${read_of[$server,$row]} == "$n" ]]; then
      fmt "${med[$server,$row]}"
    else
      printf '≈ %s (extrapolated: %s ms for the first %s)' "$(fmt "${total[$server,$row]}")" \
        "$(fmt "${med[$server,$row]}")" "$(fmt "${read_of[$server,$row]}")"
    fi
  }
  ratio_cell() {
    local row=$1
    printf '%s%s' "$( [[ ${read_of[greenmail,$row]} == "$n" ]] || printf '≈ ')" \
      "$(ratio "${total[greenmail,$row]}" "${total[mailsink,$row]}")"
  }
  {
    echo "# Reading captured mail back (IMAP, POP3), $(date '+%F %H:%M %Z')"
    echo
    echo "\`dev.mailsink.bench.ReaderBench\`: $(fmt "$n") messages (about 2 KB each, one recipient) sent over"
    echo "SMTP to the server, then read back by a client in the same JVM, one JVM per server and turn"
    echo "(\`$BENCH_JAVA_OPTS\`), Mailsink and GreenMail 2.1.8 taking turns; per turn each part runs"
    echo "once as a warm-up and once measured on a new connection; ms, median of $RUNS turns. IMAP:"
    echo "Angus Mail logs in, opens INBOX read-only, fetches ENVELOPE (with INTERNALDATE and RFC822.SIZE)"
    echo "of all in one FETCH and logs out; every run checked that this FETCH alone brought the envelope"
    echo "of each of the $(fmt "$n") messages (counted after closing the folder). POP3: a raw-socket client,"
    echo "USER, PASS, LIST (of all, checked), RETR one after another (each checked complete), QUIT."
    echo
    echo "GreenMail writes the \`+OK\` of a RETR and the message in separate small writes without"
    echo "TCP_NODELAY (strace: no setsockopt on its sockets), so Nagle holds the message until the"
    echo "\`+OK\` is acknowledged, and an ordinary client's kernel delays that ACK by ~40 ms: every RETR"
    echo "stalls. That is what any mail client meets, so the ordinary-client row RETRs only the first"
    echo "$(fmt "$n_gm") on GreenMail and scales the time linearly to $(fmt "$n") (marked ≈, extrapolated). The"
    echo "TCP_QUICKACK row is a client no mail client is like: it re-arms TCP_QUICKACK after every read,"
    echo "so its kernel acknowledges at once and GreenMail's stall is gone; it RETRs all on both servers."
    echo
    local load_after
    load_after=$(cut -d' ' -f1-3 /proc/loadavg)
    echo "$(uname -sr), $(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'); load average before:"
    printf '%s, after: %s' "$load_before" "$load_after"
    awk -v b="${load_before%% *}" -v a="${load_after%% *}" -v c="$(nproc)" \
      'BEGIN { if (b >= c || a >= c) printf " (at or above the core count: other work shared the machine, which slows both servers; the turns alternate so that it hits both alike)" }'
    echo "${BENCH_NICE:+; at niceness $BENCH_NICE}. Core measured: $(core_identity)."
    echo
    echo "| reading $(fmt "$n") messages | Mailsink ms | GreenMail ms | GreenMail / Mailsink | Mailsink µs per message read | GreenMail µs per message read |"
    echo "|---|---:|---:|---:|---:|---:|"
    for row in imap pop3 pop3q; do
      case $row in
        imap) printf '| IMAP: login, open INBOX, FETCH ENVELOPE of all |' ;;
        pop3) printf '| POP3: login, LIST, RETR of all (ordinary client) |' ;;
        pop3q) printf '| POP3: login, LIST, RETR of all (TCP_QUICKACK client) |' ;;
      esac
      printf ' %s | %s | %s | %s | %s |\n' "$(cell mailsink $row)" "$(cell greenmail $row)" \
        "$(ratio_cell $row)" "$(fmt "${each[mailsink,$row]}")" "$(fmt "${each[greenmail,$row]}")"
    done
    echo
    echo "| server | ReaderBench part | messages read per run | ms per turn |"
    echo "|---|---|---:|---|"
    for server in mailsink greenmail; do
      for row in imap pop3 pop3q; do
        # shellcheck disable=SC2086
        printf '| %s | %s | %s | %s |\n' "${LABEL[$server]}" "${part_of[$server,$row]}" \
          "$(fmt "${read_of[$server,$row]}")" "$(echo ${times[$server,$row]} | sed 's# # / #g')"
      done
    done
    echo
    # shellcheck disable=SC2086
    echo "Sending the $(fmt "$n") messages over SMTP first (100 per connection), ms per turn:" \
      "Mailsink $(echo ${loads[mailsink]} | sed 's# # / #g'), GreenMail $(echo ${loads[greenmail]} | sed 's# # / #g')."
  } >"$out"
  cat "$out"
  log "bench: written $out"
}

mkdir -p "$RESULTS_DIR" "$LOG_DIR"
build_bench
case "$MODE" in
  ingest) ingest ;;
  memory) memory ;;
  latency) latency ;;
  quiet) quiet ;;
  readers) readers ;;
  all) ingest; memory; latency ;;
esac
if [[ $FAILED -ne 0 ]]; then
  die "some runs failed or lost messages (see the table)"
fi
