#!/usr/bin/env bash
# Benchmark: local -> local, skyplane vs rclone (and cp -r as the floor), one tool at a time.
#
#   bench/local-copy.sh [WORK]         (all shapes: ~10 min on 2 cores, data written the first time)
#   SHAPES="big-1g small-10k" SCALE=small bench/local-copy.sh      (a quick run)
#
# For every shape (bench/lib/common.sh: big-1g 4 x 256 MiB random, big-4g 4 x 1 GiB random, text-1g
# 8 x 128 MiB of log lines, small-10k 10,000 x 4 KiB) each tool copies the same source folder into a
# fresh destination folder:
#   bin/skyplane cp -r SRC DST -p P -q --json REPORT      (zstd:1, the default codec)
#   bin/skyplane ... --compression none                   ("skyplane-nocomp", on NOCOMP_SHAPES only)
#   rclone copy SRC DST --transfers P --checkers P --multi-thread-streams 1 --disable Copy
#   cp -r SRC DST
# Same parallelism: skyplane runs P readers (one chunk of 64 MiB each at a time, chunks of one file in
# parallel) and P writers; rclone copies P files at once, each in one stream (multi-thread copies of
# big files off, they would add streams per file; no server-side copy). P defaults to skyplane's own
# default, the number of cores.
# Before each timed run the previous run's dirty pages are flushed (sync) and the source is read once
# (warm page cache for every tool alike). After it, sha256sum of every file of the destination is
# compared with the source's checksums (computed once when the data was written); a difference or a
# non-zero exit makes the row FAIL and its figures do not count. Wall time, user + sys CPU and peak RSS
# come from GNU time of the tool's process (skyplane: the JVM, embedded MiniCluster and all).
#
# Environment (defaults):
#   SHAPES="big-1g big-4g text-1g small-10k"  TOOLS="skyplane skyplane-nocomp rclone cp"
#   NOCOMP_SHAPES="big-1g text-1g"  (where skyplane also runs with --compression none)
#   P=$(nproc)  RUNS=1 (runs per tool and shape; the tables show medians)
#   SCALE=full|small|N (small: sizes and counts / 32; a scaled run writes its results under WORK)
#   WORK=${TMPDIR:-/tmp}/skyplane-bench (the data is kept there between runs; ~6.1 GiB at full scale,
#        plus room for one copy of the largest shape)
#   RESULTS=bench/results/local-<UTC time> (at full scale)  SKYPLANE_ARGS="" RCLONE_ARGS=""
# Results: a table on stdout; summary.md, results.json and results.csv in RESULTS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
WORK=${1:-${WORK:-${TMPDIR:-/tmp}/skyplane-bench}}
SHAPES=${SHAPES:-"big-1g big-4g text-1g small-10k"}
TOOLS=${TOOLS:-"skyplane skyplane-nocomp rclone cp"}
NOCOMP_SHAPES=${NOCOMP_SHAPES:-"big-1g text-1g"}
RUNS=${RUNS:-1}
SKYPLANE_ARGS=${SKYPLANE_ARGS:-}
RCLONE_ARGS=${RCLONE_ARGS:-}
bench_init local
DST="$WORK/dst"
trap 'rm -rf "$DST" "$WORK/report.json"' EXIT

for shape in $SHAPES; do make_shape "$shape"; done

# run TOOL SHAPE N: one timed copy, checked, appended to ROWS
run() {
  local tool=$1 shape=$2 n=$3 src="$DATA/$2" check=ok
  rm -rf "$DST" "$WORK/report.json"
  settle "$src"
  local report=()
  case $tool in
    skyplane|skyplane-nocomp)
      # shellcheck disable=SC2046,SC2086
      measure "local-$shape-$tool-$n" "$ROOT/bin/skyplane" cp -r "$src" "$DST" -p "$P" -q \
        --json "$WORK/report.json" $(skyplane_variant_args "$tool") $SKYPLANE_ARGS
      report=(--skyplane-report "$WORK/report.json") ;;
    rclone)
      # shellcheck disable=SC2086
      measure "local-$shape-$tool-$n" env -u AWS_CA_BUNDLE rclone copy "$src" "$DST" --config /dev/null \
        --transfers "$P" --checkers "$P" --multi-thread-streams 1 --disable Copy $RCLONE_ARGS ;;
    cp)
      measure "local-$shape-$tool-$n" cp -r "$src" "$DST" ;;
    *) die "unknown tool $tool (known: skyplane skyplane-nocomp rclone cp)" ;;
  esac
  if (( M_RC != 0 )); then
    check="exit $M_RC"
  elif [[ ! -d $DST ]]; then
    check="no destination"
  else
    manifest "$DST" > "$WORK/actual.sha256"
    check=$(same_manifest "$DATA/$shape.sha256" "$WORK/actual.sha256") && check=ok
  fi
  [[ $check == ok ]] || log "local $shape $tool: FAIL ($check)"
  python3 "$BENCH_LIB/results.py" add "$ROWS" route=local "shape=$shape" "tool=$tool" "run=$n" \
    "objects=$(shape_objects "$shape")" "bytes=$(shape_bytes "$shape")" "check=$check" \
    "wall_s=$M_WALL" "user_s=$M_USER" "sys_s=$M_SYS" "peak_rss_kib=$M_RSS" "launched_at=$M_LAUNCHED" \
    "${report[@]}"
  rm -rf "$DST"
}

for shape in $SHAPES; do
  for n in $(seq 1 "$RUNS"); do
    for tool in $(tools_for "$shape"); do
      log "local $shape: $tool (run $n of $RUNS)"
      run "$tool" "$shape" "$n"
    done
  done
done

machine_facts local \
  "skyplane=bin/skyplane cp -r -p $P -q --json (compression zstd:1; skyplane-nocomp: --compression none) ${SKYPLANE_ARGS}" \
  "rclone_flags=--transfers $P --checkers $P --multi-thread-streams 1 --disable Copy ${RCLONE_ARGS}" \
  "cache=sync and source read once before every run" \
  "verification=sha256sum of every destination file against the source's"
render local
