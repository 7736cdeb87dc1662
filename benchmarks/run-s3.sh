#!/usr/bin/env bash
# PostgreSQL backup into S3 (s3proxy): pg_dump -Fc | the AWS SDK's streaming upload, against lifeboat backup --target s3://.
# Usage: benchmarks/run-s3.sh [--rows N] [--rounds N] [--part-size BYTES]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q install -DskipTests
mvn -B -q -pl benchmarks exec:exec \
  -Dexec.args="-Xmx512m -cp %classpath dev.lifeboat.benchmarks.s3.S3UploadBenchmark --cli-jar $(pwd)/cli/target/lifeboat.jar $*"
