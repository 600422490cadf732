#!/usr/bin/env bash
# Benchmark: a million tiny objects, skyplane vs rclone, local -> local and local -> S3Proxy, with
# skyplane's heap capped (the embedded run: client, JobManager and TaskManager share that JVM).
#
#   bench/million.sh [WORK]                 (N=1,000,000: ~4 GiB of inodes in WORK; see the note on time)
#   N=100000 ROUTES=local-local bench/million.sh     (a smaller run; its results stay under WORK)
#
# Time: local -> local moved ~1,000-2,000 objects/s for either tool on a busy 2-core machine (a
# million: ~10-20 min per tool); local -> S3Proxy only 50-160 objects/s (one request per object
# into one S3Proxy on the same cores): a million takes hours per tool there, so start with N=10000.
#
# The source: N files of 1 byte each (random), in N/1000 folders (at least 1). Each tool copies it:
#   SKYPLANE_HEAP=$HEAP bin/skyplane cp -r SRC DST -p P -q --json REPORT
#   rclone copy SRC DST --transfers P --checkers P --disable Copy[,ServerSideAcrossConfigs]
# Routes: local-local (into a fresh folder) and local-s3 (into a fresh prefix of a bucket of one
# S3Proxy, started with tests/servers/start as bench/stores.sh does). Before each timed run the
# previous run's dirty pages are flushed and the source is read once. After it, the MD5 of every
# destination object is compared with the source's (rclone md5sum: files hashed, S3 objects by
# their ETag, which S3Proxy computes from the bytes it stored); a difference or a non-zero exit
# makes the row FAIL. Wall time, user + sys CPU and peak RSS come from GNU time of the tool's
# process; objects/s = N / wall seconds.
#
# Environment (defaults):
#   N=1000000  ROUTES="local-local local-s3"  TOOLS="skyplane rclone"  HEAP=512m
#   P=$(nproc)  RUNS=1  WORK=${TMPDIR:-/tmp}/skyplane-million (the data is kept there between runs)
#   RESULTS=bench/results/million-<UTC time> (at N=1000000; else under WORK)  SKYPLANE_ARGS="" RCLONE_ARGS=""
# Results: a table on stdout; summary.md, results.json and results.csv in RESULTS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
WORK=${1:-${WORK:-${TMPDIR:-/tmp}/skyplane-million}}
N=${N:-1000000}
ROUTES=${ROUTES:-"local-local local-s3"}
TOOLS=${TOOLS:-"skyplane rclone"}
HEAP=${HEAP:-512m}
RUNS=${RUNS:-1}
SKYPLANE_ARGS=${SKYPLANE_ARGS:-}
RCLONE_ARGS=${RCLONE_ARGS:-}
SERVERS="$ROOT/tests/servers"
[[ $N =~ ^[0-9]+$ && $N -ge 1 ]] || die "N must be a positive count, got '$N'"
for route in $ROUTES; do
  [[ $route == local-local || $route == local-s3 ]] || die "unknown route $route (known: local-local local-s3)"
done
SHAPES=""  # none of common.sh's shapes: this benchmark writes its own
SCALE=full
if [[ -z ${RESULTS:-} && $N != 1000000 ]]; then
  RESULTS="${WORK}/results/million-$(date -u +%Y%m%dT%H%M%SZ)-n$N"  # smaller runs never land in bench/results
fi
bench_init million
SHAPE="tiny-$N"
SRC="$DATA/$SHAPE"
DST="$WORK/dst"

STATES=()
teardown() {
  local rc=$? state
  for state in "${STATES[@]}"; do
    "$SERVERS/stop" --state "$state" >/dev/null || log "could not stop the servers of $state"
  done
  rm -rf "$DST" "$WORK/rclone.conf" "$WORK/stores.properties" "$WORK/report.json"
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

# --- data: N files of 1 byte, and their MD5s ---------------------------------------------------------
if [[ ! -f "$DATA/$SHAPE.md5" ]]; then
  log "writing $N files of 1 byte into $SRC"
  rm -rf "$SRC"; mkdir -p "$SRC"
  python3 - "$SRC" "$N" <<'PY'
import os, sys
root, count = sys.argv[1], int(sys.argv[2])
folders = max(1, count // 1000)
for d in range(folders):
    os.makedirs(os.path.join(root, f"d{d:04d}"), exist_ok=True)
data = os.urandom(count)
for i in range(count):
    with open(os.path.join(root, f"d{i % folders:04d}", f"f{i:07d}"), "wb") as f:
        f.write(data[i:i + 1])
PY
  env -u AWS_CA_BUNDLE rclone md5sum "$SRC" --config /dev/null --checkers 8 | LC_ALL=C sort -k2 > "$DATA/$SHAPE.md5.tmp"
  mv "$DATA/$SHAPE.md5.tmp" "$DATA/$SHAPE.md5"
fi
[[ $(wc -l < "$DATA/$SHAPE.md5") == "$N" ]] || die "$DATA/$SHAPE.md5 does not list $N files; remove it to write the data again"

# --- S3Proxy, when a route needs it -----------------------------------------------------------------
: > "$WORK/rclone.conf"
: > "$WORK/stores.properties"
chmod 600 "$WORK/rclone.conf"
if [[ " $ROUTES " == *" local-s3 "* ]]; then
  state="$WORK/servers-s3"
  [[ -e "$state/pids" ]] && "$SERVERS/stop" --state "$state" >/dev/null 2>&1  # left by a killed run
  rm -rf "$state"
  STATES+=("$state")
  log "starting S3Proxy (state folder $state)"
  "$SERVERS/start" s3 --state "$state" >/dev/null
  env="$state/env"
  s3_remote s3 "$env"
  region=$S3_REGION
  printf 's3.path-style=true\ns3.region=%s\ns3.endpoint=%s\n' "$region" "$(value "$env" S3_ENDPOINT)" \
    >> "$WORK/stores.properties"
fi
rc() { env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "$@"; }
[[ " $ROUTES " == *" local-s3 "* ]] && rc mkdir s3:bench-million

# --- runs -------------------------------------------------------------------------------------------
runs=0
run() { # run ROUTE TOOL RUN
  local route=$1 tool=$2 n=$3 check=ok report=() to rto
  runs=$((runs + 1))
  rm -rf "$DST" "$WORK/report.json"
  case $route in
    local-local) to="$DST"; rto="$DST" ;;
    local-s3) to="s3://bench-million/run-$runs-$tool"; rto="s3:bench-million/run-$runs-$tool" ;;
  esac
  settle "$SRC"
  case $tool in
    skyplane)
      # shellcheck disable=SC2086
      measure "million-$route-$tool-$n" env SKYPLANE_HEAP="$HEAP" "$ROOT/bin/skyplane" cp -r "$SRC" "$to" \
        -p "$P" -q --store-config "$WORK/stores.properties" --json "$WORK/report.json" $SKYPLANE_ARGS
      report=(--skyplane-report "$WORK/report.json") ;;
    rclone)
      # shellcheck disable=SC2086
      measure "million-$route-$tool-$n" env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" copy "$SRC" \
        "$rto" --transfers "$P" --checkers "$P" --disable Copy,ServerSideAcrossConfigs $RCLONE_ARGS ;;
    *) die "unknown tool $tool (known: skyplane rclone)" ;;
  esac
  if (( M_RC != 0 )); then
    check="exit $M_RC"
  elif ! rc md5sum "$rto" --checkers 8 2>"$WORK/read-back.log" | LC_ALL=C sort -k2 > "$WORK/actual.md5"; then
    check="read-back failed"
  else
    check=$(same_manifest "$DATA/$SHAPE.md5" "$WORK/actual.md5") && check=ok
  fi
  [[ $check == ok ]] || log "$route $tool: FAIL ($check)"
  python3 "$BENCH_LIB/results.py" add "$ROWS" "route=$route" "shape=$SHAPE" "tool=$tool" "run=$n" \
    "objects=$N" "bytes=$N" "check=$check" "heap=$([[ $tool == skyplane ]] && echo "$HEAP" || echo -)" \
    "wall_s=$M_WALL" "user_s=$M_USER" "sys_s=$M_SYS" "peak_rss_kib=$M_RSS" "launched_at=$M_LAUNCHED" \
    "${report[@]}"
  rm -rf "$DST"
  [[ $route == local-s3 ]] && { rc purge "$rto" >/dev/null 2>&1 || true; }
  return 0
}

for route in $ROUTES; do
  for n in $(seq 1 "$RUNS"); do
    for tool in $TOOLS; do
      log "$route $SHAPE: $tool (run $n of $RUNS)"
      run "$route" "$tool" "$n"
    done
  done
done

machine_facts million \
  "objects=$N files of 1 byte in $(( N / 1000 > 0 ? N / 1000 : 1 )) folders" \
  "skyplane=SKYPLANE_HEAP=$HEAP bin/skyplane cp -r -p $P -q --json (embedded: client, JobManager and TaskManager in one JVM) ${SKYPLANE_ARGS}" \
  "rclone_flags=--transfers $P --checkers $P --disable Copy,ServerSideAcrossConfigs ${RCLONE_ARGS}" \
  "s3=$([[ " $ROUTES " == *" local-s3 "* ]] && echo "one S3Proxy (tests/servers/start s3), on this machine" || echo none)" \
  "cache=sync and source read once before every run" \
  "verification=MD5 of every destination object (rclone md5sum: files hashed, S3 ETags) against the source's"
render million
