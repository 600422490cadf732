#!/usr/bin/env bash
# Benchmark: object store -> object store on this machine's local servers, skyplane vs rclone, one
# tool at a time.
#
#   bench/stores.sh                    (all routes and shapes: about an hour on 2 cores)
#   ROUTES="s3-s3" SHAPES="big-1g small-10k" SCALE=small bench/stores.sh      (a quick run)
#
# Routes: s3-s3 (S3Proxy A -> S3Proxy B: two servers, so no server-side copy is possible), s3-gs
# (S3Proxy -> our GCS server), gs-azure (GCS -> Azurite), azure-s3 (Azurite -> S3Proxy). Only the
# servers the chosen routes need are started (tests/servers/start, one state folder each, under WORK)
# and they are stopped on exit. Shapes as in bench/lib/common.sh (big-1g 4 x 256 MiB random, big-4g
# 4 x 1 GiB random, text-1g 8 x 128 MiB of log lines, small-10k 10,000 x 4 KiB), written locally
# once and kept in WORK; each source store gets them with rclone when a route first needs them (read
# back and checked against the local checksums before any timed run) and loses them after its last
# route; each destination store is warmed up once by rclone (see warm) before its first timed run.
# Then, for every route and shape, each tool copies the same source into a fresh prefix:
#   bin/skyplane cp -r SRC DST -p P -q --json REPORT --store-config FILE   (zstd:1, the default)
#   bin/skyplane ... --compression none                  ("skyplane-nocomp", on NOCOMP_SHAPES only)
#   rclone copy SRC DST --transfers P --checkers P --multi-thread-streams 1
#     --s3-upload-concurrency C --azureblob-upload-concurrency C --disable Copy,ServerSideAcrossConfigs
# Same parallelism: skyplane runs P readers (one 64 MiB chunk each at a time) and P writers, each
# streaming the parts of the chunks it receives while they arrive (about P uploads in flight, more
# while earlier parts finish); rclone copies P objects at once, each read in one stream, with
# C = RCLONE_UPLOAD_CONCURRENCY = 2 multipart parts in flight per object (rclone's defaults: 4 on
# S3, 16 on Azure; its GCS uploads are one resumable stream per object): at most P reads and about
# 2P uploads in flight for either tool. Server-side copy is off for rclone: the
# two sides are different remotes, server-side copy across configs is not enabled, and the Copy
# feature is disabled as well, so every byte streams through the client. P defaults to skyplane's
# own default, the number of cores.
# Every copy is read back by rclone (`rclone hashsum sha256 --download`: every byte of every object
# downloaded and hashed by rclone, not the stores' own hashes nor skyplane's report) and compared
# with the checksums of the local source files; a difference or a non-zero exit makes the row FAIL.
# Wall time, user + sys CPU and peak RSS come from GNU time of the tool's process; the servers' CPU
# over the same run is in results.csv (server_cpu_s).
#
# Environment (defaults):
#   ROUTES="s3-s3 s3-gs gs-azure azure-s3"  SHAPES="big-1g big-4g text-1g small-10k"
#   TOOLS="skyplane skyplane-nocomp rclone"  NOCOMP_SHAPES="big-1g text-1g"
#   P=$(nproc)  RCLONE_UPLOAD_CONCURRENCY=2  RUNS=1 (runs per tool, route and shape; tables: medians)
#   SCALE=full|small|N (small: sizes and counts / 32; a scaled run writes its results under WORK)
#   WORK=${TMPDIR:-/tmp}/skyplane-bench (the local data is kept there between runs, ~6.1 GiB at full
#        scale; the servers' folders need room for the shapes of one source plus one copy)
#   RESULTS=bench/results/stores-<UTC time> (at full scale)  GCS_HEAP=512m  SKYPLANE_ARGS="" RCLONE_ARGS=""
# Results: a table on stdout; summary.md, results.json and results.csv in RESULTS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
WORK=${WORK:-${TMPDIR:-/tmp}/skyplane-bench}
ROUTES=${ROUTES:-"s3-s3 s3-gs gs-azure azure-s3"}
SHAPES=${SHAPES:-"big-1g big-4g text-1g small-10k"}
TOOLS=${TOOLS:-"skyplane skyplane-nocomp rclone"}
NOCOMP_SHAPES=${NOCOMP_SHAPES:-"big-1g text-1g"}
RCLONE_UPLOAD_CONCURRENCY=${RCLONE_UPLOAD_CONCURRENCY:-2}
RUNS=${RUNS:-1}
GCS_HEAP=${GCS_HEAP:-512m}
SKYPLANE_ARGS=${SKYPLANE_ARGS:-}
RCLONE_ARGS=${RCLONE_ARGS:-}
SERVERS="$ROOT/tests/servers"
command -v node >/dev/null || die "needs node (Azurite)"

route_stores() { # ROUTE -> "SRC DST" (store names)
  case $1 in
    s3-s3) echo "s3a s3b" ;;
    s3-gs) echo "s3a gs" ;;
    gs-azure) echo "gs azure" ;;
    azure-s3) echo "azure s3b" ;;
    *) die "unknown route $1 (known: s3-s3 s3-gs gs-azure azure-s3; local: bench/local-copy.sh)" ;;
  esac
}
for route in $ROUTES; do route_stores "$route" >/dev/null; done
bench_init stores

STATES=()
teardown() {
  local rc=$? state
  for state in "${STATES[@]}"; do
    "$SERVERS/stop" --state "$state" >/dev/null || log "could not stop the servers of $state"
  done
  rm -f "$WORK/rclone.conf" "$WORK/stores.properties" "$WORK/report.json"
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

# --- data ------------------------------------------------------------------------------------------
for shape in $SHAPES; do make_shape "$shape"; done

# --- servers ---------------------------------------------------------------------------------------
needed=" "
for route in $ROUTES; do read -r a b < <(route_stores "$route"); needed+="$a $b "; done
start() { # start STORE KIND
  local state="$WORK/servers-$1"
  [[ -e "$state/pids" ]] && "$SERVERS/stop" --state "$state" >/dev/null 2>&1  # left by a killed run
  rm -rf "$state"
  STATES+=("$state")
  "$SERVERS/start" "$2" --state "$state" --gcs-heap "$GCS_HEAP" >/dev/null
}
log "starting servers:$needed(state folders under $WORK)"
[[ $needed == *" s3a "* ]] && start s3a s3
[[ $needed == *" s3b "* ]] && start s3b s3
[[ $needed == *" gs "* ]] && start gs gcs
[[ $needed == *" azure "* ]] && start azure azure

export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AZURE_STORAGE_CONNECTION_STRING
: > "$WORK/rclone.conf"
: > "$WORK/stores.properties"
chmod 600 "$WORK/rclone.conf"
for s3 in s3a s3b; do
  [[ $needed == *" $s3 "* ]] || continue
  env="$WORK/servers-$s3/env"
  s3_remote "$s3" "$env"
  region=$S3_REGION
  # Bucket names differ across the two S3Proxies (same keys): the store config points each at its own.
  printf 's3.path-style=true\ns3.region=%s\ns3@bench-%s.endpoint=%s\n' "$region" "${s3#s3}" \
    "$(value "$env" S3_ENDPOINT)" >> "$WORK/stores.properties"
done
if [[ $needed == *" gs "* ]]; then
  env="$WORK/servers-gs/env"
  cat >> "$WORK/rclone.conf" <<EOF
[gs]
type = google cloud storage
anonymous = true
project_number = $(value "$env" GCS_PROJECT)
endpoint = $(value "$env" GCS_ENDPOINT)/storage/v1/

EOF
  printf 'gs.endpoint=%s\ngs.project=%s\ngs.anonymous=true\n' "$(value "$env" GCS_ENDPOINT)" \
    "$(value "$env" GCS_PROJECT)" >> "$WORK/stores.properties"
fi
if [[ $needed == *" azure "* ]]; then
  env="$WORK/servers-azure/env"
  AZURE_ACCOUNT=$(value "$env" AZURE_ACCOUNT)
  AZURE_STORAGE_CONNECTION_STRING=$(value "$env" AZURE_CONNECTION_STRING)
  # rclone reaches Azurite through an account SAS URL (its use_emulator is broken in 1.60).
  sas_url=$(python3 - "$AZURE_ACCOUNT" "$(value "$env" AZURE_KEY)" "$(value "$env" AZURE_BLOB_ENDPOINT)" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
account, key, endpoint = sys.argv[1:4]
f = dict(sv="2019-12-12", ss="b", srt="sco", sp="rwdlacup", se="2099-01-01T00:00:00Z", spr="https,http")
to_sign = "\n".join([account, f["sp"], f["ss"], f["srt"], "", f["se"], "", f["spr"], f["sv"], ""])
f["sig"] = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest()).decode()
print(endpoint + "?" + urllib.parse.urlencode(f))
PY
)
  printf '[azure]\ntype = azureblob\nsas_url = %s\n\n' "$sas_url" >> "$WORK/rclone.conf"
  printf 'azure.endpoint=%s\n' "$(value "$env" AZURE_BLOB_ENDPOINT)" >> "$WORK/stores.properties"
fi

rc() { env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "$@"; }
rclone_root() { case $1 in s3a) echo s3a:bench-a ;; s3b) echo s3b:bench-b ;; gs) echo gs:bench-g ;; azure) echo azure:bench-z ;; esac; }
skyplane_root() { case $1 in s3a) echo s3://bench-a ;; s3b) echo s3://bench-b ;; gs) echo gs://bench-g ;; azure) echo "azure://$AZURE_ACCOUNT/bench-z" ;; esac; }
for store in $needed; do rc mkdir "$(rclone_root "$store")"; done

# servers_cpu: user + sys seconds the running servers have used so far
servers_cpu() {
  local state pid ticks=0 f
  for state in "${STATES[@]}"; do
    while read -r pid; do
      [[ -r /proc/$pid/stat ]] || continue
      read -r -a f < <(sed 's/.*) //' "/proc/$pid/stat")
      ticks=$((ticks + f[11] + f[12] + f[13] + f[14]))  # utime stime cutime cstime
    done < "$state/pids"
  done
  calc "$ticks / $(getconf CLK_TCK)"
}

# read_back REMOTE:PATH OUT: every object downloaded and hashed by rclone, "sha256  path" lines
read_back() {
  rc hashsum sha256 --download --checkers 4 "$1" > "$2" 2>"$WORK/read-back.log" \
    || { log "rclone hashsum $1 failed:"; tail -n 5 "$WORK/read-back.log" >&2; return 1; }
}

servers_facts() { # what ran, for the machine facts
  local out=()
  [[ $needed == *" s3a "* || $needed == *" s3b "* ]] && out+=("S3Proxy ($(grep -o 's3[ab]' <<<"$needed" | wc -l) instance(s))")
  [[ $needed == *" gs "* ]] && out+=("the project's GCS server (heap $GCS_HEAP)")
  [[ $needed == *" azure "* ]] && out+=("Azurite $(python3 -c "import json; print(json.load(open('$SERVERS/azurite/package.json'))['dependencies']['azurite'])" 2>/dev/null)")
  local joined
  joined=$(printf '%s, ' "${out[@]}")
  echo "${joined%, }; on this machine, sharing its cores with the tools"
}

# --- runs ------------------------------------------------------------------------------------------
uploaded=" "
upload() { # upload STORE: the shapes into STORE/src/, read back and checked
  local store=$1 shape why
  [[ $uploaded == *" $store "* ]] && return 0
  for shape in $SHAPES; do
    log "uploading $shape to $store"
    rc copy "$DATA/$shape" "$(rclone_root "$store")/src/$shape" --transfers 4 --checkers 4
    read_back "$(rclone_root "$store")/src/$shape" "$WORK/actual.sha256" || die "cannot read back the source"
    why=$(same_manifest "$DATA/$shape.sha256" "$WORK/actual.sha256") || die "the source $store/src/$shape is wrong: $why"
  done
  uploaded+="$store "
}

# warm STORE: an untimed write, read-back and delete of 200 small objects and one of 32 MiB by
# rclone, once per store before its first timed run, so that the first tool to write into a server
# does not pay that server's JIT warm-up alone (a source is already warm from its upload).
warmed=" "
warm() {
  local store=$1 dir="$WORK/warm-up" i
  [[ $warmed == *" $store "* ]] && return 0
  if [[ ! -d $dir ]]; then
    mkdir -p "$dir.tmp"
    for i in $(seq 1 200); do head -c 4096 /dev/urandom > "$dir.tmp/f$i"; done
    head -c $((32 << 20)) /dev/urandom > "$dir.tmp/big"
    mv "$dir.tmp" "$dir"
  fi
  log "warming up $store"
  rc copy "$dir" "$(rclone_root "$store")/warm-up" --transfers 4 --checkers 4
  read_back "$(rclone_root "$store")/warm-up" "$WORK/warm-up.sha256" || die "cannot read back the warm-up from $store"
  rc purge "$(rclone_root "$store")/warm-up" >/dev/null 2>&1 || true
  warmed+="$store "
}

# run ROUTE SRC DST TOOL SHAPE N: one timed copy, checked, appended to ROWS
runs=0
run() {
  local route=$1 src=$2 dst=$3 tool=$4 shape=$5 n=$6 check=ok report=() cpu0
  runs=$((runs + 1))
  local from to prefix="run-$runs-$tool-$shape"
  from="$(rclone_root "$src")/src/$shape"
  to="$(rclone_root "$dst")/$prefix"
  rm -f "$WORK/report.json"
  settle "$WORK/servers-$src"  # the source's files in the page cache, the last run's writes flushed
  cpu0=$(servers_cpu)
  case $tool in
    skyplane|skyplane-nocomp)
      # shellcheck disable=SC2046,SC2086
      measure "stores-$route-$shape-$tool-$n" "$ROOT/bin/skyplane" cp -r "$(skyplane_root "$src")/src/$shape" \
        "$(skyplane_root "$dst")/$prefix" -p "$P" -q --store-config "$WORK/stores.properties" \
        --json "$WORK/report.json" $(skyplane_variant_args "$tool") $SKYPLANE_ARGS
      report=(--skyplane-report "$WORK/report.json") ;;
    rclone)
      # shellcheck disable=SC2086
      measure "stores-$route-$shape-$tool-$n" env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" \
        copy "$from" "$to" --transfers "$P" --checkers "$P" --multi-thread-streams 1 \
        --s3-upload-concurrency "$RCLONE_UPLOAD_CONCURRENCY" \
        --azureblob-upload-concurrency "$RCLONE_UPLOAD_CONCURRENCY" \
        --disable Copy,ServerSideAcrossConfigs $RCLONE_ARGS ;;
    *) die "unknown tool $tool (known: skyplane skyplane-nocomp rclone)" ;;
  esac
  local server_cpu
  server_cpu=$(calc "round($(servers_cpu) - $cpu0, 2)")
  if (( M_RC != 0 )); then
    check="exit $M_RC"
  elif ! read_back "$to" "$WORK/actual.sha256"; then
    check="read-back failed"
  else
    check=$(same_manifest "$DATA/$shape.sha256" "$WORK/actual.sha256") && check=ok
  fi
  [[ $check == ok ]] || log "$route $shape $tool: FAIL ($check)"
  python3 "$BENCH_LIB/results.py" add "$ROWS" "route=$route" "shape=$shape" "tool=$tool" "run=$n" \
    "objects=$(shape_objects "$shape")" "bytes=$(shape_bytes "$shape")" "check=$check" \
    "wall_s=$M_WALL" "user_s=$M_USER" "sys_s=$M_SYS" "peak_rss_kib=$M_RSS" "launched_at=$M_LAUNCHED" \
    "server_cpu_s=$server_cpu" "${report[@]}"
  rc purge "$to" >/dev/null 2>&1 || true
}

remaining=($ROUTES)
for route in $ROUTES; do
  remaining=("${remaining[@]:1}")
  read -r src dst < <(route_stores "$route")
  upload "$src"
  warm "$dst"
  for shape in $SHAPES; do
    for n in $(seq 1 "$RUNS"); do
      for tool in $(tools_for "$shape"); do
        log "$route $shape: $tool (run $n of $RUNS)"
        run "$route" "$src" "$dst" "$tool" "$shape" "$n"
      done
    done
  done
  still_needed=0
  for later in "${remaining[@]}"; do
    read -r later_src _ < <(route_stores "$later")
    [[ $later_src == "$src" ]] && still_needed=1
  done
  if (( still_needed == 0 )); then
    rc purge "$(rclone_root "$src")/src" >/dev/null 2>&1 || true  # room for the next source's data
    uploaded=${uploaded/ $src / }
  fi
done

machine_facts stores \
  "routes=$ROUTES" \
  "skyplane=bin/skyplane cp -r -p $P -q --store-config --json (compression zstd:1; skyplane-nocomp: --compression none)${SKYPLANE_ARGS:+ $SKYPLANE_ARGS}" \
  "rclone_flags=--transfers $P --checkers $P --multi-thread-streams 1 --s3-upload-concurrency $RCLONE_UPLOAD_CONCURRENCY --azureblob-upload-concurrency $RCLONE_UPLOAD_CONCURRENCY --disable Copy,ServerSideAcrossConfigs${RCLONE_ARGS:+ $RCLONE_ARGS}" \
  "servers=$(servers_facts)" \
  "verification=rclone hashsum sha256 --download of every destination object against the local source files' sha256"
render stores
