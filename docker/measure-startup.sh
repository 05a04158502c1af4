#!/usr/bin/env bash
# Measures the product image: its size, and the time from `docker run` to /readyz answering 200
# on the mapped port (what a Testcontainers wait strategy sees). Prints one line per run and the
# median. Usage: docker/measure-startup.sh [image] [runs]   (default mailsink/mailsink:latest, 5)
set -euo pipefail
image="${1:-mailsink/mailsink:latest}"
runs="${2:-5}"

size=$(docker image inspect --format '{{.Size}}' "$image")
printf 'image %s: %s bytes (%s)\n' "$image" "$size" "$(numfmt --to=iec "$size")"

times=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  id=$(docker run -d --rm -p 127.0.0.1::8025 "$image")
  port=$(docker port "$id" 8025/tcp | head -1 | sed 's/.*://')
  # Bounded: gives up after 30 s.
  deadline=$((start + 30000000000))
  until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    if [ "$(date +%s%N)" -gt "$deadline" ]; then
      docker logs "$id" >&2 || true
      docker rm -f "$id" >/dev/null
      echo "run $i: /readyz did not answer within 30 s" >&2
      exit 1
    fi
    sleep 0.01
  done
  end=$(date +%s%N)
  ms=$(((end - start) / 1000000))
  banner=$(docker logs "$id" 2>&1 | grep -o 'ready in [0-9.]* s' || true)
  docker rm -f "$id" >/dev/null
  times+=("$ms")
  printf 'run %d: docker run -> /readyz 200 in %d ms (JVM says: %s)\n' "$i" "$ms" "$banner"
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
median=$(printf '%s\n' "$sorted" | sed -n "$(((runs + 1) / 2))p")
printf 'median of %d runs: %d ms\n' "$runs" "$median"
