# Shared by jobmanager, local-cluster and flink (sourced, not run). taskmanager-bootstrap stays
# self-contained and holds the one copy of the Java 17 module flags, read from it here.
# shellcheck shell=bash

local_bin="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
flink_lib="${SKYPLANE_FLINK_LIB:-$local_bin/../target/flink/lib}"
default_state="${SKYPLANE_LOCAL_STATE:-${TMPDIR:-/tmp}/skyplane-local}"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"; else java=java; fi

jvm_opens() {
  sed -n 's/^FLINK_JVM_OPENS="\(.*\)"$/\1/p' "$local_bin/taskmanager-bootstrap"
}

require_lib() {
  if ! compgen -G "$flink_lib/flink-runtime-*.jar" >/dev/null; then
    echo "$1: no Flink jars in '$flink_lib'; build them with: mvn -q -pl deploy/local -am package -DskipTests" >&2
    exit 2
  fi
}

# http_get URL: the body on stdout, non-zero exit if the server does not answer 2xx.
http_get() {
  if command -v curl >/dev/null; then
    curl -fsS --max-time 5 "$1" 2>/dev/null
  else
    local rest="${1#http://}" host port path
    host="${rest%%/*}" path="/${rest#*/}" port="${host##*:}" host="${host%%:*}"
    { exec 3<>"/dev/tcp/$host/$port"; } 2>/dev/null || return 1
    printf 'GET %s HTTP/1.0\r\nHost: %s\r\n\r\n' "$path" "$host" >&3
    local response
    response="$(cat <&3)"
    exec 3<&-
    [[ "$response" == "HTTP/1."?" 2"* ]] || return 1
    printf '%s' "${response#*$'\r\n\r\n'}"
  fi
}

# stop_pid NAME PID_FILE: TERM, wait up to 10 s, then KILL; removes the pid file.
stop_pid() {
  local name="$1" pid_file="$2" pid
  [[ -f "$pid_file" ]] || return 0
  pid="$(cat "$pid_file")"
  if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "$name (pid $pid) did not stop in 10 s: kill -9" >&2
      kill -9 "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pid_file"
}

# install_job_jar JAR DIR: copies the job jar into DIR once, named by its content
# (skyplane-job-<first 16 hex of its SHA-256>.jar, so a rebuilt jar never changes a running
# cluster's classes), and sets job_jar_copy (that path) and job_jar_sha256.
install_job_jar() {
  local jar="$1" dir="$2"
  [[ -f "$jar" ]] || { echo "no job jar at '$jar' (build it with: mvn -q -pl job -am package -DskipTests)" >&2; return 2; }
  job_jar_sha256="$(sha256sum "$jar")" job_jar_sha256="${job_jar_sha256%% *}"
  job_jar_copy="$dir/skyplane-job-${job_jar_sha256:0:16}.jar"
  mkdir -p "$dir"
  if [[ ! -f "$job_jar_copy" ]]; then
    cp "$jar" "$job_jar_copy.tmp.$$" && mv "$job_jar_copy.tmp.$$" "$job_jar_copy"
  fi
}
