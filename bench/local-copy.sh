#!/usr/bin/env bash
# Benchmark: ~1 GiB local -> local in three shapes, skyplane vs rclone copy vs cp -r, in one run.
#
#   bench/local-copy.sh [WORKDIR]      (default: a fresh temp dir; needs ~4 GiB of free disk)
#
# Shapes: random bytes (4 x 256 MiB), compressible text (8 x 128 MiB of log lines),
# and 20,000 files of 4 KiB. Every tool copies the same source into a fresh destination with a
# warm page cache (each source is read once before the first timed run); every copy is checked
# byte for byte (sha256sum of all files) before its time counts. Wall time includes each tool's
# start-up (for skyplane: the JVM and the embedded Flink MiniCluster); the "(in-job)" row is the
# same skyplane run from its first chunk read to the end, from its JSON report. Peak RSS comes from
# GNU time. Prints a table with MiB/s and the ratio of each peer's time to skyplane's.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
WORK=${1:-$(mktemp -d /tmp/skyplane-bench.XXXXXX)}
SKYPLANE_ARGS=${SKYPLANE_ARGS:-}
for tool in rclone /usr/bin/time sha256sum python3; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool (apt-get install -y rclone time)" >&2; exit 2; }
done
[[ -f "$ROOT/job/target/skyplane-job.jar" ]] || (cd "$ROOT" && mvn -q -B -DskipTests -pl job -am package)
mkdir -p "$WORK"
trap 'rm -rf "$WORK"/dst-*' EXIT

make_shapes() {
  local s="$WORK/src"
  [[ -f "$s/.complete" ]] && return
  rm -rf "$s"; mkdir -p "$s/random" "$s/text" "$s/small"
  for i in 1 2 3 4; do head -c $((256 << 20)) /dev/urandom > "$s/random/part-$i.bin"; done
  python3 - "$s/text" <<'PY'
import sys, random
random.seed(7)
paths = ["/index.html", "/api/v1/items", "/static/app.js", "/login", "/img/logo.png"]
for i in range(8):
    with open(f"{sys.argv[1]}/access-{i}.log", "w") as f:
        size = 0
        while size < 128 << 20:
            line = (f"10.{random.randint(0,255)}.{random.randint(0,255)}.{random.randint(0,255)} - - "
                    f"[29/Nov/2026:13:{random.randint(0,59):02d}:{random.randint(0,59):02d} +0000] "
                    f"\"GET {random.choice(paths)} HTTP/1.1\" {random.choice([200,200,200,304,404])} "
                    f"{random.randint(100,99999)} \"-\" \"Mozilla/5.0\"\n")
            f.write(line); size += len(line)
PY
  for d in $(seq 0 99); do
    mkdir -p "$s/small/d$d"
    for f in $(seq 0 199); do head -c 4096 /dev/urandom > "$s/small/d$d/f$f"; done
  done
  touch "$s/.complete"
}

digest() { (cd "$1" && find . -type f ! -name .complete -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-16; }

run() { # run TOOL SHAPE -> prints "seconds rss_kib"
  local tool=$1 shape=$2 src="$WORK/src/$2" dst="$WORK/dst-$1-$2"
  rm -rf "$dst"
  local stats="$WORK/time.txt"
  case $tool in
    skyplane) /usr/bin/time -f "%e %M" -o "$stats" "$ROOT/bin/skyplane" cp -r "$src" "$dst" -q \
                --json "$WORK/report.json" $SKYPLANE_ARGS >/dev/null ;;
    rclone)   /usr/bin/time -f "%e %M" -o "$stats" env -u AWS_CA_BUNDLE rclone copy "$src" "$dst" >/dev/null 2>&1 ;;
    cp)       /usr/bin/time -f "%e %M" -o "$stats" cp -r "$src" "$dst" ;;
  esac
  [[ "$(digest "$dst")" == "$(digest "$src")" ]] || { echo "bench: $tool $shape copy differs!" >&2; exit 1; }
  rm -rf "$dst"
  cat "$stats"
}

make_shapes
for shape in random text small; do cat "$WORK/src/$shape"/* "$WORK/src/$shape"/*/* 2>/dev/null >/dev/null || true; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(rclone version 2>/dev/null | head -1); skyplane ${SKYPLANE_ARGS:-defaults}"
printf "%-8s %-9s %9s %10s %9s %11s %14s\n" shape tool bytes seconds MiB/s peakRSS "time/skyplane"
for shape in random text small; do
  bytes=$(du -sb --apparent-size "$WORK/src/$shape" | cut -f1)
  declare -A secs=()
  for tool in skyplane rclone cp; do
    read -r s rss < <(run "$tool" "$shape")
    secs[$tool]=$s
    mibs=$(python3 -c "print(f'{$bytes/1048576/max($s,0.001):.0f}')")
    ratio=$(python3 -c "print(f'{$s/max(${secs[skyplane]},0.001):.2f}x')")
    printf "%-8s %-9s %9s %10s %9s %9sMiB %14s\n" "$shape" "$tool" "$(numfmt --to=iec $bytes)" "$s" "$mibs" $((rss / 1024)) "$ratio"
    if [[ $tool == skyplane ]]; then
      # the same run without the JVM/MiniCluster start-up: from the first chunk read to the end
      read -r ts tmibs < <(python3 -c "import json; r=json.load(open('$WORK/report.json')); print(f\"{r['transferSeconds']:.2f} {r['transferBytesPerSecond']/1048576:.0f}\")")
      printf "%-8s %-9s %9s %10s %9s %12s %14s\n" "$shape" "(in-job)" "" "$ts" "$tmibs" "" "(no start-up)"
    fi
  done
done
