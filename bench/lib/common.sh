# Sourced by bench/local-copy.sh and bench/stores.sh: scale, shapes, timing of one tool run,
# verification helpers, machine facts and the results folder. Not a script of its own.
#
# Shapes (at SCALE=full):
#   big-1g     4 x 256 MiB of random bytes
#   big-4g     4 x 1 GiB of random bytes
#   text-1g    8 x 128 MiB of web-server log lines (zstd:1 shrinks them ~6x)
#   small-10k  10,000 x 4 KiB of random bytes, in 100 folders
# SCALE=small divides every size of the big and text shapes and the count of small-10k by 32
# (4 x 8 MiB, 4 x 32 MiB, 8 x 4 MiB, 312 files); SCALE=N divides by N. Data is written once into
# $WORK/data/xN/SHAPE with its checksums in $WORK/data/xN/SHAPE.sha256 and kept between runs.

BENCH_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_LIB/../.." && pwd)
KNOWN_SHAPES="big-1g big-4g text-1g small-10k"

log() { echo "bench: $*" >&2; }
die() { log "$*"; exit 2; }
calc() { python3 -c "print($1)"; }

# bench_init KIND: checks the tools and sets SCALE_DIV, P, DATA, OUT (results folder), ROWS, LOGS.
bench_init() {
  local kind=$1
  for tool in rclone python3 java sha256sum /usr/bin/time; do
    command -v "$tool" >/dev/null || die "needs $tool (apt-get install -y rclone time)"
  done
  case ${SCALE:-full} in
    full) SCALE_DIV=1 ;;
    small) SCALE_DIV=32 ;;
    ''|*[!0-9]*) die "SCALE must be full, small or a divisor, got '$SCALE'" ;;
    *) SCALE_DIV=$SCALE ;;
  esac
  (( SCALE_DIV >= 1 )) || die "SCALE must be at least 1"
  P=${P:-$(nproc)}  # skyplane's own default -p: the number of cores (TransferOptions)
  for shape in $SHAPES; do
    [[ " $KNOWN_SHAPES " == *" $shape "* ]] || die "unknown shape $shape (known: $KNOWN_SHAPES)"
  done
  mkdir -p "$WORK"
  WORK=$(cd "$WORK" && pwd)
  DATA="$WORK/data/x$SCALE_DIV"
  local stamp
  stamp=$(date -u +%Y%m%dT%H%M%SZ)
  STARTED_UTC=$stamp
  if [[ -z ${RESULTS:-} ]]; then
    if (( SCALE_DIV == 1 )); then
      RESULTS="$ROOT/bench/results/$kind-$stamp"
    else
      RESULTS="$WORK/results/$kind-$stamp-scale$SCALE_DIV"  # scaled-down runs never land in bench/results
    fi
  fi
  OUT=$RESULTS
  mkdir -p "$OUT" "$WORK/logs" "$DATA"
  LOGS="$WORK/logs"
  ROWS="$WORK/rows-$kind-$stamp.jsonl"
  : > "$ROWS"
  export SKYPLANE_LOG_DIR="$WORK/logs/skyplane"
  if [[ " $TOOLS " == *" skyplane"* && ! ( -f "$ROOT/job/target/skyplane-job.jar" && -d "$ROOT/job/target/lib" ) ]]; then
    log "building skyplane-job.jar (not inside a timed run)"
    (cd "$ROOT" && mvn -B -ntp -q -pl job -am package -DskipTests)
  fi
  local load
  load=$(cut -d' ' -f1 /proc/loadavg)
  if python3 -c "import sys; sys.exit(0 if $load > $(nproc) / 2 else 1)"; then
    log "warning: load average $load on $(nproc) cores before the run; the figures will be noisy"
  fi
  LOAD_BEFORE=$load
}

shape_spec() { # SHAPE -> "kind count bytes-each"
  case $1 in
    big-1g) echo "random 4 $(( (256 << 20) / SCALE_DIV ))" ;;
    big-4g) echo "random 4 $(( (1024 << 20) / SCALE_DIV ))" ;;
    text-1g) echo "text 8 $(( (128 << 20) / SCALE_DIV ))" ;;
    small-10k) echo "small $(( 10000 / SCALE_DIV )) 4096" ;;
    *) die "unknown shape $1" ;;
  esac
}

manifest() { # DIR -> "sha256  relative/path" lines, sorted by path
  (cd "$1" && find . -type f -printf '%P\0' | LC_ALL=C sort -z | xargs -0r sha256sum)
}

# make_shape SHAPE: writes $DATA/SHAPE and $DATA/SHAPE.sha256 unless they are there already.
make_shape() {
  local shape=$1 dir="$DATA/$1" kind count each
  [[ -f "$DATA/$shape.sha256" ]] && return 0
  read -r kind count each < <(shape_spec "$shape")
  log "writing $shape ($count x $each bytes, $kind) into $dir"
  rm -rf "$dir"; mkdir -p "$dir"
  case $kind in
    random)
      for i in $(seq 1 "$count"); do head -c "$each" /dev/urandom > "$dir/part-$i.bin"; done ;;
    small)
      python3 - "$dir" "$count" "$each" <<'PY'
import os, sys
root, count, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(count):
    d = os.path.join(root, f"d{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}"), "wb") as f:
        f.write(os.urandom(each))
PY
      ;;
    text)
      python3 - "$dir" "$count" "$each" <<'PY'
import random, sys
root, count, each = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
paths = ["/index.html", "/api/v1/items", "/static/app.js", "/login", "/img/logo.png"]
for i in range(count):
    rnd = random.Random(7 + i)
    r = rnd.randint
    lines, size = [], 0
    while size < each:
        line = (f"10.{r(0,255)}.{r(0,255)}.{r(0,255)} - - [29/Nov/2026:13:{r(0,59):02d}:{r(0,59):02d} +0000] "
                f"\"GET {rnd.choice(paths)} HTTP/1.1\" {rnd.choice((200, 200, 200, 304, 404))} {r(100, 99999)} "
                "\"-\" \"Mozilla/5.0\"\n")
        lines.append(line); size += len(line)
    with open(f"{root}/access-{i}.log", "w") as f:
        f.write("".join(lines)[:each])
PY
      ;;
  esac
  manifest "$dir" > "$DATA/$shape.sha256.tmp"
  mv "$DATA/$shape.sha256.tmp" "$DATA/$shape.sha256"
}

value() { (set +u; source "$1"; eval "echo \"\$$2\""); }  # value ENV_FILE VARIABLE

# s3_remote NAME ENV_FILE: sets AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (exported) and S3_REGION from
# the env file tests/servers/start wrote, and appends rclone remote NAME for that S3Proxy to
# $WORK/rclone.conf.
s3_remote() {
  local name=$1 env=$2
  export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY
  AWS_ACCESS_KEY_ID=$(value "$env" S3_ACCESS_KEY)
  AWS_SECRET_ACCESS_KEY=$(value "$env" S3_SECRET_KEY)
  S3_REGION=$(value "$env" S3_REGION)
  cat >> "$WORK/rclone.conf" <<EOC
[$name]
type = s3
provider = Other
endpoint = $(value "$env" S3_ENDPOINT)
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
region = $S3_REGION
force_path_style = true

EOC
}

shape_objects() { wc -l < "$DATA/$1.sha256"; }
shape_bytes() { find "$DATA/$1" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }'; }

# same_manifest EXPECTED ACTUAL: 0 when both hold the same "sha256  path" lines (in any order); else
# prints what differs, for the check column.
same_manifest() {
  local a="$WORK/expected.sorted" b="$WORK/actual.sorted"
  LC_ALL=C sort "$1" > "$a"
  LC_ALL=C sort "$2" > "$b"
  cmp -s "$a" "$b" && return 0
  echo "checksums differ: $(LC_ALL=C comm -23 "$a" "$b" | wc -l) of $(wc -l < "$a") objects missing or" \
    "different, $(LC_ALL=C comm -13 "$a" "$b" | wc -l) unexpected or different"
  return 1
}

# tools_for SHAPE: the tools of TOOLS that run on SHAPE (skyplane-nocomp only on NOCOMP_SHAPES).
tools_for() {
  local tool out=()
  for tool in $TOOLS; do
    if [[ $tool == skyplane-nocomp && " $NOCOMP_SHAPES " != *" $1 "* ]]; then continue; fi
    out+=("$tool")
  done
  echo "${out[@]}"
}

# skyplane_variant_args TOOL -> extra skyplane arguments of the variant
skyplane_variant_args() {
  case $1 in
    skyplane) echo "" ;;                          # the default codec, zstd:1
    skyplane-nocomp) echo "--compression none" ;;
    *) die "unknown skyplane variant $1" ;;
  esac
}

# measure NAME COMMAND...: runs COMMAND under GNU time, its output to $LOGS/NAME.log. Sets
# M_RC (exit status), M_LAUNCHED (epoch seconds just before the start), M_WALL, M_USER, M_SYS
# (seconds) and M_RSS (peak resident KiB) -- of the command's own process: the launchers exec.
measure() {
  local name=$1; shift
  local stats="$WORK/time.txt"
  rm -f "$stats"
  M_LAUNCHED=$(date +%s.%N)
  set +e
  /usr/bin/time -f "%e %U %S %M" -o "$stats" "$@" >"$LOGS/$name.log" 2>&1
  M_RC=$?
  set -e
  read -r M_WALL M_USER M_SYS M_RSS < <(tail -n 1 "$stats")
  if (( M_RC != 0 )); then
    log "$name exited with $M_RC:"; tail -n 15 "$LOGS/$name.log" >&2
  fi
}

# settle SOURCE_DIR...: flushes the previous run's dirty pages and warms the sources' page cache, so
# that every timed run starts alike.
settle() {
  sync
  local dir
  for dir in "$@"; do find "$dir" -type f -exec cat {} + >/dev/null; done
}

# machine_facts KIND EXTRA_KEY=VALUE...: writes $WORK/machine-KIND.json
machine_facts() {
  local kind=$1; shift
  local commit dirty
  commit=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
  dirty=$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
  python3 "$BENCH_LIB/results.py" machine "$WORK/machine-$kind.json" \
    "benchmark=bench/$kind" \
    "started_utc=$STARTED_UTC" \
    "nproc=$(nproc)" \
    "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')" \
    "memory=$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)" \
    "kernel=$(uname -r)" \
    "java=$(java -version 2>&1 | head -n 1)" \
    "rclone=$(rclone version 2>/dev/null | head -n 1)" \
    "git_commit=$commit$( ((dirty > 0)) && echo " (+$dirty modified files)")" \
    "load_average_before=$LOAD_BEFORE" \
    "load_average_after=$(cut -d' ' -f1-3 /proc/loadavg)" \
    "scale=${SCALE:-full} (sizes and counts divided by $SCALE_DIV)" \
    "P=$P (skyplane -p P; rclone --transfers P --checkers P)" \
    "$@"
}

render() { # render KIND
  python3 "$BENCH_LIB/results.py" render "$ROWS" "$WORK/machine-$1.json" "$OUT"
}
