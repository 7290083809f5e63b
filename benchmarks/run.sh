#!/bin/sh
# Runs the end-to-end harness (see docs/PERFORMANCE.md). Build first:
#   mvn -pl benchmarks -am package -DskipTests
# Usage: benchmarks/run.sh [--quick] [--runs N] [--jfr] [--dir PATH] [--only logging|timeline|tail]
set -e
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/target/classpath/store.cp" ]; then
  echo "benchmarks are not built: mvn -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
exec java -Xmx512m -cp "$here/target/classes:$(cat "$here/target/classpath/store.cp")" \
  io.bucketlog.bench.harness.Harness "$@"
