#!/bin/sh
# Runs the end-to-end harness (see docs/PERFORMANCE.md). Build first:
#   mvn -pl benchmarks -am package -DskipTests
# Usage: benchmarks/run.sh [--quick] [--s3-only] [--runs N] [--jfr] [--dir PATH]
# Every run ends with the S3 section: S3Proxy (copied to target/s3proxy by the build) on
# 127.0.0.1, ingest and the cross-host tail with the backend's request counts and their price;
# --s3-only runs that section alone.
set -e
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/target/classpath/store.cp" ]; then
  echo "benchmarks are not built: mvn -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
exec java -Xmx512m -cp "$here/target/classes:$(cat "$here/target/classpath/store.cp")" \
  io.bucketlog.bench.harness.Harness "$@"
