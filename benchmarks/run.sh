#!/bin/sh
# Runs the end-to-end harness (see docs/PERFORMANCE.md). Build first:
#   mvn -pl benchmarks -am package -DskipTests
# Usage: benchmarks/run.sh [--quick] [--runs N] [--jfr] [--dir PATH] [--only SECTION]... [--log-events N]
#   SECTION: logging (= throughput and paced), throughput, paced, timeline, tail, s3
#   (--s3-only is --only s3). The s3 section starts S3Proxy (copied to target/s3proxy by the
#   build) on 127.0.0.1: ingest and the cross-host tail with the backend's request counts and
#   their price.
set -e
here=$(cd "$(dirname "$0")" && pwd)
if [ ! -f "$here/target/classpath/store.cp" ]; then
  echo "benchmarks are not built: mvn -pl benchmarks -am package -DskipTests" >&2
  exit 1
fi
exec java -Xmx512m -cp "$here/target/classes:$(cat "$here/target/classpath/store.cp")" \
  io.bucketlog.bench.harness.Harness "$@"
