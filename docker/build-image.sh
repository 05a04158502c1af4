#!/usr/bin/env bash
# Builds Mailsink's Docker images without a registry (see DESIGN.md, "Docker without a registry").
#
#   docker/build-image.sh base    a Java runtime (the newest LTS here, 25) made with jlink from the
#                                 JDK on this machine, plus the shared libraries it needs, imported
#                                 as mailsink/jre-base:25
#   docker/build-image.sh image   the product image from docker/server/Dockerfile on that base;
#                                 needs docker/server/target/mailsink-server.jar (mvn package)
#   docker/build-image.sh all     both (the default)
#
# Environment:
#   MAILSINK_JAVA         Java feature version to link  (default 25; 17 works too)
#   MAILSINK_BASE_IMAGE   tag of the base image         (default mailsink/jre-base:$MAILSINK_JAVA)
#   MAILSINK_IMAGE        tag of the product image      (default mailsink/mailsink:latest)
#   JLINK_JDK             JDK to link from              (default: the first JDK of that version under
#                                                        /usr/lib/jvm with jmods or a linkable runtime)
#   FORCE_BASE=1          rebuild the base even when the tag exists
#
# Real users do not need this script: the Dockerfile's default BASE_IMAGE is a public JRE image.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
java_version="${MAILSINK_JAVA:-25}"
base_tag="${MAILSINK_BASE_IMAGE:-mailsink/jre-base:$java_version}"
image_tag="${MAILSINK_IMAGE:-mailsink/mailsink:latest}"

# The modules the server needs at run time: what jdeps and the libraries' module descriptors ask
# for (java.management for XNIO and JBoss Threads, java.naming and java.sql for Undertow and Bouncy
# Castle, java.security.sasl for XNIO, java.xml for Angus Mail), plus jdk.crypto.ec for ECDHE in
# TLS, jdk.charsets for mail in legacy charsets and jdk.unsupported for Unsafe. Not java.desktop:
# Angus Mail only needs it for image content handlers, which the parser never asks for.
modules="java.base,java.logging,java.management,java.naming,java.security.jgss"
modules+=",java.security.sasl,java.sql,java.xml,jdk.charsets,jdk.crypto.ec,jdk.unsupported"

log() { printf '%s\n' "build-image: $*" >&2; }

find_jdk() {
  if [ -n "${JLINK_JDK:-}" ]; then
    printf '%s\n' "$JLINK_JDK"
    return
  fi
  local candidate
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
    if [ -n "$candidate" ] && [ -x "$candidate/bin/jlink" ] \
      && grep -q "JAVA_VERSION=\"$java_version[.\"]" "$candidate/release" 2>/dev/null; then
      # a JDK without jmods links from its own run-time image (JEP 493, Temurin 24+)
      printf '%s\n' "$candidate"
      return
    fi
  done
  log "no JDK $java_version with jlink found under /usr/lib/jvm; set JLINK_JDK, or MAILSINK_JAVA=17"
  exit 1
}

build_base() {
  if [ "${FORCE_BASE:-0}" != 1 ] && docker image inspect "$base_tag" >/dev/null 2>&1; then
    log "$base_tag exists (FORCE_BASE=1 rebuilds it)"
    return
  fi
  local jdk work rootfs runtime started
  started=$(date +%s)
  jdk="$(find_jdk)"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' RETURN
  rootfs="$work/rootfs"
  runtime="$rootfs/opt/java/openjdk"
  mkdir -p "$rootfs/opt/java"

  log "jlink from $jdk"
  local module_path=() compress=--compress=2
  [ -d "$jdk/jmods" ] && module_path=(--module-path "$jdk/jmods")
  [ "$java_version" -ge 21 ] && compress=--compress=zip-6
  "$jdk/bin/jlink" "${module_path[@]}" --add-modules "$modules" \
    --strip-debug --no-man-pages --no-header-files "$compress" --output "$runtime"

  # The JVM's own shared libraries and what they link against; the dynamic loader last.
  log "copying shared libraries"
  local lib
  while read -r lib; do
    cp -L --parents "$lib" "$rootfs"
  done < <(find "$runtime" -type f \( -name '*.so' -o -perm -u+x \) -exec ldd {} \; 2>/dev/null \
    | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' \
    | grep -v "^$work/" | sort -u)

  # util-linux's chrt: the server puts its threads under SCHED_BATCH with it (a process spawn,
  # ~20 ms; without it Java 22+ makes the call itself, ~90 ms at start). It links only glibc.
  if command -v chrt >/dev/null; then
    mkdir -p "$rootfs/usr/bin"
    cp -L "$(command -v chrt)" "$rootfs/usr/bin/chrt"
    while read -r lib; do
      cp -L --parents "$lib" "$rootfs"
    done < <(ldd "$(command -v chrt)" | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }')
  else
    log "no chrt on this machine: the image's server falls back to the foreign function API"
  fi

  # Java resolves host names through glibc (files, then DNS); a user for the product image;
  # a world-writable /tmp for the JVM's perf data and temp files.
  mkdir -p "$rootfs/etc" "$rootfs/tmp"
  chmod 1777 "$rootfs/tmp"
  printf 'hosts: files dns\n' >"$rootfs/etc/nsswitch.conf"
  printf 'root:x:0:0:root:/root:/sbin/nologin\nmailsink:x:10001:10001:Mailsink:/tmp:/sbin/nologin\n' \
    >"$rootfs/etc/passwd"
  printf 'root:x:0:\nmailsink:x:10001:\n' >"$rootfs/etc/group"

  log "importing $base_tag"
  tar -C "$rootfs" --numeric-owner -c . | docker import \
    --change 'ENV JAVA_HOME=/opt/java/openjdk' \
    --change 'ENV PATH=/opt/java/openjdk/bin:/usr/bin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --message "jlink runtime from $jdk" \
    - "$base_tag" >/dev/null
  log "$base_tag: $(docker image inspect --format '{{.Size}}' "$base_tag" | numfmt --to=iec) in $(($(date +%s) - started)) s"
}

build_image() {
  local jar="$here/server/target/mailsink-server.jar"
  if [ ! -f "$jar" ]; then
    log "$jar is missing; run: mvn -pl docker/server -am package -DskipTests"
    exit 1
  fi
  log "building $image_tag on $base_tag"
  docker build --build-arg "BASE_IMAGE=$base_tag" -t "$image_tag" "$here/server"
  log "$image_tag: $(docker image inspect --format '{{.Size}}' "$image_tag" | numfmt --to=iec)"
}

case "${1:-all}" in
  base) build_base ;;
  image) build_image ;;
  all)
    build_base
    build_image
    ;;
  *)
    log "usage: $0 [base|image|all]"
    exit 2
    ;;
esac
