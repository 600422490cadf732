#!/usr/bin/env bash
# Planner benchmark: solve time on Skyplane's 71-region grid (read in place from ../shared).
# Usage: bench/planner.sh [pairs=50] [maxHops=2]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -pl planner test-compile
cp_file=planner/target/bench-classpath.txt
mvn -q -B -pl planner dependency:build-classpath -Dmdep.outputFile="$PWD/$cp_file" >/dev/null
exec java -cp "planner/target/test-classes:planner/target/classes:$(cat "$cp_file")" \
  io.skyplane.planner.bench.PlannerBenchmark "$@"
