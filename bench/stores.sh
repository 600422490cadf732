#!/usr/bin/env bash
# Benchmark: object store -> object store on this machine's local servers, skyplane vs rclone, in one run.
#
#   bench/stores.sh            (needs ~10 GiB of free disk at the defaults; takes 20-40 min on 2 cores)
#
# Starts two S3Proxy instances (A and B), our GCS server and Azurite (tests/servers/start, one state
# folder each), writes two shapes locally once -- "big": BIG_COUNT x BIG_MIB MiB of random bytes;
# "small": SMALL_COUNT objects of about SMALL_KIB KiB (50-150 %), random bytes -- and uploads them
# with rclone to each store that is a source. Then, for every route and shape, each tool copies the
# same source into a fresh destination prefix:
#   rclone copy SRC DST --transfers P --checkers P   (different remotes, server-side copy disabled:
#                                                     every byte streams through the client)
#   bin/skyplane cp -r SRC DST -p P --json REPORT    (the embedded MiniCluster; endpoints from a
#                                                     generated store config, keys from the env)
# Every copy is checked before its time counts: the same keys and sizes as the source (rclone lsjson),
# and rclone check (hashes where both stores have one; --download for the big shape). Wall time
# includes each tool's start-up (for skyplane: the JVM and the MiniCluster); "in-job s" is skyplane's
# time from its first chunk read to the end, from its JSON report. "rclone/skyplane" is rclone's
# time divided by skyplane's (> 1: skyplane faster); "RSS MiB" is each tool's peak resident memory
# (GNU time). Servers and data are removed on exit.
#
# Environment (defaults): P=4 ROUTES="s3-s3 s3-gs gs-azure azure-s3" SHAPES="big small"
#   TOOLS="skyplane rclone" BIG_COUNT=4 BIG_MIB=256 SMALL_COUNT=10000 SMALL_KIB=100
#   WORK=(a fresh temp dir) KEEP=0 (1: keep WORK's data and the servers' state folders)
#   GCS_HEAP=512m SKYPLANE_ARGS="" RCLONE_ARGS="" CHECK=1 (0: skip the checks, e.g. for a dry run)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
P=${P:-4}
ROUTES=${ROUTES:-"s3-s3 s3-gs gs-azure azure-s3"}
SHAPES=${SHAPES:-"big small"}
TOOLS=${TOOLS:-"skyplane rclone"}
BIG_COUNT=${BIG_COUNT:-4}
BIG_MIB=${BIG_MIB:-256}
SMALL_COUNT=${SMALL_COUNT:-10000}
SMALL_KIB=${SMALL_KIB:-100}
GCS_HEAP=${GCS_HEAP:-512m}
SKYPLANE_ARGS=${SKYPLANE_ARGS:-}
RCLONE_ARGS=${RCLONE_ARGS:-}
CHECK=${CHECK:-1}
KEEP=${KEEP:-0}
WORK=${WORK:-$(mktemp -d /tmp/skyplane-stores-bench.XXXXXX)}
SERVERS="$ROOT/tests/servers"

for tool in rclone python3 java node /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: needs $tool" >&2; exit 2; }
done
if [[ " $TOOLS " == *" skyplane "* && ! ( -f "$ROOT/job/target/skyplane-job.jar" && -d "$ROOT/job/target/lib" ) ]]; then
  (cd "$ROOT" && mvn -q -B -DskipTests -pl job -am package)  # not inside the first timed run
fi
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)
STATES=()

teardown() {
  local rc=$?
  for state in "${STATES[@]}"; do
    "$SERVERS/stop" --state "$state" >/dev/null || echo "bench: could not stop the servers of $state" >&2
  done
  if [[ $KEEP != 1 ]]; then
    rm -rf "$WORK"
  else
    echo "bench: kept $WORK" >&2
  fi
  exit $rc
}
trap teardown EXIT
trap 'exit 130' INT TERM

log() { echo "bench: $*" >&2; }
rc() { env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" "$@"; }
calc() { python3 -c "print($1)"; }

# --- servers ---------------------------------------------------------------------------------------
start() { # start NAME KIND... (the endpoints go to $WORK/servers-NAME/env)
  local state="$WORK/servers-$1"; shift
  STATES+=("$state")
  "$SERVERS/start" "$@" --state "$state" --gcs-heap "$GCS_HEAP" >/dev/null
}
value() { (set +u; source "$1"; eval "echo \"\$$2\""); }  # value ENV_FILE VARIABLE

log "starting servers (state folders under $WORK)"
start s3a s3
start s3b s3
start gcs gcs
start azure azure
S3A="$WORK/servers-s3a/env" S3B="$WORK/servers-s3b/env" GCS="$WORK/servers-gcs/env" AZ="$WORK/servers-azure/env"
S3A_ENDPOINT=$(value "$S3A" S3_ENDPOINT)
S3B_ENDPOINT=$(value "$S3B" S3_ENDPOINT)
GCS_ENDPOINT=$(value "$GCS" GCS_ENDPOINT)
AZURE_ENDPOINT=$(value "$AZ" AZURE_BLOB_ENDPOINT)
AZURE_ACCOUNT=$(value "$AZ" AZURE_ACCOUNT)
export AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AZURE_STORAGE_CONNECTION_STRING
AWS_ACCESS_KEY_ID=$(value "$S3A" S3_ACCESS_KEY)
AWS_SECRET_ACCESS_KEY=$(value "$S3A" S3_SECRET_KEY)
AZURE_STORAGE_CONNECTION_STRING=$(value "$AZ" AZURE_CONNECTION_STRING)
S3_REGION=$(value "$S3A" S3_REGION)
[[ $(value "$S3B" S3_ACCESS_KEY) == "$AWS_ACCESS_KEY_ID" ]] || { log "the two S3Proxies have different keys"; exit 1; }

# rclone reaches Azurite through an account SAS URL (its use_emulator is broken in 1.60).
AZURE_SAS_URL=$(python3 - "$AZURE_ACCOUNT" "$(value "$AZ" AZURE_KEY)" "$AZURE_ENDPOINT" <<'PY'
import base64, hashlib, hmac, sys, urllib.parse
account, key, endpoint = sys.argv[1:4]
f = dict(sv="2019-12-12", ss="b", srt="sco", sp="rwdlacup", se="2099-01-01T00:00:00Z", spr="https,http")
to_sign = "\n".join([account, f["sp"], f["ss"], f["srt"], "", f["se"], "", f["spr"], f["sv"], ""])
f["sig"] = base64.b64encode(hmac.new(base64.b64decode(key), to_sign.encode(), hashlib.sha256).digest()).decode()
print(endpoint + "?" + urllib.parse.urlencode(f))
PY
)
cat > "$WORK/rclone.conf" <<EOF
[s3a]
type = s3
provider = Other
endpoint = $S3A_ENDPOINT
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
region = $S3_REGION
force_path_style = true

[s3b]
type = s3
provider = Other
endpoint = $S3B_ENDPOINT
access_key_id = $AWS_ACCESS_KEY_ID
secret_access_key = $AWS_SECRET_ACCESS_KEY
region = $S3_REGION
force_path_style = true

[gcs]
type = google cloud storage
anonymous = true
project_number = $(value "$GCS" GCS_PROJECT)
endpoint = $GCS_ENDPOINT/storage/v1/

[azure]
type = azureblob
sas_url = $AZURE_SAS_URL
EOF
# Bucket names are distinct across the two S3Proxies: the store config points each at its own.
cat > "$WORK/stores.properties" <<EOF
s3.path-style=true
s3.region=$S3_REGION
s3@bench-a.endpoint=$S3A_ENDPOINT
s3@bench-b.endpoint=$S3B_ENDPOINT
gs.endpoint=$GCS_ENDPOINT
gs.project=$(value "$GCS" GCS_PROJECT)
gs.anonymous=true
azure.endpoint=$AZURE_ENDPOINT
EOF
rc mkdir s3a:bench-a
rc mkdir s3b:bench-b
rc mkdir gcs:bench-g
rc mkdir azure:bench-z

# remote STORE -> "rclone-remote:bucket" and "skyplane://bucket"
rclone_root() { case $1 in s3a) echo s3a:bench-a ;; s3b) echo s3b:bench-b ;; gs) echo gcs:bench-g ;; azure) echo azure:bench-z ;; esac; }
skyplane_root() { case $1 in s3a) echo s3://bench-a ;; s3b) echo s3://bench-b ;; gs) echo gs://bench-g ;; azure) echo "azure://$AZURE_ACCOUNT/bench-z" ;; esac; }
route_stores() { # ROUTE -> "SRC DST" (store names)
  case $1 in
    s3-s3) echo "s3a s3b" ;;
    s3-gs) echo "s3a gs" ;;
    gs-azure) echo "gs azure" ;;
    azure-s3) echo "azure s3b" ;;
    *) log "unknown route $1 (known: s3-s3 s3-gs gs-azure azure-s3)"; exit 2 ;;
  esac
}

# --- data ------------------------------------------------------------------------------------------
log "writing the shapes into $WORK/data"
mkdir -p "$WORK/data/big" "$WORK/data/small"
for i in $(seq 1 "$BIG_COUNT"); do head -c $((BIG_MIB << 20)) /dev/urandom > "$WORK/data/big/part-$i.bin"; done
python3 - "$WORK/data/small" "$SMALL_COUNT" "$SMALL_KIB" <<'PY'
import os, random, sys
root, count, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(11)
for i in range(count):
    d = os.path.join(root, f"d{i % 100:02d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"obj-{i:05d}.bin"), "wb") as f:
        f.write(os.urandom(random.randint(kib * 512, kib * 1536)))
PY
sources=()
for route in $ROUTES; do read -r src _ < <(route_stores "$route"); sources+=("$src"); done
for src in $(printf '%s\n' "${sources[@]}" | sort -u); do
  for shape in $SHAPES; do
    log "uploading $shape to $src"
    rc copy "$WORK/data/$shape" "$(rclone_root "$src")/src/$shape" --transfers 8 --checkers 8
  done
done

# --- runs ------------------------------------------------------------------------------------------
listing() { # listing REMOTE:PATH -> sorted "path size" lines
  rc lsjson -R --files-only "$1" | python3 -c '
import json, sys
for o in sorted(json.load(sys.stdin), key=lambda o: o["Path"]):
    print(o["Path"], o["Size"])'
}

check() { # check SHAPE SRC DST (rclone remotes)
  [[ $CHECK == 1 ]] || return 0
  if ! cmp -s <(listing "$2") <(listing "$3"); then
    log "$3 differs from $2 in keys or sizes:"; diff <(listing "$2") <(listing "$3") | head -20 >&2; return 1
  fi
  local how=()
  [[ $1 == big ]] && how=(--download)
  rc check "${how[@]}" "$2" "$3" --checkers "$P" 2>"$WORK/check.log" \
    || { log "rclone check $2 $3 failed:"; tail -20 "$WORK/check.log" >&2; return 1; }
}

seconds() { # seconds COMMAND... -> wall seconds of the command on stdout (its output to WORK/run.log,
            # its peak RSS in KiB to WORK/rss)
  local t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f %M -o "$WORK/rss" "$@" >"$WORK/run.log" 2>&1 \
    || { log "failed: $*"; tail -20 "$WORK/run.log" >&2; return 1; }
  t1=$(date +%s.%N)
  calc "f'{$t1 - $t0:.2f}'"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem/{print $2}') GiB; $(rclone version 2>/dev/null | head -1); P=$P; skyplane ${SKYPLANE_ARGS:-defaults}; rclone ${RCLONE_ARGS:-defaults}"
row() { printf "%-9s %-6s %-9s %7s %7s %8s %7s %9s %16s %9s %9s\n" "$@"; }
row route shape tool objects MiB seconds MiB/s objects/s rclone/skyplane "in-job s" "RSS MiB"
run=0
for route in $ROUTES; do
  read -r src dst < <(route_stores "$route")
  for shape in $SHAPES; do
    objects=$(find "$WORK/data/$shape" -type f | wc -l)
    bytes=$(du -sb --apparent-size "$WORK/data/$shape" | cut -f1)
    mib=$(calc "f'{$bytes / 1048576:.0f}'")
    declare -A secs=() in_job=() rss=()
    for tool in $TOOLS; do
      run=$((run + 1))
      from="$(rclone_root "$src")/src/$shape"
      to="$(rclone_root "$dst")/run-$run-$tool-$shape"
      case $tool in
        rclone)
          # shellcheck disable=SC2086
          s=$(seconds env -u AWS_CA_BUNDLE rclone --config "$WORK/rclone.conf" copy "$from" "$to" \
                --transfers "$P" --checkers "$P" \
                --disable Copy,ServerSideAcrossConfigs $RCLONE_ARGS) ;;
        skyplane)
          # shellcheck disable=SC2086
          s=$(seconds "$ROOT/bin/skyplane" cp -r "$(skyplane_root "$src")/src/$shape" \
                "$(skyplane_root "$dst")/run-$run-$tool-$shape" -p "$P" -q \
                --store-config "$WORK/stores.properties" --json "$WORK/report.json" $SKYPLANE_ARGS)
          in_job[$tool]=$(python3 -c "import json; print(f\"{json.load(open('$WORK/report.json'))['transferSeconds']:.2f}\")") ;;
        *) log "unknown tool $tool"; exit 2 ;;
      esac
      check "$shape" "$from" "$to" || { log "$tool $route $shape: the copy is wrong"; exit 1; }
      rc purge "$to" >/dev/null 2>&1 || true
      secs[$tool]=$s
      rss[$tool]=$(( $(cat "$WORK/rss") / 1024 ))
    done
    ratio=-
    if [[ -n ${secs[skyplane]:-} && -n ${secs[rclone]:-} ]]; then
      ratio=$(calc "f'{${secs[rclone]} / max(${secs[skyplane]}, 0.001):.2f}x'")
    fi
    for tool in $TOOLS; do
      s=${secs[$tool]}
      row "$route" "$shape" "$tool" "$objects" "$mib" "$s" "$(calc "f'{$bytes / 1048576 / max($s, 0.001):.1f}'")" \
        "$(calc "f'{$objects / max($s, 0.001):.1f}'")" "$ratio" "${in_job[$tool]:--}" "${rss[$tool]}"
    done
    unset secs in_job rss
  done
done
